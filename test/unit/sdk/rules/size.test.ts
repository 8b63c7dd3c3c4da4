import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { gzippedBundleSize as gzippedSize } from '../../../helpers/bundle-size.js'

// The evaluator as the widget bundles it: decide, hoursState, nextRecheckMs and formatDecision from
// sdk/src/rules/rules.ts, minified by esbuild with the widget's target, gzipped (as the masking
// engine's share is measured). The budget for the evaluator's share of the widget is 3 KB.

const BUDGET = 3072
const ENTRY = fileURLToPath(new URL('../../../../sdk/src/rules/rules.ts', import.meta.url))

describe('the rule evaluator bundle', () => {
  it('is at most 3 KB gzip as the widget imports it, and carries no TypeBox', async () => {
    const size = await gzippedSize(`export { decide, hoursState, nextRecheckMs, formatDecision } from ${JSON.stringify(ENTRY)}`)
    const whole = await gzippedSize(`export * from ${JSON.stringify(ENTRY)}`)
    console.log(`rule evaluator: ${size} B gzip as the widget imports it (budget ${BUDGET} B); whole module with the save checks: ${whole} B`)
    expect(size).toBeGreaterThan(1000)
    expect(size).toBeLessThanOrEqual(BUDGET)
    // The whole entry with checkRules stays small too: TypeBox would add tens of KB.
    expect(whole).toBeLessThan(5000)
  })
})
