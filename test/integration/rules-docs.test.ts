import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkBusinessHours, checkRules } from '@parley/sdk/rules'
import type { BusinessHours, Condition, RuleAction } from '@parley/sdk/contract'
import { codeBlocks, docModules, expectedOutput, openDocExampleRunner, readDocPage, type DocExampleRunner } from '../helpers/doc-examples.js'

// docs/rules.md must stay true to the code: each complete module in it (a ```js block that imports
// @parley/sdk) runs against a real relay, and when it ends with `// ` lines after its last
// console.log, those lines are its expected output; each JSON snippet of a condition, an action or
// business hours passes the checks a save runs.

const page = readDocPage('docs/rules.md')
const modules = docModules(page)
const snippets = codeBlocks(page, 'json')

describe('docs/rules.md examples', () => {
  let examples: DocExampleRunner
  beforeAll(async () => {
    examples = await openDocExampleRunner('rules-docs')
  })
  afterAll(async () => {
    await examples.close()
  })

  it('has runnable modules for setting rules and for testing them in CI', () => {
    expect(modules.some((m) => m.includes('parley.rules.set('))).toBe(true)
    expect(modules.some((m) => m.includes('parley.rules.simulate(') && m.includes('assert'))).toBe(true)
  })

  it.each(modules.map((code, i) => [i + 1, code] as const))('runs module %i against the relay and prints what it says', async (i, code) => {
    const { stdout, stderr } = await examples.run(i, code)
    expect(stderr).toBe('')
    const expected = expectedOutput(code)
    if (expected) expect(stdout.trimEnd().split('\n')).toEqual(expected)
  })

  it('shows only conditions, actions and hours that a save accepts', () => {
    let checked = 0
    for (const text of snippets) {
      // A snippet is one JSON value per line group; "…" marks an elided part, not JSON.
      if (text.includes('…')) continue
      for (const chunk of text.split(/\n(?=\{)/)) {
        const value = JSON.parse(chunk) as Record<string, unknown>
        if ('timeZone' in value) expect(checkBusinessHours(value as BusinessHours)).toBeNull()
        else if ('type' in value) expect(checkRules({ rules: [{ id: 'doc', action: value as RuleAction }] })).toBeNull()
        else expect(checkRules({ rules: [{ id: 'doc', when: value as Condition, action: { type: 'button' } }] })).toBeNull()
        checked++
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8)
  })
})
