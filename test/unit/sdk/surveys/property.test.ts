import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { SurveyField } from '../../../../sdk/src/contract/surveys.js'
import { answerProblems, validateAnswers } from '../../../../sdk/src/surveys/surveys.js'

// The form and the relay must never disagree: whatever arrives, the widget shows no problem exactly
// when the relay stores the answers, and what the relay stores passes again unchanged.

const options = [{ value: 'billing', label: 'Billing' }, { value: 'tech', label: 'Tech' }, { value: 'sales', label: 'Sales' }]
const fields: SurveyField[] = [
  { id: 'topic', type: 'choice', label: 'Topic', options, required: true },
  { id: 'invoice', type: 'text', label: 'Invoice', format: 'digits', maxLength: 8, when: { field: 'topic', is: 'billing' }, required: true },
  { id: 'tags', type: 'multichoice', label: 'Tags', options, maxChoices: 2, when: { field: 'invoice', answered: true } },
  { id: 'email', type: 'email', label: 'E-mail' },
  { id: 'phone', type: 'phone', label: 'Phone' },
  { id: 'n', type: 'number', label: 'N', min: -5, max: 5, integer: true },
  { id: 'nps', type: 'nps', label: 'NPS' },
  { id: 'ok', type: 'yesno', label: 'OK' },
  { id: 'terms', type: 'consent', label: 'Terms', required: true },
  { id: 'note', type: 'longtext', label: 'Note', minLength: 2 },
]
const value = fc.oneof(
  fc.constantFrom('billing', 'tech', 'sales', '', '  ', '123', 'a@b.c', '+1 555 123 4567', 'x'),
  fc.string({ maxLength: 12 }),
  fc.double(), fc.integer({ min: -12, max: 12 }), fc.boolean(), fc.constant(null),
  fc.array(fc.constantFrom('billing', 'tech', 'sales', 'nope'), { maxLength: 4 }),
)
const key = fc.constantFrom(...fields.map((f) => f.id), '__proto__', 'constructor', 'toString', 'extra')
const answers = fc.dictionary(key, value, { maxKeys: 12 })

describe('answerProblems and validateAnswers', () => {
  it('agree on every input: no problem exactly when the answers are stored', () => {
    fc.assert(fc.property(answers, (given) => {
      expect(answerProblems({ fields }, given as never).length === 0).toBe(validateAnswers({ fields }, given as never).ok)
    }), { numRuns: 2000 })
  })

  it('store answers that pass again unchanged', () => {
    fc.assert(fc.property(answers, (given) => {
      const first = validateAnswers({ fields }, given as never)
      if (first.ok) expect(validateAnswers({ fields }, first.answers)).toEqual(first)
    }), { numRuns: 2000 })
  })

  it('find stored answers in some runs, so the properties are not vacuous', () => {
    const stored = fc.sample(answers.map((given) => ({ ...given, topic: 'tech', terms: true })), 500)
      .filter((given) => validateAnswers({ fields }, given as never).ok)
    expect(stored.length).toBeGreaterThan(0)
  })
})
