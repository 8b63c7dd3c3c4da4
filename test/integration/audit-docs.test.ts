import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { codeBlocks, docModules, expectedOutput, openDocExampleRunner, readDocPage, type DocExampleRunner } from '../helpers/doc-examples.js'

// docs/security.md's audit log section: its SDK module runs against a real relay and prints what it
// says, and its security settings snippet is a document a save accepts.

const page = readDocPage('docs/security.md')
const section = page.slice(page.indexOf('## The audit log'), page.indexOf('\n## ', page.indexOf('## The audit log') + 1))
const modules = docModules(section)
/** docs/sdk.md's modules for parley.security and parley.audit. */
const sdkModules = docModules(readDocPage('docs/sdk.md')).filter((m) => m.includes('parley.security.') || m.includes('parley.audit.'))

describe('docs/security.md: the audit log', () => {
  let examples: DocExampleRunner
  beforeAll(async () => { examples = await openDocExampleRunner('audit-docs') })
  afterAll(async () => { await examples.close() })

  it('has a module reading the log and the settings with the SDK', () => {
    expect(modules.some((m) => m.includes('parley.audit.list(') && m.includes('parley.security.'))).toBe(true)
  })

  it.each(modules.map((code, i) => [i + 1, code] as const))('runs module %i against the relay and prints what it says', async (i, code) => {
    const { stdout, stderr } = await examples.run(i, code)
    expect(stderr).toBe('')
    const expected = expectedOutput(code)
    expect(expected).not.toBeNull()
    expect(stdout.trimEnd().split('\n')).toEqual(expected)
  })

  it.each(sdkModules.map((code, i) => [i + 1, code] as const))('runs docs/sdk.md module %i of parley.security / parley.audit and prints what it says', async (i, code) => {
    const { stdout, stderr } = await examples.run(100 + i, code)
    expect(stderr).toBe('')
    expect(stdout.trimEnd().split('\n')).toEqual(expectedOutput(code))
  })

  it('shows a security settings document with only known fields', async () => {
    const { Value } = await import('@sinclair/typebox/value')
    const { SecurityConfig } = await import('@parley/sdk/contract')
    const docs = codeBlocks(section, 'json')
    expect(docs.length).toBeGreaterThan(0)
    for (const text of docs) expect(Value.Check(SecurityConfig, JSON.parse(text)), text).toBe(true)
  })
})
