import { describe, expect, it } from 'vitest'
import { buildContext, countPageView, isTrackingAllowed, mergePageValues, VISIT_GAP_MS, type BrowserFacts } from '../../../widget/src/consumer/context.js'

const facts: BrowserFacts = {
  url: 'https://shop.example/tea', title: 'Tea', referrer: 'https://search.example/', languages: ['de-DE', 'en'],
  userAgent: 'UA', timezone: 'Europe/Berlin', utcOffsetMin: 60, screen: '1920x1080', doNotTrack: false, globalPrivacyControl: false,
}

describe('behavioural tracking rules', () => {
  it.each([
    // setting, DNT, GPC, consent, allowed
    ['on', false, false, null, true],
    ['on', true, false, null, false],
    ['on', false, true, null, false],
    ['on', true, true, true, true],
    ['on', false, false, false, false],
    ['opt-in', false, false, null, false],
    ['opt-in', false, false, true, true],
    ['off', false, false, true, false],
  ] as const)('setting %s, DNT %s, GPC %s, consent %s → %s', (setting, dnt, gpc, consent, allowed) => {
    expect(isTrackingAllowed(setting, { doNotTrack: dnt, globalPrivacyControl: gpc }, consent)).toBe(allowed)
  })
})

describe('page tally', () => {
  it('counts pages in a visit and starts a new visit after 30 minutes of silence', () => {
    const a = countPageView(null, 1000)
    const b = countPageView(a, 2000)
    expect(b).toEqual({ visitCount: 1, visitStart: 1000, lastSeen: 2000, pagesViewed: 2 })
    const c = countPageView(b, 2000 + VISIT_GAP_MS + 1)
    expect(c).toMatchObject({ visitCount: 2, pagesViewed: 1 })
  })
})

describe('buildContext', () => {
  it('sends behavioural fields only with a tally, and says whether they are shared', () => {
    const without = buildContext(facts, null, 10_000)
    expect(without).toMatchObject({ url: facts.url, language: 'de-DE', utcOffsetMin: 60, tracking: 'not-shared' })
    expect(without).not.toHaveProperty('pagesViewed')
    expect(without).not.toHaveProperty('visitCount')
    const tally = { visitCount: 3, visitStart: 4_000, lastSeen: 9_000, pagesViewed: 5 }
    expect(buildContext(facts, tally, 10_000)).toMatchObject({ tracking: 'shared', pagesViewed: 5, timeOnSiteSec: 6, visitCount: 3, returning: true })
  })

  it('clips every field to the protocol bounds', () => {
    const long = buildContext({ ...facts, url: 'https://x.example/' + 'a'.repeat(5000), utcOffsetMin: 5000 }, null, 0)
    expect(long.url!.length).toBe(2048)
    expect(long.utcOffsetMin).toBe(900)
  })
})

describe("the page's values (Parley('set'))", () => {
  it('merges values, removes a key set to null, and drops what the contract would refuse', () => {
    let r = mergePageValues({}, { plan: 'pro', cart_value: 42, vip: true })
    expect(r).toEqual({ values: { plan: 'pro', cart_value: 42, vip: true }, dropped: [] })
    r = mergePageValues(r.values, { plan: null, 'bad key': 1, _x: 1, long: 'x'.repeat(257), nan: Number.NaN, obj: {}, ok: 'x'.repeat(256) })
    expect(r.values).toEqual({ cart_value: 42, vip: true, ok: 'x'.repeat(256) })
    expect(r.dropped).toEqual(['bad key', '_x', 'long', 'nan', 'obj'])
    expect(mergePageValues({ a: 1 }, 'nope')).toEqual({ values: { a: 1 }, dropped: ['nope'] })
  })

  it('keeps at most 20 keys, but still updates one it has', () => {
    const full = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i]))
    const r = mergePageValues(full, { k0: 'new', k20: 1 })
    expect(Object.keys(r.values)).toHaveLength(20)
    expect(r.values['k0']).toBe('new')
    expect(r.dropped).toEqual(['k20'])
  })

  it('sends the values in the context only when there are some', () => {
    expect(buildContext(facts, null, 0).values).toBeUndefined()
    expect(buildContext(facts, null, 0, { plan: 'pro' }).values).toEqual({ plan: 'pro' })
  })

  it("tells the relay the visitor's explicit consent choice, and nothing when they made none", () => {
    expect(buildContext(facts, null, 0).consent).toBeUndefined()
    expect(buildContext(facts, null, 0, {}, null, true).consent).toBe('granted')
    expect(buildContext(facts, null, 0, {}, null, false).consent).toBe('denied')
  })
})
