import { describe, expect, it } from 'vitest'
import type { Survey, SurveyField, SurveysConfig } from '../../../../sdk/src/contract/surveys.js'
import { checkSurveys } from '../../../../sdk/src/surveys/surveys.js'

// checkSurveys: one row per check, (what, document, path of the first problem or null).

const options = [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }, { value: 'c', label: 'C' }]
const text = (id: string, extra: Partial<SurveyField> = {}): SurveyField => ({ id, type: 'text', label: id, ...extra })
const one = (fields: SurveyField[], kind: Survey['kind'] = 'pre'): SurveysConfig => ({ surveys: [{ id: 's', kind, fields }] })
const offlineFields: SurveyField[] = [
  { id: 'email', type: 'email', label: 'E-mail', required: true, purpose: 'email' },
  { id: 'message', type: 'longtext', label: 'Message', required: true, purpose: 'message' },
]
const valid: SurveysConfig = {
  surveys: [
    { id: 'pre', kind: 'pre', fields: [
      { id: 'topic', type: 'choice', label: 'Topic', options: [{ value: 'a', label: 'A', route: { topic: 'a', priority: 'high' } }, { value: 'b', label: 'B' }] },
      { id: 'more', type: 'multichoice', label: 'More', options, minChoices: 1, maxChoices: 3, when: { field: 'topic', is: 'a' } },
      { id: 'name', type: 'text', label: 'Name', purpose: 'name', minLength: 2, maxLength: 80, format: 'alphanumeric' },
      { id: 'n', type: 'number', label: 'N', min: 0, max: 10, integer: true },
      { id: 'x', type: 'text', label: 'X', when: { field: 'more', in: ['b', 'c'] } },
      { id: 'y', type: 'yesno', label: 'Y' },
      { id: 'z', type: 'text', label: 'Z', when: { field: 'y', is: false } },
      { id: 'r', type: 'rating', label: 'R', when: { field: 'n', is: 3 } },
      { id: 'q', type: 'text', label: 'Q', when: { field: 'r', answered: true } },
    ] },
    { id: 'post', kind: 'post', fields: [{ id: 'csat', type: 'csat', label: 'CSAT' }, { id: 'why', type: 'longtext', label: 'Why', when: { field: 'csat', is: 1 } }] },
    { id: 'off', kind: 'offline', fields: offlineFields },
  ],
  pre: 'pre', post: 'post', offline: 'off',
}

