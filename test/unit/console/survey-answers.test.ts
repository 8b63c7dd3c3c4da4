import { describe, expect, it } from 'vitest'
import type { Survey, SurveyResponse } from '@parley/sdk/contract'
import { answerRows, mergeResponses } from '../../../widget/src/console/survey-answers.js'

const pre: Survey = {
  id: 'pre', kind: 'pre', version: 2, defaultLanguage: 'en',
  fields: [
    { id: 'topic', type: 'choice', label: { en: 'Topic', fr: 'Sujet' }, options: [{ value: 'billing', label: { en: 'Billing', fr: 'Facturation' } }, { value: 'tech', label: 'Technical' }] },
    { id: 'products', type: 'multichoice', label: 'Products', options: [{ value: 'a', label: 'Alpha' }, { value: 'b', label: 'Beta' }] },
    { id: 'name', type: 'text', label: 'Your name' },
    { id: 'ok', type: 'consent', label: 'I agree to be contacted' },
  ],
}
const post: Survey = {
  id: 'post', kind: 'post', version: 1,
  fields: [{ id: 'csat', type: 'csat', label: 'How did we do?' }, { id: 'nps', type: 'nps', label: 'Recommend us?' }, { id: 'solved', type: 'yesno', label: 'Solved?' }],
}
const response = (r: Partial<SurveyResponse> & Pick<SurveyResponse, 'answers'>): SurveyResponse => ({ surveyId: 'pre', version: 2, kind: 'pre', at: 1, ...r })
const rows = (r: SurveyResponse, s?: Survey) => answerRows(r, s).map(({ label, text }) => [label, text])

describe('survey answers as the agent reads them', () => {
  it('shows each field by the label it was asked with, in the order the survey asks', () => {
    const r = response({ answers: { name: 'Ana', topic: 'billing' }, labels: { topic: 'Sujet', name: 'Votre nom' }, language: 'fr' })
    expect(rows(r, pre)).toEqual([['Sujet', 'Facturation'], ['Votre nom', 'Ana']])
  })

  it('falls back to the version\'s label in the answer\'s language, then to the field id', () => {
    expect(rows(response({ answers: { topic: 'tech' }, language: 'fr' }), pre)).toEqual([['Sujet', 'Technical']])
    expect(rows(response({ answers: { topic: 'tech' } }))).toEqual([['topic', 'tech']])
  })

  it('shows a multiple choice as its option labels, or its values when the version is unknown', () => {
    expect(rows(response({ answers: { products: ['b', 'a'] } }), pre)).toEqual([['Products', 'Beta, Alpha']])
    expect(rows(response({ answers: { products: ['b', 'a'] } }))).toEqual([['products', 'b, a']])
  })

  it('keeps an option value the version does not list as it was stored', () => {
    expect(rows(response({ answers: { topic: 'gone' } }), pre)).toEqual([['Topic', 'gone']])
  })

  it('shows CSAT and NPS as numbers with their scale, and yes/no in words', () => {
    const r = response({ surveyId: 'post', version: 1, kind: 'post', answers: { csat: 4, nps: 9, solved: false } })
    expect(rows(r, post)).toEqual([['How did we do?', '4 on a scale of 1–5'], ['Recommend us?', '9 on a scale of 0–10'], ['Solved?', 'No']])
  })

  it('names a consent whose label is the text agreed to "Consent", so the text shows once', () => {
    const r = response({ answers: { ok: true }, consents: { ok: 'I agree to be contacted' }, labels: { ok: 'I agree to be contacted' } })
    expect(answerRows(r, pre)).toEqual([{ fieldId: 'ok', label: 'Consent', text: 'Agreed', consent: 'I agree to be contacted' }])
  })

  it('shows a consent with the exact text the visitor agreed to', () => {
    const r = response({ answers: { ok: true }, consents: { ok: 'I agree to be contacted by e-mail' } })
    expect(answerRows(r, pre)).toEqual([{ fieldId: 'ok', label: 'I agree to be contacted', text: 'Agreed', consent: 'I agree to be contacted by e-mail' }])
    expect(answerRows(r)[0]).toMatchObject({ text: 'Agreed', consent: 'I agree to be contacted by e-mail' })
  })

  it('keeps markup in an answer as text for the view to render as text', () => {
    expect(rows(response({ answers: { name: '<img src=x onerror=alert(1)>' } }), pre)).toEqual([['Your name', '<img src=x onerror=alert(1)>']])
  })

  it('lists an answer to a field the version does not know after the ones it does', () => {
    expect(rows(response({ answers: { extra: 3, name: 'Bo' } }), pre)).toEqual([['Your name', 'Bo'], ['extra', '3']])
  })

  it('reads a field called like an object property by its own answer and label only', () => {
    const odd: Survey = { id: 'odd', kind: 'pre', version: 1, fields: [{ id: 'constructor', type: 'text', label: 'Built by' }, { id: 'name', type: 'text', label: 'Name' }] }
    expect(rows(response({ answers: { name: 'Li' } }), odd)).toEqual([['Name', 'Li']])
    expect(rows(response({ answers: { constructor: 'Bo' } }), odd)).toEqual([['Built by', 'Bo']])
  })

  it('merges answers once each, oldest first', () => {
    const a = response({ answers: {}, at: 5 })
    const b = response({ surveyId: 'post', kind: 'post', answers: {}, at: 2 })
    expect(mergeResponses([a], [b, a, b]).map((r) => r.at)).toEqual([2, 5])
  })
})
