import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { gzippedBundleSize as gzippedSize } from '../../helpers/bundle-size.js'

// The engine as the widget bundles it: createMasker and regExpCompiler from sdk/src/masking/masking.ts,
// minified by esbuild with the widget's target, gzipped. The budget for masking's share of
// the widget is 3 KB.

const BUDGET = 3072
const ENTRY = fileURLToPath(new URL('../../../sdk/src/masking/masking.ts', import.meta.url))

describe('the masking engine bundle', () => {
  it('is at most 3 KB gzip as the widget imports it (createMasker + regExpCompiler)', async () => {
    const size = await gzippedSize(`export { createMasker, regExpCompiler } from ${JSON.stringify(ENTRY)}`)
    const whole = await gzippedSize(`export * from ${JSON.stringify(ENTRY)}`)
    console.log(`masking engine: ${size} B gzip as the widget imports it (budget ${BUDGET} B); whole module with vetPattern: ${whole} B`)
    expect(size).toBeGreaterThan(1000)
    expect(size).toBeLessThanOrEqual(BUDGET)
  })
})
