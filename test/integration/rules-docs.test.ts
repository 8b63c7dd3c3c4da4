import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { randomBytes } from 'node:crypto'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkBusinessHours, checkRules } from '@parley/sdk/rules'
import type { BusinessHours, Condition, RuleAction } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestBrand, type TestBrand } from '../helpers/brand.js'

// docs/rules.md must stay true to the code: each complete module in it (a ```js block that imports
// @parley/sdk) runs against a real relay, and when it ends with `// ` lines after its last
// console.log, those lines are its expected output; each JSON snippet of a condition, an action or
// business hours passes the checks a save runs.

const run = promisify(execFile)
const root = fileURLToPath(new URL('../../', import.meta.url))
const page = readFileSync(join(root, 'docs/rules.md'), 'utf8')
const modules = [...page.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((code) => code.startsWith('import '))
const snippets = [...page.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!)

/** The `// ` lines that close a module after its last console.log: what it prints. */
function expectedOutput(code: string): string[] | null {
  const lines = code.trimEnd().split('\n')
  const tail: string[] = []
  while (lines.length && lines.at(-1)!.startsWith('// ')) tail.unshift(lines.pop()!.slice(3))
  return tail.length && lines.at(-1)!.includes('console.log') ? tail : null
}

describe('docs/rules.md examples', () => {
  let relay: TestRelay
  let brand: TestBrand
  const dir = join(root, '.scratch', `rules-docs-${randomBytes(4).toString('hex')}`)
  beforeAll(async () => {
    relay = await startRelay()
    brand = await createTestBrand(relay)
    mkdirSync(dir, { recursive: true })
  })
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true })
    await relay.close()
  })

  it('has runnable modules for setting rules and for testing them in CI', () => {
    expect(modules.some((m) => m.includes('parley.rules.set('))).toBe(true)
    expect(modules.some((m) => m.includes('parley.rules.simulate(') && m.includes('assert'))).toBe(true)
  })

  it.each(modules.map((code, i) => [i + 1, code] as const))('runs module %i against the relay and prints what it says', async (i, code) => {
    const file = join(dir, `example-${i}.mjs`)
    writeFileSync(file, code)
    const env = { ...process.env, PARLEY_RELAY: relay.url, PARLEY_API_KEY: brand.apiKey }
    const { stdout, stderr } = await run(process.execPath, [file], { env, timeout: 20_000 })
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
