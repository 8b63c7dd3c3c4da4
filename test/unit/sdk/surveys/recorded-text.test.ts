import { describe, expect, it } from 'vitest'
import type { Survey } from '../../../../sdk/src/contract/surveys.js'
import { consentTexts, describeProblem, fieldLabels, type AnswerProblem } from '../../../../sdk/src/surveys/surveys.js'

const survey: Survey = {
  id: 'pre', kind: 'pre', defaultLanguage: 'fr',
  fields: [
    { id: 'name', type: 'text', label: { fr: 'Nom', en: 'Name' } },
    { id: 'terms', type: 'consent', label: { fr: 'J’accepte', en: 'I agree to the terms' }, required: true },
    { id: 'news', type: 'consent', label: { fr: 'Lettre', en: 'Newsletter' } },
    { id: 'note', type: 'text', label: { fr: 'Note' } },
  ],
}

describe('consentTexts', () => {
  it('keeps the label of each ticked consent in the visitor language', () => {
    expect(consentTexts(survey, { terms: true, news: false }, 'en-GB')).toEqual({ terms: 'I agree to the terms' })
  })

  it('falls back to the survey default language', () => {
    expect(consentTexts(survey, { terms: true, news: true }, 'de')).toEqual({ terms: 'J’accepte', news: 'Lettre' })
  })
})

describe('fieldLabels', () => {
  it('names each answered field, in the language shown', () => {
    expect(fieldLabels(survey, { name: 'Ana', terms: true, note: '' }, 'en')).toEqual({ name: 'Name', terms: 'I agree to the terms' })
  })
})

describe('describeProblem', () => {
  it.each<[AnswerProblem, string]>([
    [{ field: 'f', code: 'required' }, 'is required'],
    [{ field: 'f', code: 'type' }, 'is not the kind of value this field takes'],
    [{ field: 'f', code: 'too-short', limit: 1 }, 'is shorter than 1 character'],
    [{ field: 'f', code: 'too-long', limit: 500 }, 'is longer than 500 characters'],
    [{ field: 'f', code: 'too-small', limit: 1 }, 'is less than 1'],
    [{ field: 'f', code: 'too-large', limit: 10 }, 'is more than 10'],
    [{ field: 'f', code: 'not-integer' }, 'is not a whole number'],
    [{ field: 'f', code: 'email' }, 'is not an e-mail address'],
    [{ field: 'f', code: 'phone' }, 'is not a phone number'],
    [{ field: 'f', code: 'format' }, 'is not in the format the field asks for'],
    [{ field: 'f', code: 'option' }, 'is not one of the options'],
    [{ field: 'f', code: 'too-few', limit: 2 }, 'has fewer than 2 choices'],
    [{ field: 'f', code: 'too-many', limit: 1 }, 'has more than 1 choice'],
    [{ field: 'f', code: 'unknown-field' }, 'is not a field of this survey'],
  ])('words %j', (problem, expected) => {
    expect(describeProblem(problem)).toBe(expected)
  })
})
