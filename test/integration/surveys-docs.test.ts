import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Value } from '@sinclair/typebox/value'
import { FIELD_TYPES, FieldCondition, LocalText, SurveyResponse } from '@parley/sdk/contract'
import { ERRORS } from '@parley/sdk/contract'
import { codeBlocks, docModules, expectedOutput, openDocExampleRunner, readDocPage, type DocExampleRunner } from '../helpers/doc-examples.js'

// docs/surveys.md must stay true to the code: each complete module in it (a ```js block that imports
// @parley/sdk) runs against a real relay in page order, and when it ends with `// ` lines after its
// last console.log, those lines are its expected output; each JSON snippet is a condition, a local
// text or a stored response the schema accepts; every field type and survey error is described.

const page = readDocPage('docs/surveys.md')
const modules = docModules(page)
const snippets = codeBlocks(page, 'json')

describe('docs/surveys.md examples', () => {
  let examples: DocExampleRunner
  beforeAll(async () => {
    examples = await openDocExampleRunner('surveys-docs')
  })
  afterAll(async () => {
    await examples.close()
  })

  it('has runnable modules for saving surveys, reading versions, answers and a report', () => {
    for (const call of ['parley.surveys.set(', 'parley.surveys.version(', 'parley.conversations.responses(', 'parley.reports.get(']) {
      expect(modules.some((m) => m.includes(call)), call).toBe(true)
    }
  })

  it.each(modules.map((code, i) => [i + 1, code] as const))('runs module %i against the relay and prints what it says', async (i, code) => {
    const { stdout, stderr } = await examples.run(i, code)
    expect(stderr).toBe('')
    const expected = expectedOutput(code)
    if (expected) expect(stdout.trimEnd().split('\n')).toEqual(expected)
  })

  it('shows only conditions, texts and responses that the schema accepts', () => {
    let checked = 0
    for (const text of snippets) {
      for (const chunk of text.split(/\n(?=\{)/)) {
        const value = JSON.parse(chunk) as Record<string, unknown>
        const schema = 'field' in value ? FieldCondition : 'surveyId' in value ? SurveyResponse : LocalText
        expect(Value.Check(schema, value), chunk).toBe(true)
        checked++
      }
    }
    expect(checked).toBeGreaterThanOrEqual(6)
  })

  it('says a number masking would hide is refused, naming the field, not stored as given', () => {
    const section = page.split('\n## Masking of answers\n')[1]!.split('\n## ')[0]!
    expect(section).toMatch(/unless masking would hide one/)
    expect(section).toContain('PARLEY_ERR_SURVEY_ANSWER_INVALID')
    expect(section).not.toMatch(/numbers, booleans and consents hold no free text and are\s+stored as given/i)
  })

  it('describes every field type and every survey error code', () => {
    for (const type of FIELD_TYPES) expect(page, type).toContain(`| \`${type}\` |`)
    const codes = Object.keys(ERRORS).filter((c) => /SURVEY|REPORT/.test(c))
    expect(codes.length).toBeGreaterThanOrEqual(5)
    for (const code of codes) expect(page, code).toContain(`| \`${code}\` |`)
  })
})
