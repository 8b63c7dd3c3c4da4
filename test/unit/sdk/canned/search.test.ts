import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { matchesCannedQuery, rankCannedReplies, type CannedReplyLike } from '@parley/sdk/canned'

const r = (shortcut: string, title: string, text = '', scope: 'brand' | 'personal' = 'brand'): CannedReplyLike => ({ scope, shortcut, title, text })

describe('rankCannedReplies', () => {
  const refund = r('refund', 'Money back', 'We refund within 14 days.')
  const refundMine = r('refund', 'My refund words', 'Refunds take a week.', 'personal')
  const refer = r('referral', 'Refer a friend')
  const policy = r('policy', 'Return policy', 'See our refund page.')
  const prefs = r('prefs', 'Preferences')
  const all = [policy, prefs, refer, refund, refundMine]

  it('puts the exact shortcut first (personal before brand), then prefixes, then text', () => {
    expect(rankCannedReplies(all, 'refund')).toEqual([refundMine, refund, policy])
    expect(rankCannedReplies(all, 'ref')).toEqual([refundMine, refund, refer, prefs, policy])
  })
  it('matches a word of the title and ignores case', () => {
    expect(rankCannedReplies(all, 'RETURN')).toEqual([policy])
    expect(rankCannedReplies(all, 'friend')).toEqual([refer])
  })
  it('lists everything, shortest shortcut first, for an empty query', () => {
    expect(rankCannedReplies(all, '').map((x) => x.shortcut)).toEqual([refundMine, prefs, policy, refund, refer].map((x) => x.shortcut))
  })
  it('keeps exactly the replies matchesCannedQuery keeps', () => {
    const reply = fc.record({ scope: fc.constantFrom('brand' as const, 'personal' as const), shortcut: fc.stringMatching(/^[a-z0-9]{1,6}$/), title: fc.string({ maxLength: 10 }), text: fc.string({ maxLength: 20 }) })
    fc.assert(fc.property(fc.array(reply, { maxLength: 8 }), fc.string({ maxLength: 4 }), (replies, q) => {
      const ranked = rankCannedReplies(replies, q)
      expect(new Set(ranked)).toEqual(new Set(replies.filter((x) => matchesCannedQuery(x, q))))
    }))
  })
})

describe('matchesCannedQuery', () => {
  it('treats % and _ as plain characters', () => {
    expect(matchesCannedQuery(r('sale', 'Sale', '50% off'), '0%')).toBe(true)
    expect(matchesCannedQuery(r('sale', 'Sale', '50 off'), '0%')).toBe(false)
    expect(matchesCannedQuery(r('sale', 'Sale', 'a_b'), '_')).toBe(true)
  })
  it('folds case beyond ASCII', () => {
    expect(matchesCannedQuery(r('ete', 'ÉTÉ hours'), 'été')).toBe(true)
  })
})
