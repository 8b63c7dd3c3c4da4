import { readdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'

// Bundles the compiled relay (dist/cli.js, from tsc) with its dependencies into dist/parley.mjs, the
// file `npm start`, the `parley` command and the chaos tests run, beside its two worker threads'
// entries (parley-store-worker.mjs, parley-checkpointer.mjs) and the chunks they share or load on
// demand (PostgreSQL and Redis code loads only when configured).
//
// Why: V8 keeps the source text of every module it loaded, and a module record each, for the life of
// the process. The relay loaded some 600 files, comments and all; as one file without whitespace or
// comments, an idle relay's heap went from 21.8 to 16.0 MB, and its peak RSS under load about 4.5 MiB
// lower (test/bench/README.md, "Bundling the relay"). Names are not shortened, so stack traces still
// say which function threw, and `node --enable-source-maps` reads the .map files beside the bundle to
// give the TypeScript file and line (Node reads no map unless asked, so they cost nothing at run time).

const here = dirname(fileURLToPath(import.meta.url))
const dist = join(here, 'dist')

for (const f of readdirSync(dist)) if (/^parley.*\.mjs(\.map)?$/.test(f)) rmSync(join(dist, f))

await esbuild.build({
  absWorkingDir: here,
  entryPoints: {
    'parley': 'dist/cli.js',
    'parley-store-worker': 'dist/store/sqlite/store-worker.js',
    'parley-checkpointer': 'dist/store/sqlite/checkpointer.js',
  },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'parley-chunk-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  sourcemap: 'linked',
  // A native addon, and pg's optional native driver (not installed; pg loads it only when asked).
  external: ['better-sqlite3', 'pg-native'],
  // The CommonJS dependencies inside an ES module: require for their require() calls, and the
  // file's own path where one reads __dirname (ioredis when it shortens a stack trace).
  banner: {
    js: [
      "import { createRequire as __parleyRequire } from 'node:module'",
      "import { fileURLToPath as __parleyPath } from 'node:url'",
      "import { dirname as __parleyDir } from 'node:path'",
      'const require = __parleyRequire(import.meta.url)',
      'const __filename = __parleyPath(import.meta.url)',
      'const __dirname = __parleyDir(__filename)',
    ].join(';'),
  },
  logLevel: 'warning',
})
