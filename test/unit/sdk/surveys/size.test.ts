import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { gzippedBundleSize as gzippedSize } from '../../../helpers/bundle-size.js'

// The survey logic as the widget's lazily loaded form chunk bundles it: pickText, visibleFields,
// answerProblems and routeOf from sdk/src/surveys/surveys.ts, minified by esbuild with the
// widget's target, gzipped. Budget 2 KB.

const BUDGET = 2048
const ENTRY = fileURLToPath(new URL('../../../../sdk/src/surveys/surveys.ts', import.meta.url))

describe('the survey logic bundle', () => {
  it('is at most 2 KB gzip as the widget imports it, and carries no TypeBox', async () => {
    const size = await gzippedSize(`export { pickText, visibleFields, answerProblems, routeOf } from ${JSON.stringify(ENTRY)}`)
    const whole = await gzippedSize(`export * from ${JSON.stringify(ENTRY)}`)
    console.log(`survey logic: ${size} B gzip as the widget imports it (budget ${BUDGET} B); whole module with the save checks: ${whole} B`)
    expect(size).toBeGreaterThan(500)
    expect(size).toBeLessThanOrEqual(BUDGET)
    // TypeBox would add tens of KB; the whole entry, save checks included, stays small.
    expect(whole).toBeLessThan(5000)
  })
})
