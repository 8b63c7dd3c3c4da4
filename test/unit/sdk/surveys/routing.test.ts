import { describe, expect, it } from 'vitest'
import type { Answers, SurveyField } from '../../../../sdk/src/contract/surveys.js'
import { routeOf } from '../../../../sdk/src/surveys/surveys.js'

// routeOf: (answers, routing) rows over one pre-chat survey whose options route.

const fields: SurveyField[] = [
  { id: 'topic', type: 'choice', label: 'Topic', options: [
    { value: 'billing', label: 'Billing', route: { topic: 'billing', skill: 'finance', priority: 'high' } },
    { value: 'tech', label: 'Tech', route: { topic: 'tech', skill: 'support' } },
    { value: 'other', label: 'Other' },
  ] },
  { id: 'outage', type: 'yesno', label: 'Is it down?', when: { field: 'topic', is: 'tech' } },
  { id: 'area', type: 'choice', label: 'Area', when: { field: 'topic', is: 'tech' }, options: [
    { value: 'api', label: 'API', route: { skill: 'api' } },
    { value: 'app', label: 'App', route: { priority: 'low' } },
  ] },
  { id: 'extras', type: 'multichoice', label: 'Also', options: [
    { value: 'urgent', label: 'Urgent', route: { priority: 'urgent' } },
    { value: 'sales', label: 'Sales', route: { topic: 'sales' } },
    { value: 'normal', label: 'Normal', route: { priority: 'normal' } },
  ] },
]

describe('routeOf', () => {
  it.each<[string, Answers, object]>([
    ['nothing is answered', {}, {}],
    ['the picked option does not route', { topic: 'other' }, {}],
    ['one option routes', { topic: 'billing' }, { topic: 'billing', skill: 'finance', priority: 'high' }],
    ['a later field sets the skill', { topic: 'tech', area: 'api' }, { topic: 'tech', skill: 'api' }],
    ['a later low priority does not lower a high one', { topic: 'billing', extras: ['normal'] }, { topic: 'billing', skill: 'finance', priority: 'high' }],
    ['the highest priority of a multichoice wins', { extras: ['normal', 'urgent'] }, { priority: 'urgent' }],
    ['a later multichoice sets the topic', { topic: 'billing', extras: ['sales'] }, { topic: 'sales', skill: 'finance', priority: 'high' }],
    ['a hidden field does not route', { topic: 'billing', area: 'api' }, { topic: 'billing', skill: 'finance', priority: 'high' }],
    ['a lone low priority is kept', { topic: 'tech', area: 'app' }, { topic: 'tech', skill: 'support', priority: 'low' }],
    ['an unknown pick does not route', { topic: 'nope' }, {}],
  ])('routes right when %s', (_, answers, expected) => {
    expect(routeOf({ fields }, answers)).toEqual(expected)
  })

  it('leaves no key set to undefined', () => {
    expect(Object.keys(routeOf({ fields }, { topic: 'tech' }))).toEqual(['topic', 'skill'])
  })
})