describe('checkSurveys', () => {
  it('accepts a document that uses every kind of key correctly', () => {
    expect(checkSurveys(valid, new Map([['pre', 'pre'], ['off', 'offline']]))).toBeNull()
  })

  it('accepts an empty list', () => {
    expect(checkSurveys({ surveys: [] })).toBeNull()
  })

  it.each<[string, SurveysConfig, string]>([
    ['a survey id used twice', { surveys: [{ id: 's', kind: 'post', fields: [text('a')] }, { id: 's', kind: 'post', fields: [text('a')] }] }, 'surveys/1/id'],
    ['a field id used twice', one([text('a'), text('b'), text('a')]), 'surveys/0/fields/2/id'],
    ['an option value used twice', one([{ id: 'c', type: 'choice', label: 'C', options: [...options, { value: 'b', label: 'B2' }] }]), 'surveys/0/fields/0/options/3/value'],
    ['a choice without options', one([{ id: 'c', type: 'choice', label: 'C' }]), 'surveys/0/fields/0/options'],
    ['a multichoice without options', one([{ id: 'c', type: 'multichoice', label: 'C' }]), 'surveys/0/fields/0/options'],
    ['options on a text field', one([text('t', { options })]), 'surveys/0/fields/0/options'],
    ['maxLength on a number', one([{ id: 'n', type: 'number', label: 'N', maxLength: 5 }]), 'surveys/0/fields/0/maxLength'],
    ['minLength on a choice', one([{ id: 'c', type: 'choice', label: 'C', options, minLength: 1 }]), 'surveys/0/fields/0/minLength'],
    ['min on a text', one([text('t', { min: 1 })]), 'surveys/0/fields/0/min'],
    ['max on a rating', one([{ id: 'r', type: 'rating', label: 'R', max: 3 }]), 'surveys/0/fields/0/max'],
    ['integer on an nps', one([{ id: 'r', type: 'nps', label: 'R', integer: true }]), 'surveys/0/fields/0/integer'],
    ['format on an email', one([{ id: 'e', type: 'email', label: 'E', format: 'digits' }]), 'surveys/0/fields/0/format'],
    ['minChoices on a choice', one([{ id: 'c', type: 'choice', label: 'C', options, minChoices: 1 }]), 'surveys/0/fields/0/minChoices'],
    ['maxChoices on a text', one([text('t', { maxChoices: 1 })]), 'surveys/0/fields/0/maxChoices'],
    ['min over max', one([{ id: 'n', type: 'number', label: 'N', min: 5, max: 4 }]), 'surveys/0/fields/0/max'],
    ['minLength over maxLength', one([text('t', { minLength: 5, maxLength: 4 })]), 'surveys/0/fields/0/maxLength'],
    ['minChoices over maxChoices', one([{ id: 'm', type: 'multichoice', label: 'M', options, minChoices: 3, maxChoices: 2 }]), 'surveys/0/fields/0/maxChoices'],
    ['maxChoices over the options', one([{ id: 'm', type: 'multichoice', label: 'M', options, maxChoices: 4 }]), 'surveys/0/fields/0/maxChoices'],
    ['minChoices over the options', one([{ id: 'm', type: 'multichoice', label: 'M', options, minChoices: 4 }]), 'surveys/0/fields/0/minChoices'],
    ['a when naming a later field', one([text('a', { when: { field: 'b', answered: true } }), text('b')]), 'surveys/0/fields/0/when/field'],
    ['a when naming itself', one([text('a', { when: { field: 'a', answered: true } })]), 'surveys/0/fields/0/when/field'],
    ['a when naming no field', one([text('a'), text('b', { when: { field: 'zz', is: 'x' } })]), 'surveys/0/fields/1/when/field'],
    ['a when testing a choice for no option', one([{ id: 'c', type: 'choice', label: 'C', options }, text('b', { when: { field: 'c', is: 'd' } })]), 'surveys/0/fields/1/when/is'],
    ['a when listing no option of a multichoice', one([{ id: 'c', type: 'multichoice', label: 'C', options }, text('b', { when: { field: 'c', in: ['a', 'd'] } })]), 'surveys/0/fields/1/when/in'],
    ['a when testing a yes/no for text', one([{ id: 'y', type: 'yesno', label: 'Y' }, text('b', { when: { field: 'y', is: 'yes' } })]), 'surveys/0/fields/1/when/is'],
    ['a when testing a consent for a number', one([{ id: 'y', type: 'consent', label: 'Y' }, text('b', { when: { field: 'y', is: 1 } })]), 'surveys/0/fields/1/when/is'],
    ['a when testing an nps for 11', one([{ id: 'n', type: 'nps', label: 'N' }, text('b', { when: { field: 'n', is: 11 } })]), 'surveys/0/fields/1/when/is'],
    ['a when testing a number outside its range', one([{ id: 'n', type: 'number', label: 'N', max: 5 }, text('b', { when: { field: 'n', is: 6 } })]), 'surveys/0/fields/1/when/is'],
    ['a when testing a text for a boolean', one([text('a'), text('b', { when: { field: 'a', is: true } })]), 'surveys/0/fields/1/when/is'],
    ['purpose email on a text', one([text('t', { purpose: 'email' })]), 'surveys/0/fields/0/purpose'],
    ['purpose phone on an email', one([{ id: 'e', type: 'email', label: 'E', purpose: 'phone' }]), 'surveys/0/fields/0/purpose'],
    ['purpose name on a longtext', one([{ id: 'l', type: 'longtext', label: 'L', purpose: 'name' }]), 'surveys/0/fields/0/purpose'],
    ['purpose message on a choice', one([{ id: 'c', type: 'choice', label: 'C', options, purpose: 'message' }]), 'surveys/0/fields/0/purpose'],
    ['a purpose given twice', one([text('a', { purpose: 'name' }), text('b', { purpose: 'name' })]), 'surveys/0/fields/1/purpose'],
    ['a route in a post survey', one([{ id: 'c', type: 'choice', label: 'C', options: [{ value: 'a', label: 'A', route: { topic: 't' } }, { value: 'b', label: 'B' }] }], 'post'), 'surveys/0/fields/0/options/0/route'],
    ['a route in an offline survey', one([...offlineFields, { id: 'c', type: 'choice', label: 'C', options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B', route: { skill: 's' } }] }], 'offline'), 'surveys/0/fields/2/options/1/route'],
    ['an offline survey without an email field', one([offlineFields[1]!], 'offline'), 'surveys/0/fields'],
    ['an offline survey without a message field', one([offlineFields[0]!], 'offline'), 'surveys/0/fields'],
    ['an offline survey whose email is optional', one([{ ...offlineFields[0]!, required: false }, offlineFields[1]!], 'offline'), 'surveys/0/fields'],
    ['an offline survey whose message can hide', one([text('t'), offlineFields[0]!, { ...offlineFields[1]!, when: { field: 't', answered: true } }], 'offline'), 'surveys/0/fields'],
    ['pre naming a post survey', { ...valid, pre: 'post' }, 'pre'],
    ['post naming no survey', { ...valid, post: 'gone' }, 'post'],
    ['offline naming a pre survey', { ...valid, offline: 'pre' }, 'offline'],
  ])('finds %s', (_, config, path) => {
    expect(checkSurveys(config)?.path).toBe(path)
  })

  it('finds a rule naming a survey the list lacks', () => {
    expect(checkSurveys(valid, new Map([['gone', 'pre']]))).toEqual({ path: 'surveys', message: 'a rule names pre survey "gone", which the list lacks' })
  })

  it('finds a rule naming a survey of the wrong kind', () => {
    expect(checkSurveys(valid, new Map([['pre', 'offline']]))?.path).toBe('surveys')
  })

  it('says why in English', () => {
    expect(checkSurveys(one([{ id: 'c', type: 'choice', label: 'C' }]))).toEqual({ path: 'surveys/0/fields/0/options', message: 'a choice field needs options' })
  })
})
