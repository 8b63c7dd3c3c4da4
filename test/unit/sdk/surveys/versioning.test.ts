import { describe, expect, it } from 'vitest'
import type { Survey } from '../../../../sdk/src/contract/surveys.js'
import { sameSurveyContent } from '../../../../sdk/src/surveys/surveys.js'

const base: Survey = {
  id: 'post', kind: 'post', version: 3, title: { en: 'How did we do?', fr: 'Alors ?' },
  fields: [{ id: 'score', type: 'csat', label: 'Score', required: true }, { id: 'why', type: 'longtext', label: 'Why?' }],
}

describe('sameSurveyContent', () => {
  it('ignores the version', () => {
    expect(sameSurveyContent(base, { ...base, version: 4 })).toBe(true)
  })

  it('ignores a missing version', () => {
    const { version: _, ...unversioned } = base
    expect(sameSurveyContent(base, unversioned)).toBe(true)
  })

  it('ignores key order', () => {
    const reordered = JSON.parse('{"fields":[{"required":true,"label":"Score","type":"csat","id":"score"},{"label":"Why?","type":"longtext","id":"why"}],"title":{"fr":"Alors ?","en":"How did we do?"},"kind":"post","id":"post"}')
    expect(sameSurveyContent(base, reordered)).toBe(true)
  })

  it('sees a changed label', () => {
    expect(sameSurveyContent(base, { ...base, title: { en: 'How did we do?', fr: 'Alors ?!' } })).toBe(false)
  })

  it('sees fields in another order', () => {
    expect(sameSurveyContent(base, { ...base, fields: [base.fields[1]!, base.fields[0]!] })).toBe(false)
  })

  it('sees an added key', () => {
    expect(sameSurveyContent(base, { ...base, fields: [{ ...base.fields[0]!, help: 'x' }, base.fields[1]!] })).toBe(false)
  })

  it('sees a removed field', () => {
    expect(sameSurveyContent(base, { ...base, fields: [base.fields[0]!] })).toBe(false)
  })

  it('sees a label turn from a string into an object', () => {
    expect(sameSurveyContent(base, { ...base, fields: [{ ...base.fields[0]!, label: { en: 'Score' } }, base.fields[1]!] })).toBe(false)
  })

  it('treats a key set to undefined as absent', () => {
    expect(sameSurveyContent(base, { ...base, intro: undefined })).toBe(true)
  })
})
