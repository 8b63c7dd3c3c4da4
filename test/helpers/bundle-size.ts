import { createRequire } from 'node:module'
import { gzipSync } from 'node:zlib'

// What a piece of the SDK costs the widget: `contents` (an entry written as TypeScript) bundled and
// minified by esbuild with the widget's target, then gzipped at level 9, as the budgets count it.

// esbuild is the widget workspace's build tool; resolve it from there.
const esbuild = createRequire(new URL('../../widget/package.json', import.meta.url))('esbuild') as {
  build(options: Record<string, unknown>): Promise<{ outputFiles: { contents: Uint8Array }[] }>
}

/** Gzipped bytes of `contents` bundled and minified as the widget build does. */
export async function gzippedBundleSize(contents: string): Promise<number> {
  const result = await esbuild.build({
    stdin: { contents, resolveDir: process.cwd(), loader: 'ts' },
    bundle: true, minify: true, format: 'esm', target: ['es2022'], write: false, charset: 'utf8', legalComments: 'none', logLevel: 'silent',
  })
  return gzipSync(result.outputFiles[0]!.contents, { level: 9 }).length
}
