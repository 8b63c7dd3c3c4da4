import * as esbuild from 'esbuild'
import { gzipSync } from 'node:zlib'
const r = await esbuild.build({ entryPoints: ['src/consumer/boot.ts'], bundle: true, minify: true, format: 'esm', splitting: true, outdir: '/tmp/r2c-out', target: ['es2022'], jsx: 'automatic', jsxImportSource: 'preact', metafile: true, write: false, define: { 'process.env.NODE_ENV': '"production"', PARLEY_DEBUG: 'false' }, legalComments: 'none', entryNames: 'consumer', chunkNames: '[name]-[hash]' })
let t = 0
for (const f of r.outputFiles) t += gzipSync(f.contents, { level: 9 }).length
console.log('total gzip', t)
