import { describe, expect, it } from 'vitest'
import type { SurveyField } from '../../../../sdk/src/contract/surveys.js'
import { answerProblems, validateAnswers, type AnswerProblem } from '../../../../sdk/src/surveys/surveys.js'

// One field per row: (what, field, answer, expected problem or null). Answers come from untrusted
// JSON, so the hostile rows pass values of the wrong type on purpose.

type Row = [string, Partial<SurveyField> & Pick<SurveyField, 'type'>, unknown, Omit<AnswerProblem, 'field'> | null]
const opts = [{ value: 'billing', label: 'Billing' }, { value: 'tech', label: 'Tech' }, { value: 'sales', label: 'Sales' }]
const problemOf = (field: Row[1], value: unknown) => {
  const survey = { fields: [{ id: 'f', label: 'F', ...field } as SurveyField] }
  return answerProblems(survey, value === undefined ? {} : { f: value } as never)[0] ?? null
}

const rows: Row[] = [
  // text, longtext
  ['a short text', { type: 'text' }, 'hello', null],
  ['a number where text goes', { type: 'text' }, 42, { code: 'type' }],
  ['an array where text goes', { type: 'text' }, ['a'], { code: 'type' }],
  ['a boolean where text goes', { type: 'text' }, true, { code: 'type' }],
  ['text over the default 500', { type: 'text' }, 'x'.repeat(501), { code: 'too-long', limit: 500 }],
  ['text of exactly 500', { type: 'text' }, 'x'.repeat(500), null],
  ['text over maxLength', { type: 'text', maxLength: 5 }, 'abcdef', { code: 'too-long', limit: 5 }],
  ['text within maxLength once trimmed', { type: 'text', maxLength: 5 }, '  abcde  ', null],
  ['text under minLength once trimmed', { type: 'text', minLength: 3 }, ' ab ', { code: 'too-short', limit: 3 }],
  ['a huge string', { type: 'text' }, 'x'.repeat(5_000_000), { code: 'too-long', limit: 500 }],
  ['longtext over the default 4,000', { type: 'longtext' }, 'y'.repeat(4001), { code: 'too-long', limit: 4000 }],
  ['longtext of 4,000', { type: 'longtext' }, 'y'.repeat(4000), null],
  // formats
  ['digits in a digits field', { type: 'text', format: 'digits' }, '0123', null],
  ['a letter in a digits field', { type: 'text', format: 'digits' }, '01a3', { code: 'format' }],
  ['a short text breaking a digits format', { type: 'text', format: 'digits', minLength: 6 }, '12-34', { code: 'format' }],
  ['short digits in a digits field with minLength', { type: 'text', format: 'digits', minLength: 6 }, '1234', { code: 'too-short', limit: 6 }],
  ['a short e-mail address that is none', { type: 'email', minLength: 6 }, 'a@b', { code: 'email' }],
  ['Unicode letters and digits in an alphanumeric field', { type: 'text', format: 'alphanumeric' }, 'Ünïcode日本٣', null],
  ['a dash in an alphanumeric field', { type: 'text', format: 'alphanumeric' }, 'ab-12', { code: 'format' }],
  ['an https URL', { type: 'text', format: 'url' }, 'https://example.com/a?b=c', null],
  ['an http URL', { type: 'text', format: 'url' }, 'http://example.com', null],
  ['a URL without a host', { type: 'text', format: 'url' }, 'https://', { code: 'format' }],
  ['a javascript: URL', { type: 'text', format: 'url' }, 'javascript:alert(1)', { code: 'format' }],
  ['a URL with a space', { type: 'text', format: 'url' }, 'https://a.b/x y', { code: 'format' }],
  // email
  ['an e-mail address', { type: 'email' }, 'a@b.c', null],
  ['an e-mail address without a dot in the domain', { type: 'email' }, 'a@b', { code: 'email' }],
  ['an e-mail address with two @', { type: 'email' }, 'a@b@c.d', { code: 'email' }],
  ['an e-mail address with a space', { type: 'email' }, 'a b@c.d', { code: 'email' }],
  ['an e-mail address with an empty domain label', { type: 'email' }, 'a@b..c', { code: 'email' }],
  ['an e-mail address of 254 characters', { type: 'email' }, `${'a'.repeat(248)}@b.com`, null],
  ['an e-mail address of 255 characters', { type: 'email' }, `${'a'.repeat(249)}@b.com`, { code: 'email' }],
  // phone
  ['a phone number with + and spaces', { type: 'phone' }, '+33 1 23 45 67 89', null],
  ['a phone number with brackets, dashes and dots', { type: 'phone' }, '(555) 123-45.67', null],
  ['six digits', { type: 'phone' }, '123456', { code: 'phone' }],
  ['sixteen digits', { type: 'phone' }, '1234567890123456', { code: 'phone' }],
  ['a plus in the middle', { type: 'phone' }, '123+4567890', { code: 'phone' }],
  ['a letter in a phone number', { type: 'phone' }, '12345678a', { code: 'phone' }],
  // number
  ['a number in range', { type: 'number', min: 1, max: 10 }, 10, null],
  ['a number under min', { type: 'number', min: 1 }, 0, { code: 'too-small', limit: 1 }],
  ['a number over max', { type: 'number', max: 10 }, 10.5, { code: 'too-large', limit: 10 }],
  ['a fraction where an integer goes', { type: 'number', integer: true }, 2.5, { code: 'not-integer' }],
  ['a fraction where any number goes', { type: 'number' }, 2.5, null],
  ['NaN', { type: 'number' }, Number.NaN, { code: 'type' }],
  ['Infinity', { type: 'number' }, Number.POSITIVE_INFINITY, { code: 'type' }],
  ['-Infinity', { type: 'number', min: 0 }, Number.NEGATIVE_INFINITY, { code: 'type' }],
  ['a numeric string', { type: 'number' }, '5', { code: 'type' }],
  // scales
  ['a rating of 5', { type: 'rating' }, 5, null],
  ['a rating of 0', { type: 'rating' }, 0, { code: 'too-small', limit: 1 }],
  ['a rating of 6', { type: 'rating' }, 6, { code: 'too-large', limit: 5 }],
  ['a rating of 4.5', { type: 'rating' }, 4.5, { code: 'not-integer' }],
  ['a CSAT of 1', { type: 'csat' }, 1, null],
  ['a CSAT of 0', { type: 'csat' }, 0, { code: 'too-small', limit: 1 }],
  ['an NPS of 0', { type: 'nps' }, 0, null],
  ['an NPS of 10', { type: 'nps' }, 10, null],
  ['an NPS of 11', { type: 'nps' }, 11, { code: 'too-large', limit: 10 }],
  ['an NPS of NaN', { type: 'nps' }, Number.NaN, { code: 'type' }],
  ['an NPS as a string', { type: 'nps' }, '9', { code: 'type' }],
  // yes/no, consent
  ['yes', { type: 'yesno' }, true, null],
  ['no to a required yes/no', { type: 'yesno', required: true }, false, null],
  ['"yes" as a string', { type: 'yesno' }, 'yes', { code: 'type' }],
  ['a ticked consent', { type: 'consent', required: true }, true, null],
  ['an unticked required consent', { type: 'consent', required: true }, false, { code: 'required' }],
  ['an unticked optional consent', { type: 'consent' }, false, null],
  ['a consent as a number', { type: 'consent' }, 1, { code: 'type' }],
  // choice, multichoice
  ['an option', { type: 'choice', options: opts }, 'tech', null],
  ['none of the options', { type: 'choice', options: opts }, 'other', { code: 'option' }],
  ['an inherited member name as a choice', { type: 'choice', options: opts }, 'constructor', { code: 'option' }],
  ['a list where one choice goes', { type: 'choice', options: opts }, ['tech'], { code: 'type' }],
  ['several options', { type: 'multichoice', options: opts }, ['tech', 'sales'], null],
  ['a string where picks go', { type: 'multichoice', options: opts }, 'tech', { code: 'type' }],
  ['a number among picks', { type: 'multichoice', options: opts }, ['tech', 3], { code: 'type' }],
  ['a duplicate pick', { type: 'multichoice', options: opts }, ['tech', 'tech'], { code: 'type' }],
  ['an unknown pick', { type: 'multichoice', options: opts }, ['tech', 'nope'], { code: 'option' }],
  ['fewer picks than minChoices', { type: 'multichoice', options: opts, minChoices: 2 }, ['tech'], { code: 'too-few', limit: 2 }],
  ['more picks than maxChoices', { type: 'multichoice', options: opts, maxChoices: 2 }, ['tech', 'sales', 'billing'], { code: 'too-many', limit: 2 }],
  // unanswered
  ['nothing to a required text', { type: 'text', required: true }, undefined, { code: 'required' }],
  ['an empty string to a required text', { type: 'text', required: true }, '', { code: 'required' }],
  ['blanks to a required text', { type: 'text', required: true }, '   ', { code: 'required' }],
  ['null to a required number', { type: 'number', required: true }, null, { code: 'required' }],
  ['an empty list to a required multichoice', { type: 'multichoice', options: opts, required: true, minChoices: 1 }, [], { code: 'required' }],
  ['an empty list to an optional multichoice with minChoices', { type: 'multichoice', options: opts, minChoices: 2 }, [], null],
  ['nothing to a required consent', { type: 'consent', required: true }, undefined, { code: 'required' }],
  ['an empty string to an optional e-mail', { type: 'email' }, '', null],
]

