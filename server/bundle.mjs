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
// the process. The relay loaded some 700 files, comments and all; bundled without whitespace or
// comments, an idle relay's heap went from 21.8 to 16.0 MB, and its peak RSS under load about 4.5 MiB
// lower (test/bench/README.md, "Bundling the relay, and what reaches the old generation").
//
// Names are not shortened, so a stack trace still names the function that threw. esbuild numbers a
// name two modules share (`decide2`), which shows in an error's class as the log names it too (pg's
// `DatabaseError2`); `keepNames` would undo that for 1.4 MB of heap. `node --enable-source-maps` reads
// the .map files beside the bundle for the TypeScript file and line (Node reads none unless asked).
//
// The bundle runs from server/dist of a checkout or install: better-sqlite3 (a native addon) stays in
// node_modules, and the widget and demo site are found beside it (../../widget/dist, ../../examples).

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
