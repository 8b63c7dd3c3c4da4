import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'

// The evaluator as the widget bundles it: decide, hoursState, nextRecheckMs and formatDecision from
// sdk/src/rules/rules.ts, minified by esbuild with the widget's target, gzipped (as the masking
// engine's share is measured). The budget for the evaluator's share of the widget is 3 KB.

const BUDGET = 3072
const ENTRY = fileURLToPath(new URL('../../../../sdk/src/rules/rules.ts', import.meta.url))
// esbuild is the widget workspace's build tool; resolve it from there.
const esbuild = createRequire(new URL('../../../../widget/package.json', import.meta.url))('esbuild') as {
  build(options: Record<string, unknown>): Promise<{ outputFiles: { contents: Uint8Array }[] }>
}

async function gzippedSize(contents: string): Promise<number> {
  const result = await esbuild.build({
    stdin: { contents, resolveDir: process.cwd(), loader: 'ts' },
    bundle: true, minify: true, format: 'esm', target: ['es2022'], write: false, charset: 'utf8', legalComments: 'none', logLevel: 'silent',
  })
  return gzipSync(result.outputFiles[0]!.contents, { level: 9 }).length
}

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
