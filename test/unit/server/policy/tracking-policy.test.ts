import { describe, expect, it } from 'vitest'
import type { VisitorContext } from '@parley/sdk/contract'
import { hasPrivacySignal, isTrackingAllowed, notShared, type TrackingFacts } from '../../../../server/src/policy/tracking-policy.js'

// The relay's tracking rule on plain facts: the brand's setting, the visitor's stored and newly said
// consent, and the request's DNT / Sec-GPC. Every combination is listed, so a change to the rule
// shows here as a changed row.

type Row = [setting: TrackingFacts['setting'], stored: TrackingFacts['stored'], said: TrackingFacts['said'], signal: boolean, allowed: boolean]

const ROWS: Row[] = [
  // off: never, whatever the visitor says.
  ['off', null, undefined, false, false],
  ['off', 'granted', undefined, false, false],
  ['off', null, 'granted', false, false],
  ['off', null, 'granted', true, false],
  // on: yes unless the visitor denied, or a privacy signal without an explicit grant.
  ['on', null, undefined, false, true],
  ['on', 'granted', undefined, false, true],
  ['on', 'denied', undefined, false, false],
  ['on', null, 'denied', false, false],
  ['on', null, undefined, true, false],
  ['on', null, 'granted', true, true],
  ['on', 'granted', undefined, true, true],
  ['on', 'denied', undefined, true, false],
  // What the context says now replaces what was stored, both ways.
  ['on', 'denied', 'granted', false, true],
  ['on', 'granted', 'denied', false, false],
  ['on', 'denied', 'granted', true, true],
  // opt-in: only after an explicit grant, stored or said.
  ['opt-in', null, undefined, false, false],
  ['opt-in', null, 'granted', false, true],
  ['opt-in', 'granted', undefined, false, true],
  ['opt-in', 'granted', undefined, true, true],
  ['opt-in', 'denied', undefined, false, false],
  ['opt-in', 'granted', 'denied', false, false],
  ['opt-in', null, undefined, true, false],
]

describe('isTrackingAllowed', () => {
  it.each(ROWS)('setting %s, stored %s, said %s, DNT/GPC %s: %s', (setting, stored, said, privacySignal, allowed) => {
    expect(isTrackingAllowed({ setting, stored, said, privacySignal })).toBe(allowed)
  })
})

describe('notShared', () => {
  const context: VisitorContext = {
    url: 'https://shop.example/', title: 'Shop', tracking: 'shared', consent: 'denied',
    pagesViewed: 4, timeOnSiteSec: 90, visitCount: 3, returning: true, values: { plan: 'pro' },
  }

  it('drops the four behavioural values and says not-shared, keeping the rest', () => {
    expect(notShared(context)).toEqual({ url: 'https://shop.example/', title: 'Shop', tracking: 'not-shared', consent: 'denied', values: { plan: 'pro' } })
  })

  it('leaves the given context as it was', () => {
    notShared(context)
    expect(context.pagesViewed).toBe(4)
  })
})

describe('hasPrivacySignal', () => {
  it('sees DNT: 1 and Sec-GPC: 1, and nothing else', () => {
    expect(hasPrivacySignal({ dnt: '1' })).toBe(true)
    expect(hasPrivacySignal({ 'sec-gpc': '1' })).toBe(true)
    expect(hasPrivacySignal({ dnt: '0' })).toBe(false)
    expect(hasPrivacySignal({ 'sec-gpc': '0', dnt: undefined })).toBe(false)
    expect(hasPrivacySignal({})).toBe(false)
  })
})
