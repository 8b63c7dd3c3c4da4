import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { randomBytes } from 'node:crypto'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestBrand, type TestBrand } from '../helpers/brand.js'

// docs/sdk.md promises a runnable example for every resource: each complete module in it (a ```js
// block that imports @parley/sdk) is run with node against a real relay, in the page's order.

const run = promisify(execFile)
const root = fileURLToPath(new URL('../../', import.meta.url))
const page = readFileSync(join(root, 'docs/sdk.md'), 'utf8')
const modules = [...page.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((code) => code.startsWith('import '))

describe('docs/sdk.md examples', () => {
  let relay: TestRelay
  let brand: TestBrand
  // Inside the repository, so that `@parley/sdk` resolves to the workspace.
  const dir = join(root, '.scratch', `sdk-docs-${randomBytes(4).toString('hex')}`)
  beforeAll(async () => {
    relay = await startRelay()
    brand = await createTestBrand(relay)
    mkdirSync(dir, { recursive: true })
  })
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true })
    await relay.close()
  })

  it('has a complete example for every resource, errors and timeouts', () => {
    for (const call of ['parley.brand.', 'parley.widgetConfig.', 'parley.agents.', 'parley.conversations.', 'parley.masking.', 'parley.rules.', 'parley.businessHours.', 'InvalidRequestError', 'timeoutMs:']) {
      expect(modules.some((m) => m.includes(call)), call).toBe(true)
    }
  })

  const table = modules.map((code, i) => [i + 1, code.split('\n').find((l) => l.includes('parley.') && !l.startsWith('const parley')) ?? 'setup', code] as const)
  async function runExample(i: number, code: string) {
    const file = join(dir, `example-${i}.mjs`)
    writeFileSync(file, code)
    const env = { ...process.env, PARLEY_RELAY: relay.url, PARLEY_API_KEY: brand.apiKey }
    const { stderr } = await run(process.execPath, [file], { env, timeout: 20_000 })
    expect(stderr).toBe('')
  }
  it.each(table)('runs example %i (%s) against the relay', async (i, _line, code) => runExample(i, code))
})
