import { describe, expect, it } from 'vitest'
import type { Condition, Rule, RulesConfig } from '../../../../sdk/src/contract/rules.js'
import { checkRules } from '../../../../sdk/src/rules/rules.js'

// checkRules: (rules, first problem) rows. The problem's path is a JSON path into the saved document.

const hide = { type: 'hide' } as const
const config = (...when: Condition[]): RulesConfig => ({ rules: when.map((w, i) => ({ id: `r${i}`, when: w, action: hide })) })
/** One `any` over `n` tests: n + 1 conditions. */
const wide = (n: number): Condition => ({ any: Array.from({ length: n }, () => ({ fact: 'title', op: 'exists' }) as const) })
const nest = (depth: number): Condition => (depth === 0 ? { fact: 'returning', op: 'is', value: true } : { not: nest(depth - 1) })

describe('checkRules', () => {
  it.each([
    ['an empty list', { rules: [] }, null],
    ['every fact with an op that fits it', config(
      { fact: 'path', op: 'glob', value: '/p*' }, { fact: 'country', op: 'in', value: ['FR'] }, { fact: 'title', op: 'exists' },
      { fact: 'pagesViewed', op: 'gte', value: 2 }, { fact: 'returning', op: 'is', value: false },
      { fact: 'query', name: 'plan', op: 'prefix', value: 'p' }, { fact: 'value', name: 'n', op: 'lt', value: 3 },
      { fact: 'value', name: 'b', op: 'is', value: true }, { fact: 'value', name: 's', op: 'contains', value: 'x' }, { fact: 'value', name: 'e', op: 'exists' },
    ), null],
    ['6 all / any / not deep', config(nest(6)), null],
    ['a duplicate id', { rules: [{ id: 'a', action: hide }, { id: 'b', action: hide }, { id: 'a', action: hide }] },
      { path: 'rules/2/id', message: '"a" is also the id of rules/0' }],
    ['7 deep', config(nest(7)), { path: 'rules/0/when/not/not/not/not/not/not/not', message: 'all / any / not nest at most 6 deep' }],
    ['a string op on a number fact, deep inside', config({ fact: 'path', op: 'exists' }, { all: [{ fact: 'path', op: 'exists' }, { any: [{ fact: 'visitCount', op: 'prefix', value: '1' }] }] }),
      { path: 'rules/1/when/all/1/any/0/op', message: 'visitCount takes eq, gt, gte, lt, lte, not "prefix"' }],
    ['a number op on a string fact', config({ fact: 'path', op: 'gt', value: 3 }),
      { path: 'rules/0/when/op', message: 'path takes is, prefix, glob, contains, in, exists, not "gt"' }],
    ['a number op without a number', config({ fact: 'pagesViewed', op: 'gt', value: '3' }), { path: 'rules/0/when/value', message: 'gt needs a number' }],
    ['a string op without a string', config({ fact: 'path', op: 'is', value: 3 }), { path: 'rules/0/when/value', message: 'is needs a string' }],
    ['a boolean fact with another op', config({ fact: 'returning', op: 'eq', value: 1 }), { path: 'rules/0/when/op', message: 'returning takes is, not "eq"' }],
    ['a boolean fact with a string', config({ fact: 'holiday', op: 'is', value: 'true' }), { path: 'rules/0/when/value', message: 'is needs true or false' }],
    ['in with an empty list', config({ fact: 'country', op: 'in', value: [] }), { path: 'rules/0/when/value', message: 'in needs a non-empty list of strings' }],
    ['in with a string', config({ fact: 'country', op: 'in', value: 'FR' }), { path: 'rules/0/when/value', message: 'in needs a non-empty list of strings' }],
    ['exists with a value', config({ fact: 'country', op: 'exists', value: 'FR' }), { path: 'rules/0/when/value', message: 'exists takes no value' }],
    ['query without a name', config({ fact: 'query', op: 'exists' }), { path: 'rules/0/when/name', message: 'query needs a name' }],
    ['value without a name', config({ fact: 'value', op: 'exists' }), { path: 'rules/0/when/name', message: 'value needs a name' }],
    ['a name on another fact', config({ fact: 'path', name: 'x', op: 'exists' }), { path: 'rules/0/when/name', message: 'only query and value take a name' }],
    ['a page value with is and a list', config({ fact: 'value', name: 'v', op: 'is', value: ['a'] }), { path: 'rules/0/when/value', message: 'is needs a string, a number or true or false' }],
    ['a page value with glob and a number', config({ fact: 'value', name: 'v', op: 'glob', value: 3 }), { path: 'rules/0/when/value', message: 'glob needs a string' }],
    ['an unknown fact', config({ fact: 'mood', op: 'exists' } as unknown as Condition), { path: 'rules/0/when/fact', message: 'unknown fact "mood"' }],
    ['a glob over 512 characters', config({ fact: 'url', op: 'glob', value: 'a'.repeat(513) }), { path: 'rules/0/when/value', message: 'a glob is at most 512 characters' }],
    ['a glob of 512 characters', config({ fact: 'url', op: 'glob', value: 'a'.repeat(512) }), null],
    ['an offer expiring on 30 February', { rules: [{ id: 'o', action: { type: 'offer', text: 'x', expiresAt: '2026-02-30T10:00:00Z' } }] },
      { path: 'rules/0/action/expiresAt', message: '"2026-02-30T10:00:00Z" is not a date and time' }],
    ['an offer expiring on 29 February of a leap year', { rules: [{ id: 'o', action: { type: 'offer', text: 'x', expiresAt: '2028-02-29T23:59:00+01:00' } }] }, null],
    ['1,000 conditions in all', config(...Array.from({ length: 20 }, () => wide(49))), null],
    ['1,001 conditions in all', config(...Array.from({ length: 20 }, () => wide(49)), { fact: 'title', op: 'exists' }),
      { path: 'rules/20/when', message: 'a rule list holds at most 1000 conditions' }],
    ['a glob with 17 stars', config({ fact: 'url', op: 'glob', value: '*a'.repeat(17) }), { path: 'rules/0/when/value', message: 'a glob has at most 16 "*"' }],
    ['a glob with 16 stars', config({ fact: 'url', op: 'glob', value: '*a'.repeat(16) }), null],
    ['an offer expiring on a day that does not exist', { rules: [{ id: 'o', action: { type: 'offer', text: 't', expiresAt: '2026-13-40T00:00:00Z' } }] },
      { path: 'rules/0/action/expiresAt', message: '"2026-13-40T00:00:00Z" is not a date and time' }],
  ] as [string, RulesConfig, object | null][])('%s', (_name, rules, problem) => {
    expect(checkRules(rules)).toEqual(problem)
  })

  it('reports the first problem in document order', () => {
    const rules: Rule[] = [
      { id: 'a', when: { any: [{ fact: 'path', op: 'exists' }, { fact: 'path', op: 'gt', value: 1 }] }, action: hide },
      { id: 'a', action: hide },
    ]
    expect(checkRules({ rules })?.path).toBe('rules/0/when/any/1/op')
  })
})
