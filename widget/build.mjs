import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, copyFileSync, existsSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib'
import * as esbuild from 'esbuild'

// Builds the browser bundles into widget/dist and reports their gzipped sizes against
// size-budget.json (written to dist/sizes.json; `npm run bench` prints it, a unit test enforces it):
//   parley.js            the loader the script tag fetches: an IIFE, no Preact, one global
//   w/consumer.js + w/*  the consumer widget, ES modules with chunks loaded on the visitor's intent
//   console/             the agent console (index.html, console.js, console.css)
// Next to each file go its precompressed .br and .gz, which the relay serves by Accept-Encoding.
// `--dev` keeps debug() calls and skips minification; `--out DIR` builds somewhere else than dist.

const here = dirname(fileURLToPath(import.meta.url))
const dev = process.argv.includes('--dev')
const outFlag = process.argv.indexOf('--out')
const out = outFlag > 0 ? resolve(process.argv[outFlag + 1]) : join(here, 'dist')

const common = {
  bundle: true,
  minify: !dev,
  sourcemap: dev ? 'inline' : false,
  legalComments: 'none',
  // ES2022 (native class fields): Chrome/Edge 94+, Firefox 93+, Safari 15.4+. Lowering further costs ~1 KB gzip.
  target: ['es2022'],
  define: { 'process.env.NODE_ENV': dev ? '"development"' : '"production"', PARLEY_DEBUG: dev ? 'true' : 'false' },
  jsx: 'automatic',
  jsxImportSource: 'preact',
  metafile: true,
  logLevel: 'warning',
  // No eval, no new Function: a brand's CSP must not need 'unsafe-eval' (checked by a test).
  supported: { 'dynamic-import': true },
}

// The output dir is emptied first: refuse one that holds anything but an earlier build.
if (existsSync(out) && readdirSync(out).length > 0 && !existsSync(join(out, 'sizes.json'))) {
  process.stderr.write(`widget build: ${out} is not empty and holds no earlier build; refusing to empty it\n`)
  process.exit(2)
}
rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })

const builds = {
  loader: await esbuild.build({
    ...common, entryPoints: [join(here, 'src/loader/loader.ts')], outfile: join(out, 'parley.js'), format: 'iife',
  }),
  widget: await esbuild.build({
    ...common, entryPoints: [join(here, 'src/consumer/boot.ts')], outdir: join(out, 'w'), format: 'esm',
    splitting: true, entryNames: 'consumer', chunkNames: '[name]-[hash]', charset: 'utf8',
  }),
  console: await esbuild.build({
    ...common, entryPoints: [join(here, 'src/console/boot.tsx')], outdir: join(out, 'console'), format: 'esm',
    splitting: true, entryNames: 'console', chunkNames: '[name]-[hash]',
  }),
}
const consoleHtml = join(here, 'src/console/index.html')
if (existsSync(consoleHtml)) copyFileSync(consoleHtml, join(out, 'console/index.html'))

/** Writes `f.gz` and `f.br` beside `f`; returns the three sizes. */
function precompress(f) {
  const bytes = readFileSync(f)
  const gz = gzipSync(bytes, { level: 9 })
  const br = brotliCompressSync(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length } })
  writeFileSync(`${f}.gz`, gz)
  writeFileSync(`${f}.br`, br)
  return { bytes: bytes.length, gzip: gz.length, br: br.length }
}

const budget = JSON.parse(readFileSync(join(here, 'size-budget.json'), 'utf8'))
const sizes = {}
for (const [name, result] of Object.entries(builds)) {
  const files = Object.keys(result.metafile.outputs).filter((f) => !f.endsWith('.map')).map((f) => {
    const { bytes, gzip, br } = precompress(f)
    return { file: relative(out, f), bytes, gzip, br }
  })
  const sum = (k) => files.reduce((n, f) => n + f[k], 0)
  sizes[name] = { gzip: sum('gzip'), br: sum('br'), budget: budget[name], files }
}
if (existsSync(join(out, 'console/index.html'))) precompress(join(out, 'console/index.html'))
writeFileSync(join(out, 'sizes.json'), JSON.stringify(sizes, null, 2) + '\n')
for (const [name, s] of Object.entries(sizes)) {
  const flag = s.gzip > s.budget ? '  OVER BUDGET' : ''
  process.stdout.write(`widget build: ${name} ${s.gzip} B gzip (budget ${s.budget})${flag}\n`)
}
