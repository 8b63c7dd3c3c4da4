import { describe, expect, it } from 'vitest'
import type { Survey } from '@parley/sdk/contract'
import { knownAnswers, leftToAsk, maskAnswers, rememberAnswers, surveyLanguage } from '../../../widget/src/consumer/survey-answers.js'
import { problemText } from '../../../widget/src/consumer/survey-problem-text.js'
import { EN } from '../../../widget/src/i18n/strings.js'

// A form's answers on their way out: free text masked like a message, the contact address kept as
// the relay keeps it; what a visitor answered before a pre-chat form, so it is not asked again
// (a consent only while its text is unchanged); and a problem worded for the visitor.

const mask = (t: string) => t.replace(/\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}/g, '[card]').replace(/\S+@\S+/g, '[email]')
const survey: Survey = {
  id: 'pre', kind: 'pre', version: 3,
  fields: [
    { id: 'name', type: 'text', label: 'Name', purpose: 'name' },
    { id: 'mail', type: 'email', label: 'E-mail', purpose: 'email' },
    { id: 'tel', type: 'phone', label: 'Phone', purpose: 'phone' },
    { id: 'note', type: 'longtext', label: 'Note' },
    { id: 'topic', type: 'choice', label: 'Topic', options: [{ value: 'billing', label: 'Billing' }, { value: 'tech', label: 'Tech' }] },
    { id: 'ok', type: 'consent', label: { en: 'I agree to the terms', fr: "J'accepte" } },
  ],
}

describe('maskAnswers', () => {
  it('masks free text like a message', () => {
    expect(maskAnswers(survey, { note: 'card 4111 1111 1111 1111, mail me at a@b.example' }, mask)).toEqual({ note: 'card [card], mail me at [email]' })
  })

  it('keeps the contact e-mail address and masks a card number inside it', () => {
    expect(maskAnswers(survey, { mail: 'ann@shop.example' }, mask)).toEqual({ mail: 'ann@shop.example' })
    expect(maskAnswers(survey, { mail: '4111111111111111@x.example' }, mask)).toEqual({ mail: '[card]@x.example' })
  })

  it('keeps the contact phone number, option values and ticks as they are', () => {
    expect(maskAnswers(survey, { tel: '+44 20 7946 0000', topic: 'billing', ok: true }, mask)).toEqual({ tel: '+44 20 7946 0000', topic: 'billing', ok: true })
  })
})

describe('remembered pre-chat answers', () => {
  it('offers the earlier answers again, valid ones only', () => {
    const r = rememberAnswers({}, survey, { name: 'Ann', topic: 'billing' }, 'en')
    expect(knownAnswers(survey, r, 'en')).toEqual({ name: 'Ann', topic: 'billing' })
    const noBilling: Survey = { ...survey, fields: survey.fields.map((f) => (f.id === 'topic' ? { ...f, options: [{ value: 'tech', label: 'Tech' }, { value: 'other', label: 'Other' }] } : f)) }
    expect(knownAnswers(noBilling, r, 'en')).toEqual({ name: 'Ann' })
  })

  it('asks a consent again when its text changed since it was given', () => {
    const r = rememberAnswers({}, survey, { ok: true }, 'en')
    expect(knownAnswers(survey, r, 'en')).toEqual({ ok: true })
    const reworded: Survey = { ...survey, fields: survey.fields.map((f) => (f.id === 'ok' ? { ...f, label: 'I agree to the new terms' } : f)) }
    expect(knownAnswers(reworded, r, 'en')).toEqual({})
  })

  it('never remembers a field that routes the chat, so it is asked every time', () => {
    const routed: Survey = { ...survey, fields: survey.fields.map((f) => (f.id === 'topic' ? { ...f, options: [{ value: 'billing', label: 'Billing', route: { topic: 'billing' } }] } : f)) }
    const r = rememberAnswers({}, routed, { name: 'Ann', topic: 'billing' }, 'en')
    expect(r['pre']).toEqual({ name: { value: 'Ann' } })
    expect(knownAnswers(routed, rememberAnswers({}, survey, { topic: 'billing' }, 'en'), 'en')).toEqual({})
  })

  it('has nothing left to ask once every shown field was answered before', () => {
    const small: Survey = { id: 's', kind: 'pre', fields: [{ id: 'name', type: 'text', label: 'Name' }, { id: 'why', type: 'text', label: 'Why', when: { field: 'name', is: 'x' } }] }
    expect(leftToAsk(small, {})).toBe(true)
    expect(leftToAsk(small, { name: 'Ann' })).toBe(false)
    expect(leftToAsk(small, { name: 'x' })).toBe(true)
  })

  it('keeps the answers of each survey apart', () => {
    const r = rememberAnswers({}, survey, { name: 'Ann' }, 'en')
    expect(knownAnswers({ ...survey, id: 'other' }, r, 'en')).toEqual({})
  })
})

describe('surveyLanguage', () => {
  const fr: Survey = { id: 'p', kind: 'post', title: { en: 'Survey', fr: 'Enquête' }, fields: [{ id: 'a', type: 'text', label: { en: 'A', 'pt-BR': 'A' } }] }

  it('picks the first of the visitor\'s languages the survey gives, by base language too', () => {
    expect(surveyLanguage(fr, ['fr-CA', 'en'], 'en')).toBe('fr')
    expect(surveyLanguage(fr, ['de', 'pt-BR', 'fr'], 'en')).toBe('pt-BR')
  })

  it('falls back to the widget\'s language when the survey gives none of the visitor\'s', () => {
    expect(surveyLanguage(fr, ['de', 'ja'], 'ar')).toBe('ar')
    expect(surveyLanguage({ ...fr, title: 'Survey', fields: [{ id: 'a', type: 'text', label: 'A' }] }, ['fr'], 'en')).toBe('en')
  })
})

describe('problemText', () => {
  it('asks for a tick on a required consent box', () => {
    expect(problemText(EN, { code: 'required' }, 'consent')).toBe('Please tick this box to continue.')
  })

  it('words a problem with its limit', () => {
    expect(problemText(EN, { code: 'too-long', limit: 500 })).toBe('Please write at most 500 characters.')
    expect(problemText(EN, { code: 'required' })).toBe(EN.required)
  })
})
