import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, copyFileSync, existsSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib'
import * as esbuild from 'esbuild'
import { minify as terser } from 'terser'

// Builds the browser bundles into widget/dist and reports their gzipped sizes against
// size-budget.json (written to dist/sizes.json; `npm run bench` prints it, a unit test enforces it):
//   parley.js            the loader the script tag fetches: an IIFE, no Preact, one global
//   w/consumer.js + w/*  the consumer widget, ES modules with chunks loaded on demand (the views
//                        chunk: the chat panel, and a deployment rule's invitation, offer or form)
//   console/             the agent console (index.html, console.js, console.css)
// Next to each file go its precompressed .br and .gz, which the relay serves by Accept-Encoding.
// `--dev` keeps debug() calls and skips minification; `--out DIR` builds somewhere else than dist.

const here = dirname(fileURLToPath(import.meta.url))
const dev = process.argv.includes('--dev')
const outFlag = process.argv.indexOf('--out')
const out = outFlag > 0 ? resolve(process.argv[outFlag + 1]) : join(here, 'dist')
// esbuild's minified names follow the modules' paths from its working directory: building from here
// (esbuild's and ours, where its output paths are read) makes the bytes, and the gzip size the budget
// checks, the same from whichever directory the build is run.
process.chdir(here)

const common = {
  absWorkingDir: here,
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

// The connection's error texts serve Node programs and the console; the consumer widget shows its own
// strings by code, so its build takes the lean stand-in (see widget/src/browser/lean-errors.ts).
const leanErrors = {
  name: 'lean-errors',
  setup(b) {
    b.onResolve({ filter: /^\.\/local-errors\.js$/ }, (a) =>
      /[\\/]sdk[\\/]dist[\\/]connection$/.test(a.resolveDir) ? { path: join(here, 'src/browser/lean-errors.ts') } : undefined)
  },
}

// The consumer widget loads its on-demand views (views/on-demand.ts: the panel, and a rule's
// invitation, offer or offline form) when one is needed. Left to esbuild's code splitting, Preact
// (which both must share: hooks live in one options object) and the reducer go to a third, shared
// chunk: a file more and ~450 B gzip of cross-chunk names. Instead the views are built on their
// own and take from './consumer.js' the Preact names they use, which the entry exports; the few
// pure helpers they share with the entry are copied into them. A first pass finds those names.
const PREACT = /^preact(\/hooks|\/jsx-runtime)?$/
const VIEWS = join(here, 'src/consumer/views/on-demand.ts')

// Internal property names get short ones (the list and its rules: internal-props.json); the views and
// the entry are built apart, so one mangle cache names both alike. A dev build keeps them readable.
const INTERNAL_PROPS = dev ? undefined : new RegExp(`^(${JSON.parse(readFileSync(join(here, 'internal-props.json'), 'utf8')).names.join('|')})$`)
const mangleCache = {}

// styles.ts keeps its stylesheet readable, a rule a line; the build minifies it. The two sides stand
// in as placeholders the CSS minifier leaves alone; a backslash it writes (an escape) stays one in JS.
const minifyCss = {
  name: 'minify-css',
  setup(b) {
    if (dev) return
    b.onLoad({ filter: /[\\/]shadow[\\/]styles\.ts$/ }, async (a) => {
      const src = readFileSync(a.path, 'utf8')
      const start = src.indexOf('return `') + 8
      const end = src.lastIndexOf('`')
      const css = src.slice(start, end).replaceAll('${side}', 'SIDE-X').replaceAll('${other}', 'OTHER-X')
      if (start < 8 || /\$\{|`/.test(css)) throw new Error('widget build: styles.ts has a shape the CSS minifier does not know')
      const min = (await esbuild.transform(css, { loader: 'css', minify: true, charset: 'utf8', target: ['chrome94', 'firefox93', 'safari15.4'] })).code.trim()
      return { contents: src.slice(0, start) + min.replaceAll('\\', '\\\\').replaceAll('SIDE-X', '${side}').replaceAll('OTHER-X', '${other}') + src.slice(end), loader: 'ts' }
    })
  },
}
const widgetOut = join(out, 'w')

/** The Preact names the views chunk imports, per module: a pass with Preact left external. */
async function viewsPreactNames() {
  const pass = await esbuild.build({
    ...common, minify: false, metafile: false, write: false, entryPoints: [VIEWS],
    outdir: widgetOut, format: 'esm', external: ['preact', 'preact/*'], plugins: [leanErrors],
  })
  const names = {}
  for (const [, list, mod] of pass.outputFiles[0].text.matchAll(/import\s*\{([^}]*)\}\s*from\s*"(preact[^"]*)"/g)) {
    for (const n of list.split(',').map((x) => x.trim().split(/\s+as\s+/)[0]).filter(Boolean)) (names[mod] ??= new Set()).add(n)
  }
  if (!names['preact/jsx-runtime']) throw new Error('widget build: the views import nothing from preact/jsx-runtime?')
  return Object.fromEntries(Object.entries(names).map(([m, set]) => [m, [...set].sort()]))
}

/**
 * A second minifier over esbuild's output, in place: terser's compressor and its names (picked by how
 * often each is used, which gzip likes) take ~750 B gzip more off the widget. Its default, safe
 * compress options only; file names and the views chunk's import of './consumer.js' stay as they are.
 */
async function reminify(f) {
  const { code } = await terser(readFileSync(f, 'utf8'), { module: true, ecma: 2020, compress: { passes: 2 }, format: { comments: false } })
  writeFileSync(f, code)
}

async function buildWidget() {
  const shared = await viewsPreactNames()
  const views = await esbuild.build({
    ...common, entryPoints: [VIEWS], outdir: widgetOut, format: 'esm',
    entryNames: 'views-[hash]', charset: 'utf8', mangleProps: INTERNAL_PROPS, mangleCache,
    plugins: [leanErrors, {
      name: 'preact-from-consumer',
      setup(b) {
        b.onResolve({ filter: PREACT }, (a) => ({ path: a.path, namespace: 'from-consumer' }))
        b.onResolve({ filter: /^\.\/consumer\.js$/, namespace: 'from-consumer' }, () => ({ path: './consumer.js', external: true }))
        b.onLoad({ filter: /.*/, namespace: 'from-consumer' }, (a) => ({ contents: `export { ${shared[a.path].join(', ')} } from './consumer.js'`, loader: 'js' }))
      },
    }],
  })
  const viewsFile = Object.keys(views.metafile.outputs).find((f) => f.endsWith('.js'))
  if (Object.keys(views.metafile.inputs).some((f) => f.includes('node_modules/preact'))) throw new Error('widget build: the views chunk carries its own Preact')
  const exports = Object.entries(shared).map(([m, names]) => `export { ${names.join(', ')} } from '${m}'`).join('\n')
  const consumer = await esbuild.build({
    ...common, entryPoints: [{ in: 'parley-consumer-entry', out: 'consumer' }], outdir: widgetOut, format: 'esm',
    splitting: true, chunkNames: '[name]-[hash]', charset: 'utf8', mangleProps: INTERNAL_PROPS, mangleCache: views.mangleCache,
    plugins: [leanErrors, minifyCss, {
      name: 'consumer-entry',
      setup(b) {
        b.onResolve({ filter: /^parley-consumer-entry$/ }, () => ({ path: 'entry', namespace: 'consumer-entry' }))
        b.onLoad({ filter: /.*/, namespace: 'consumer-entry' }, () => ({ contents: `import './boot.ts'\n${exports}\n`, loader: 'js', resolveDir: join(here, 'src/consumer') }))
        b.onResolve({ filter: /^\.\/views\/on-demand\.js$/ }, () => ({ path: `./${relative(widgetOut, viewsFile)}`, external: true }))
      },
    }],
  })
  // The schema library is for the relay and the SDK; a value import from a contract file that
  // builds schemas would put all of it (~12 KB gzip) in the widget.
  const shipped = Object.values(consumer.metafile.outputs).flatMap((o) => Object.entries(o.inputs).filter(([, i]) => i.bytesInOutput > 0).map(([f]) => f))
  if (shipped.some((f) => f.includes('@sinclair/typebox'))) throw new Error('widget build: TypeBox got into the widget')
  // Charts are the console's Reports view's; a visitor never loads one.
  if (shipped.some((f) => f.includes('node_modules/uplot') || /report-(chart|series)\.ts$/.test(f))) throw new Error('widget build: chart code got into the widget')
  if (!Object.keys(consumer.metafile.inputs).some((f) => f.endsWith('lean-errors.ts'))) {
    throw new Error('widget build: the lean error texts were not swapped in; did local-errors.js move?')
  }
  const outputs = { ...consumer.metafile.outputs, ...views.metafile.outputs }
  if (!dev) for (const f of Object.keys(outputs).filter((f) => f.endsWith('.js'))) await reminify(f)
  return { metafile: { outputs } }
}

const builds = {
  loader: await esbuild.build({
    ...common, entryPoints: [join(here, 'src/loader/loader.ts')], outfile: join(out, 'parley.js'), format: 'iife',
  }),
  widget: await buildWidget(),
  console: await esbuild.build({
    ...common, entryPoints: [join(here, 'src/console/boot.tsx')], outdir: join(out, 'console'), format: 'esm',
    splitting: true, entryNames: 'console', chunkNames: '[name]-[hash]',
  }),
}
const consoleHtml = join(here, 'src/console/index.html')
if (existsSync(consoleHtml)) copyFileSync(consoleHtml, join(out, 'console/index.html'))

/**
 * Zopfli's gzip, loaded once the bundles are built. Its WebAssembly glue hooks the process's
 * uncaughtException and unhandledRejection and, rethrowing from there, would print its own source in
 * place of a build error: those hooks are taken off again.
 */
let zopfliGzip
async function zopfli() {
  if (zopfliGzip) return zopfliGzip
  const events = ['uncaughtException', 'unhandledRejection']
  const before = new Set(events.flatMap((e) => process.listeners(e)))
  zopfliGzip = (await import('@gfx/zopfli')).gzipAsync
  for (const e of events) for (const l of process.listeners(e)) if (!before.has(l)) process.off(e, l)
  return zopfliGzip
}

/**
 * Writes `f.gz` and `f.br` beside `f`; returns the three sizes. The .gz is Zopfli's: a gzip stream any
 * gzip decoder reads, ~3 % smaller than zlib's level 9 for the browsers that take gzip and not brotli.
 */
async function precompress(f) {
  const bytes = readFileSync(f)
  const gz = dev ? gzipSync(bytes, { level: 9 }) : Buffer.from(await (await zopfli())(bytes, { numiterations: 15 }))
  const br = brotliCompressSync(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length } })
  writeFileSync(`${f}.gz`, gz)
  writeFileSync(`${f}.br`, br)
  return { bytes: bytes.length, gzip: gz.length, br: br.length }
}

const budget = JSON.parse(readFileSync(join(here, 'size-budget.json'), 'utf8'))
const sizes = {}
for (const [name, result] of Object.entries(builds)) {
  const files = await Promise.all(Object.keys(result.metafile.outputs).filter((f) => !f.endsWith('.map')).map(async (f) => {
    const { bytes, gzip, br } = await precompress(f)
    return { file: relative(out, f), bytes, gzip, br }
  }))
  const sum = (k) => files.reduce((n, f) => n + f[k], 0)
  sizes[name] = { gzip: sum('gzip'), br: sum('br'), budget: budget[name], files }
}
if (existsSync(join(out, 'console/index.html'))) await precompress(join(out, 'console/index.html'))

// Masking's share of the widget (issue 13: at most 3 KB gzip): the engine as the widget imports it,
// bundled and gzipped alone (in the widget it compresses a little better, sharing the dictionary).
const masking = await esbuild.build({
  ...common, metafile: false, write: false, format: 'esm', charset: 'utf8',
  stdin: { contents: "import { createMasker } from '@parley/sdk/masking'\nexport { createMasker }\n", resolveDir: here },
})
sizes.widget.masking = { gzip: gzipSync(masking.outputFiles[0].contents, { level: 9 }).length, bytes: masking.outputFiles[0].contents.length }
// The deployment-rule evaluator's share (issue 14: at most 3 KB gzip), measured the same way: what
// the widget imports from it.
const rules = await esbuild.build({
  ...common, metafile: false, write: false, format: 'esm', charset: 'utf8',
  stdin: { contents: "export { decide, hoursState, nextRecheckMs, formatDecision } from '@parley/sdk/rules'\n", resolveDir: here },
})
sizes.widget.rules = { gzip: gzipSync(rules.outputFiles[0].contents, { level: 9 }).length, bytes: rules.outputFiles[0].contents.length }
writeFileSync(join(out, 'sizes.json'), JSON.stringify(sizes, null, 2) + '\n')
for (const [name, s] of Object.entries(sizes)) {
  const flag = s.gzip > s.budget ? '  OVER BUDGET' : ''
  const share = (s.masking ? `, masking ${s.masking.gzip} B of it alone` : '') + (s.rules ? `, rules ${s.rules.gzip} B` : '')
  process.stdout.write(`widget build: ${name} ${s.gzip} B gzip (budget ${s.budget}${share})${flag}\n`)
}
