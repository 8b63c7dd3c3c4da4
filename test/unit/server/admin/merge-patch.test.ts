import { describe, expect, it } from 'vitest'
import { mergePatch } from '../../../../server/src/admin/merge-patch.js'

// The examples of RFC 7396, appendix A: (target, patch, result).
const RFC_7396_EXAMPLES: [unknown, unknown, unknown][] = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [['a', 'b'], ['c', 'd'], ['c', 'd']],
  [{ a: 'b' }, ['c'], ['c']],
  [{ a: 'foo' }, null, null],
  [{ a: 'foo' }, 'bar', 'bar'],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
]

describe('mergePatch', () => {
  it.each(RFC_7396_EXAMPLES)('merges %j with %j into %j (RFC 7396 appendix A)', (target, patch, result) => {
    expect(mergePatch(target, patch)).toEqual(result)
  })

  it('modifies neither argument', () => {
    const target = { a: { b: 1 } }
    const patch = { a: { c: 2 } }
    mergePatch(target, patch)
    expect([target, patch]).toEqual([{ a: { b: 1 } }, { a: { c: 2 } }])
  })

  it('never sets a prototype from a __proto__ member', () => {
    const patch = JSON.parse('{"__proto__":{"polluted":true}}') as unknown
    const out = mergePatch({}, patch) as Record<string, unknown>
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
