import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { docModules, expectedOutput, openDocExampleRunner, readDocPage, type DocExampleRunner } from '../helpers/doc-examples.js'

// docs/sdk.md promises a runnable example for every resource: each complete module in it (a ```js
// block that imports @parley/sdk) is run with node against a real relay, in the page's order.

const modules = docModules(readDocPage('docs/sdk.md'))

describe('docs/sdk.md examples', () => {
  let examples: DocExampleRunner
  beforeAll(async () => {
    examples = await openDocExampleRunner('sdk-docs')
  })
  afterAll(async () => {
    await examples.close()
  })

  it('has a complete example for every resource, errors and timeouts', () => {
    for (const call of ['parley.brand.', 'parley.widgetConfig.', 'parley.agents.', 'parley.conversations.', 'parley.masking.', 'parley.rules.', 'parley.businessHours.', 'parley.reports.', 'parley.surveys.', 'parley.cannedReplies.', 'parley.routing.', 'parley.supervisor.', 'parley.attachments.', 'parley.accounts.', 'parley.keys.', 'parley.sessions.', 'parley.identity.', 'parley.security.', 'parley.privacy.', 'parley.audit.', 'parley.visitors.erase(', 'InvalidRequestError', 'timeoutMs:']) {
      expect(modules.some((m) => m.includes(call)), call).toBe(true)
    }
  })

  const table = modules.map((code, i) => [i + 1, code.split('\n').find((l) => l.includes('parley.') && !l.startsWith('const parley')) ?? 'setup', code] as const)
  async function runExample(i: number, code: string) {
    const { stderr } = await examples.run(i, code)
    expect(stderr).toBe('')
  }
  it.each(table)('runs example %i (%s) against the relay', async (i, _line, code) => runExample(i, code))

  it('prints what the parley.surveys example\'s comments say on every run against the same brand', async () => {
    const i = modules.findIndex((m) => m.includes('parley.surveys.set('))
    // The run above saved it once already; each run after bumps csat on.
    for (const round of [1, 2]) {
      const { stdout, stderr } = await examples.run(100 + round, modules[i]!)
      expect(stderr).toBe('')
      expect(stdout.split('\n').slice(1, 4), `run ${round}`).toEqual(['true', 'true', 'undefined'])
    }
  })

  it('prints what the parley.accounts example\'s comments say, on a brand that has an admin like the demo brand', async () => {
    const code = modules.find((m) => m.includes('parley.accounts.list('))!
    const expected = expectedOutput(code)
    expect(expected).not.toBeNull()
    const { stdout, stderr } = await examples.run(200, code.replaceAll('.docs@example.com', '.docs2@example.com'))
    expect(stderr).toBe('')
    expect(stdout.trimEnd().split('\n')).toEqual(expected!.map((l) => l.replaceAll('.docs@example.com', '.docs2@example.com')))
  })

  it('says which SDK errors carry the survey field an answer was refused for', () => {
    const errors = readDocPage('docs/sdk.md').split('\n## Errors\n')[1]!.split('\n## ')[0]!
    expect(errors).toContain('PARLEY_ERR_SURVEY_ANSWER_INVALID')
    expect(errors).toMatch(/carries `field`/)
  })
})
