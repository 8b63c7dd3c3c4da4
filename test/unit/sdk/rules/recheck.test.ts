import { describe, expect, it } from 'vitest'
import type { Condition, Rule, VisitorFacts } from '../../../../sdk/src/contract/rules.js'
import { deriveFacts, nextRecheckMs } from '../../../../sdk/src/rules/rules.js'

// When the widget should evaluate again because time on page / on site crossed a threshold.

const facts = (v: Partial<VisitorFacts>) => deriveFacts({ url: '/', ...v }, null, 0)
const rule = (when: Condition, extra: Partial<Rule> = {}): Rule => ({ id: 'r', when, action: { type: 'hide' }, ...extra })

describe('nextRecheckMs', () => {
  it.each([
    ['gte 5 at 2 s: when it reaches 5', { fact: 'timeOnPageSec', op: 'gte', value: 5 }, { timeOnPageSec: 2 }, 3000],
    ['gt 5 at 2 s: just after it reaches 5', { fact: 'timeOnPageSec', op: 'gt', value: 5 }, { timeOnPageSec: 2 }, 3001],
    ['lt 5 at 2 s: when it reaches 5', { fact: 'timeOnPageSec', op: 'lt', value: 5 }, { timeOnPageSec: 2 }, 3000],
    ['lte 5 at 2 s: just after', { fact: 'timeOnPageSec', op: 'lte', value: 5 }, { timeOnPageSec: 2 }, 3001],
    ['eq 5 at 2 s: when it reaches 5', { fact: 'timeOnPageSec', op: 'eq', value: 5 }, { timeOnPageSec: 2 }, 3000],
    ['eq 5 at 5 s: just after', { fact: 'timeOnPageSec', op: 'eq', value: 5 }, { timeOnPageSec: 5 }, 1],
    ['gte 5 at 5 s: nothing ahead', { fact: 'timeOnPageSec', op: 'gte', value: 5 }, { timeOnPageSec: 5 }, null],
    ['gte 5 at 7.5 s: passed', { fact: 'timeOnPageSec', op: 'gte', value: 5 }, { timeOnPageSec: 7.5 }, null],
    ['fractional: gte 5 at 4.2 s', { fact: 'timeOnPageSec', op: 'gte', value: 5 }, { timeOnPageSec: 4.2 }, 800],
    ['time on site', { fact: 'timeOnSiteSec', op: 'gte', value: 60 }, { timeOnSiteSec: 30 }, 30000],
    ['a missing time fact does not grow', { fact: 'timeOnPageSec', op: 'gte', value: 5 }, {}, null],
    ['other number facts do not grow', { fact: 'pagesViewed', op: 'gte', value: 5 }, { pagesViewed: 1 }, null],
    ['exists on a time fact has no threshold', { fact: 'timeOnPageSec', op: 'exists' }, { timeOnPageSec: 1 }, null],
    ['inside all / any / not, the soonest', {
      all: [{ fact: 'path', op: 'exists' }, { any: [{ not: { fact: 'timeOnSiteSec', op: 'lt', value: 20 } }, { fact: 'timeOnPageSec', op: 'gte', value: 30 }] }],
    }, { timeOnPageSec: 1, timeOnSiteSec: 10 }, 10000],
  ] as [string, Condition, Partial<VisitorFacts>, number | null][])('%s', (_name, when, v, expected) => {
    expect(nextRecheckMs([rule(when)], facts(v))).toBe(expected)
  })

  it('takes the soonest across rules and skips disabled ones', () => {
    const rules = [
      rule({ fact: 'timeOnPageSec', op: 'gte', value: 30 }),
      rule({ fact: 'timeOnPageSec', op: 'gte', value: 3 }, { id: 'off', enabled: false }),
      rule({ fact: 'timeOnPageSec', op: 'gte', value: 10 }, { id: 'b' }),
    ]
    expect(nextRecheckMs(rules, facts({ timeOnPageSec: 0 }))).toBe(10000)
  })

  it('is null with no rules, or rules without conditions', () => {
    expect(nextRecheckMs([], facts({ timeOnPageSec: 1 }))).toBeNull()
    expect(nextRecheckMs([{ id: 'a', action: { type: 'hide' } }], facts({ timeOnPageSec: 1 }))).toBeNull()
  })
})
