import { describe, expect, it } from 'vitest'
import type { Answers, SurveyField } from '../../../../sdk/src/contract/surveys.js'
import { answerProblems, visibleFields } from '../../../../sdk/src/surveys/surveys.js'

// Conditions: (answers, ids shown) rows over one survey with a chain C → B → A and each kind of test.

const options = [{ value: 'billing', label: 'Billing' }, { value: 'tech', label: 'Tech' }, { value: 'sales', label: 'Sales' }]
const fields: SurveyField[] = [
  { id: 'a', type: 'choice', label: 'Topic', options },
  { id: 'b', type: 'yesno', label: 'Paid?', when: { field: 'a', is: 'billing' } },
  { id: 'c', type: 'text', label: 'Invoice', when: { field: 'b', is: true }, required: true },
  { id: 'tags', type: 'multichoice', label: 'Tags', options },
  { id: 'd', type: 'text', label: 'Sales or tech?', when: { field: 'tags', in: ['sales', 'tech'] } },
  { id: 'score', type: 'nps', label: 'Score' },
  { id: 'why', type: 'longtext', label: 'Why?', when: { field: 'score', is: 0 } },
  { id: 'e', type: 'text', label: 'Anything?', when: { field: 'score', answered: true } },
  { id: 'f', type: 'text', label: 'No score?', when: { field: 'score', answered: false } },
]
const shown = (answers: Answers) => visibleFields({ fields }, answers).map((f) => f.id)

describe('visibleFields', () => {
  it.each<[string, Answers, string[]]>([
    ['no answers', {}, ['a', 'tags', 'score', 'f']],
    ['A is billing: B shows', { a: 'billing' }, ['a', 'b', 'tags', 'score', 'f']],
    ['A is billing, B yes: C shows', { a: 'billing', b: true }, ['a', 'b', 'c', 'tags', 'score', 'f']],
    ['A is billing, B no: C hides', { a: 'billing', b: false }, ['a', 'b', 'tags', 'score', 'f']],
    ['A changes while B still says yes: B and C hide', { a: 'tech', b: true, c: 'INV' }, ['a', 'tags', 'score', 'f']],
    ['a pick in the `in` list shows D', { tags: ['billing', 'tech'] }, ['a', 'tags', 'd', 'score', 'f']],
    ['no pick in the `in` list hides D', { tags: ['billing'] }, ['a', 'tags', 'score', 'f']],
    ['a score of 0 shows why (0 is an answer)', { score: 0 }, ['a', 'tags', 'score', 'why', 'e']],
    ['a score of 9 hides why', { score: 9 }, ['a', 'tags', 'score', 'e']],
    ['an empty list is no answer', { tags: [] }, ['a', 'tags', 'score', 'f']],
  ])('shows the right fields when %s', (_, answers, expected) => {
    expect(shown(answers)).toEqual(expected)
  })

  it('compares text as it will be stored, trimmed', () => {
    const text: SurveyField[] = [{ id: 'code', type: 'text', label: 'Code' }, { id: 'x', type: 'text', label: 'X', when: { field: 'code', is: 'vip' } }]
    expect(visibleFields({ fields: text }, { code: '  vip ' }).map((f) => f.id)).toEqual(['code', 'x'])
  })

  it('treats a condition on a later field as on a hidden one', () => {
    const later: SurveyField[] = [{ id: 'x', type: 'text', label: 'X', when: { field: 'y', answered: true } }, { id: 'y', type: 'text', label: 'Y' }]
    expect(visibleFields({ fields: later }, { y: 'there' }).map((f) => f.id)).toEqual(['y'])
  })

  it('does not require a field hidden by a hidden parent', () => {
    expect(answerProblems({ fields }, { a: 'tech', b: true })).toEqual([])
  })

  it('requires the end of the chain when the chain shows it', () => {
    expect(answerProblems({ fields }, { a: 'billing', b: true })).toEqual([{ field: 'c', code: 'required' }])
  })
})
