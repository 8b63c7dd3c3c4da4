import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'

// The engine as the widget bundles it: createMasker and regExpCompiler from sdk/src/masking/masking.ts,
// minified by esbuild with the widget's target, gzipped. The budget for masking's share of
// the widget is 3 KB.

const BUDGET = 3072
const ENTRY = fileURLToPath(new URL('../../../sdk/src/masking/masking.ts', import.meta.url))
// esbuild is the widget workspace's build tool; resolve it from there.
const esbuild = createRequire(new URL('../../../widget/package.json', import.meta.url))('esbuild') as {
  build(options: Record<string, unknown>): Promise<{ outputFiles: { contents: Uint8Array }[] }>
}

async function gzippedSize(contents: string): Promise<number> {
  const result = await esbuild.build({
    stdin: { contents, resolveDir: process.cwd(), loader: 'ts' },
    bundle: true, minify: true, format: 'esm', target: ['es2022'], write: false, charset: 'utf8', legalComments: 'none', logLevel: 'silent',
  })
  return gzipSync(result.outputFiles[0]!.contents, { level: 9 }).length
}

describe('the masking engine bundle', () => {
  it('is at most 3 KB gzip as the widget imports it (createMasker + regExpCompiler)', async () => {
    const size = await gzippedSize(`export { createMasker, regExpCompiler } from ${JSON.stringify(ENTRY)}`)
    const whole = await gzippedSize(`export * from ${JSON.stringify(ENTRY)}`)
    console.log(`masking engine: ${size} B gzip as the widget imports it (budget ${BUDGET} B); whole module with vetPattern: ${whole} B`)
    expect(size).toBeGreaterThan(1000)
    expect(size).toBeLessThanOrEqual(BUDGET)
  })
})