describe('answerProblems, one field', () => {
  it.each(rows)('judges %s', (_, field, value, expected) => {
    expect(problemOf(field, value)).toEqual(expected === null ? null : { field: 'f', ...expected })
  })
})

describe('answerProblems, hostile answers', () => {
  const survey = { fields: [{ id: 'name', type: 'text', label: 'Name' } as SurveyField] }

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])('refuses the key %s as an unknown field', (key) => {
    const answers = JSON.parse(`{${JSON.stringify(key)}: "x"}`)
    expect(answerProblems(survey, answers)).toEqual([{ field: key, code: 'unknown-field' }])
  })

  it('does not see inherited members as answers to fields named after them', () => {
    const named = { fields: [{ id: 'constructor', type: 'text', label: 'C', required: true } as SurveyField] }
    expect(answerProblems(named, {})).toEqual([{ field: 'constructor', code: 'required' }])
  })

  it('lists unknown fields after every field problem', () => {
    const two = { fields: [{ id: 'a', type: 'number', label: 'A' }, { id: 'b', type: 'text', label: 'B', required: true }] as SurveyField[] }
    expect(answerProblems(two, { zz: 1, a: 'x' } as never)).toEqual([
      { field: 'a', code: 'type' }, { field: 'b', code: 'required' }, { field: 'zz', code: 'unknown-field' },
    ])
  })

  it.each([null, 'answers', 7, []])('treats %j as no answers at all', (answers) => {
    const required = { fields: [{ id: 'name', type: 'text', label: 'Name', required: true } as SurveyField] }
    expect(answerProblems(required, answers as never)).toEqual([{ field: 'name', code: 'required' }])
  })

  it('refuses an object where text goes', () => {
    expect(answerProblems(survey, { name: { toString: 'x' } } as never)).toEqual([{ field: 'name', code: 'type' }])
  })
})

