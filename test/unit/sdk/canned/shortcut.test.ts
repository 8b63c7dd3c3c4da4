import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { cannedShortcutOf, findByShortcut, typedShortcut, type CannedReplyLike } from '@parley/sdk/canned'

describe('cannedShortcutOf', () => {
  it.each([
    ['refund', 'refund'], ['/Refund', 'refund'], [' ship-2_days ', 'ship-2_days'], ['a'.repeat(32), 'a'.repeat(32)],
    ['', null], ['/', null], ['two words', null], ['-dash', null], ['a'.repeat(33), null], ['café', null],
  ] as const)('reads %j as %j', (input, expected) => {
    expect(cannedShortcutOf(input)).toBe(expected)
  })
})

describe('typedShortcut', () => {
  const rows: [string, number | undefined, ReturnType<typeof typedShortcut>][] = [
    ['/', undefined, { query: '', start: 0, end: 1 }],
    ['/ref', undefined, { query: 'ref', start: 0, end: 4 }],
    ['Sure! /ref', undefined, { query: 'ref', start: 6, end: 10 }],
    ['line one\n/refund', undefined, { query: 'refund', start: 9, end: 16 }],
    ['/refund and more', 7, { query: 'refund', start: 0, end: 7 }],
    ['https://example.com/ref', undefined, null],
    ['on 1/2', undefined, null],
    ['/Refund', undefined, null],
    ['/refund ', undefined, null],
    ['/' + 'a'.repeat(33), undefined, null],
    ['', undefined, null],
    ['/-x', undefined, null],
  ]
  it.each(rows)('reads %j at %s', (text, caret, expected) => {
    expect(typedShortcut(text, caret)).toEqual(expected)
  })

  it('always names a span that starts with / and ends at the caret', () => {
    fc.assert(fc.property(fc.string(), fc.nat(), (text, n) => {
      const caret = text.length === 0 ? 0 : n % (text.length + 1)
      const t = typedShortcut(text, caret)
      if (t === null) return
      expect(text[t.start]).toBe('/')
      expect(t.end).toBe(caret)
      expect(text.slice(t.start + 1, t.end)).toBe(t.query)
      expect(t.start === 0 || /\s/.test(text[t.start - 1]!)).toBe(true)
    }))
  })
})

describe('findByShortcut', () => {
  const brand: CannedReplyLike = { scope: 'brand', shortcut: 'refund', title: 'Refund', text: 'brand' }
  const mine: CannedReplyLike = { scope: 'personal', ownerAgentId: 'a_me', shortcut: 'refund', title: 'Refund', text: 'mine' }
  const theirs: CannedReplyLike = { scope: 'personal', ownerAgentId: 'a_other', shortcut: 'refund', title: 'Refund', text: 'theirs' }

  it("prefers the agent's own reply over the brand's, in any order", () => {
    expect(findByShortcut([brand, mine], 'refund', 'a_me')).toBe(mine)
    expect(findByShortcut([mine, brand], 'refund', 'a_me')).toBe(mine)
  })
  it("never picks another agent's personal reply", () => {
    expect(findByShortcut([theirs, brand], 'refund', 'a_me')).toBe(brand)
    expect(findByShortcut([theirs], 'refund', 'a_me')).toBeNull()
    expect(findByShortcut([theirs, mine], 'refund', null)).toBeNull()
  })
  it('matches the whole shortcut only', () => {
    expect(findByShortcut([brand], 'ref', 'a_me')).toBeNull()
    expect(findByShortcut([brand], 'refunds', 'a_me')).toBeNull()
  })
})