describe('validateAnswers', () => {
  const fields = [
    { id: 'topic', type: 'choice', label: 'Topic', options: opts, required: true },
    { id: 'invoice', type: 'text', label: 'Invoice', when: { field: 'topic', is: 'billing' }, required: true },
    { id: 'note', type: 'longtext', label: 'Note' },
    { id: 'tags', type: 'multichoice', label: 'Tags', options: opts },
    { id: 'ok', type: 'yesno', label: 'OK?' },
  ] as SurveyField[]

  it('returns the answers trimmed, with empty and hidden ones dropped', () => {
    const result = validateAnswers({ fields }, { topic: 'tech', invoice: 'INV-1', note: '  hi  ', tags: [], ok: false })
    expect(result).toEqual({ ok: true, answers: { topic: 'tech', note: 'hi', ok: false } })
  })

  it('keeps the answer to a conditional field that shows', () => {
    const result = validateAnswers({ fields }, { topic: 'billing', invoice: ' INV-1 ' })
    expect(result).toEqual({ ok: true, answers: { topic: 'billing', invoice: 'INV-1' } })
  })

  it('returns the first problem in field order', () => {
    const result = validateAnswers({ fields }, { topic: 'billing', ok: 'yes' } as never)
    expect(result).toEqual({ ok: false, problem: { field: 'invoice', code: 'required' } })
  })

  it('does not share the stored list with the submitted one', () => {
    const tags = ['tech']
    const result = validateAnswers({ fields }, { topic: 'tech', tags })
    tags.push('sales')
    expect(result).toEqual({ ok: true, answers: { topic: 'tech', tags: ['tech'] } })
  })

  it('ignores a wrong answer to a hidden field', () => {
    expect(answerProblems({ fields }, { topic: 'tech', invoice: 42 } as never)).toEqual([])
  })
})
