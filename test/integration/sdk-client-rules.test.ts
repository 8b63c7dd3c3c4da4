import { beforeAll, describe, expect, it } from 'vitest'
import { InvalidRequestError, Parley, type BusinessHours, type FetchLike, type Rule } from '@parley/sdk'
import type { TestRelay } from '../helpers/start-relay.js'
import { rejection, sdkRelay } from '../helpers/sdk-relay.js'
import { createTestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'

// parley.rules and parley.businessHours against a real relay: the documents round-trip, refusals
// are typed, simulate() decides locally (fetching only what it is not given), and stats() reads
// the counts widgets posted.

const CHECKOUT_HIDE: Rule = { id: 'checkout-quiet', when: { fact: 'path', op: 'prefix', value: '/checkout' }, action: { type: 'hide' } }
const AFTER_HOURS: Rule = { id: 'after-hours', when: { fact: 'businessHours', op: 'is', value: false }, action: { type: 'offline-form' } }
const INVITE: Rule = { id: 'invite', when: { fact: 'timeOnPageSec', op: 'gte', value: 5 }, action: { type: 'invite', message: 'Need help?' } }
const NEVER_OPEN: BusinessHours = { timeZone: 'UTC', weekly: {} }
const HOURS: BusinessHours = { timeZone: 'America/New_York', weekly: { mon: [{ from: '09:00', to: '17:00' }] }, holidays: [{ from: '2026-07-04' }] }

describe('parley.rules and parley.businessHours against the relay', () => {
  const s = sdkRelay()
  let relay: TestRelay
  let parley: Parley
  beforeAll(() => { ({ relay, parley } = s) })
  const fresh = async () => new Parley({ relay: relay.url, apiKey: (await createTestBrand(relay)).apiKey })

  it('reads { rules: [] } before anything is saved, then what set saved, replaced by update', async () => {
    const sdk = await fresh()
    expect(await sdk.rules.get()).toEqual({ rules: [] })
    expect(await sdk.rules.set([CHECKOUT_HIDE, INVITE])).toEqual({ rules: [CHECKOUT_HIDE, INVITE] })
    expect(await sdk.rules.get()).toEqual({ rules: [CHECKOUT_HIDE, INVITE] })
    expect(await sdk.rules.set({ rules: [INVITE] })).toEqual({ rules: [INVITE] })
    expect(await sdk.rules.update({ rules: [AFTER_HOURS, INVITE] })).toEqual({ rules: [AFTER_HOURS, INVITE] })
  })

  it('refuses duplicate ids with InvalidRequestError PARLEY_ERR_RULES_INVALID naming the path, saving nothing', async () => {
    await parley.rules.set([CHECKOUT_HIDE])
    const err = await rejection(parley.rules.set([INVITE, INVITE]))
    expect(err).toBeInstanceOf(InvalidRequestError)
    expect(err).toMatchObject({ code: 'PARLEY_ERR_RULES_INVALID', status: 400, retryable: false })
    expect(err.message).toContain('rules/1')
    expect(await parley.rules.get()).toEqual({ rules: [CHECKOUT_HIDE] })
  })

  it('reads null hours until set, then the hours; update merges; remove makes the brand always open', async () => {
    const sdk = await fresh()
    expect(await sdk.businessHours.get()).toBeNull()
    expect(await sdk.businessHours.set(HOURS)).toEqual(HOURS)
    expect(await sdk.businessHours.get()).toEqual(HOURS)
    expect(await sdk.businessHours.update({ holidays: null })).toEqual({ timeZone: 'America/New_York', weekly: HOURS.weekly })
    await sdk.businessHours.remove()
    expect(await sdk.businessHours.get()).toBeNull()
  })

  it('refuses an unknown zone with InvalidRequestError PARLEY_ERR_HOURS_INVALID', async () => {
    const err = await rejection(parley.businessHours.set({ ...HOURS, timeZone: 'Atlantis/Capital' }))
    expect(err).toMatchObject({ code: 'PARLEY_ERR_HOURS_INVALID', status: 400 })
    expect(err.message).toContain('timeZone')
  })

  it('simulates with the saved rules and hours, fetched', async () => {
    const sdk = await fresh()
    await sdk.rules.set([CHECKOUT_HIDE, AFTER_HOURS, INVITE])
    const open = await sdk.rules.simulate([
      { url: 'https://shop.example/checkout' }, { url: 'https://shop.example/', timeOnPageSec: 7 }, { url: 'https://shop.example/' },
    ])
    expect(open.map((d) => [d.ruleId, d.action.type])).toEqual([['checkout-quiet', 'hide'], ['invite', 'invite'], [null, 'button']])
    await sdk.businessHours.set(NEVER_OPEN)
    const closed = await sdk.rules.simulate([{ url: 'https://shop.example/', timeOnPageSec: 7 }])
    expect(closed.map((d) => d.action.type)).toEqual(['offline-form'])
    expect(closed[0]!.trace.map((t) => t.ruleId)).toEqual(['checkout-quiet', 'after-hours'])
  })

  it('simulates with no request at all when rules and hours are both given', async () => {
    const calls: string[] = []
    const offline: FetchLike = async (url) => { calls.push(url); throw new Error('no network in this test') }
    const sdk = new Parley({ relay: 'http://127.0.0.1:9', apiKey: 'sk_unused', fetch: offline, maxRetries: 0 })
    const decisions = await sdk.rules.simulate(
      [{ url: 'https://shop.example/checkout/pay' }, { url: 'https://shop.example/pricing' }],
      { rules: [CHECKOUT_HIDE, AFTER_HOURS], businessHours: NEVER_OPEN },
    )
    expect(decisions.map((d) => d.action.type)).toEqual(['hide', 'offline-form'])
    // null hours: always open, so after-hours does not hold.
    const open = await sdk.rules.simulate([{ url: 'https://shop.example/pricing' }], { rules: [AFTER_HOURS], businessHours: null })
    expect(open.map((d) => d.action.type)).toEqual(['button'])
    expect(calls).toEqual([])
  })

  it('refuses given rules and hours locally, as the relay would refuse them', async () => {
    const sdk = new Parley({ relay: 'http://127.0.0.1:9', apiKey: 'sk_unused', fetch: async () => { throw new Error('no network') }, maxRetries: 0 })
    const dup = await rejection(sdk.rules.simulate([{ url: 'https://a.example/' }], { rules: [INVITE, INVITE], businessHours: null }))
    expect(dup).toBeInstanceOf(InvalidRequestError)
    expect(dup).toMatchObject({ code: 'PARLEY_ERR_RULES_INVALID' })
    const zone = await rejection(sdk.rules.simulate([{ url: 'https://a.example/' }], { rules: [], businessHours: { timeZone: 'Nowhere/Else', weekly: {} } }))
    expect(zone).toMatchObject({ code: 'PARLEY_ERR_HOURS_INVALID' })
  })

  it('reads the counts widgets posted with stats()', async () => {
    const brand = await createTestBrand(relay)
    const sdk = new Parley({ relay: relay.url, apiKey: brand.apiKey })
    await sdk.rules.set([INVITE])
    const posted = await callRest(relay, {
      method: 'POST', url: `/v1/sites/${brand.siteKey}/rule-events`, headers: { origin: brand.origin },
      body: { events: [{ ruleId: 'invite', arm: 'treatment', event: 'impression' }, { ruleId: 'invite', arm: 'treatment', event: 'click' }] },
    })
    expect(posted.status).toBe(204)
    const stats = await sdk.rules.stats({ days: 7 })
    expect(stats.rules).toHaveLength(1)
    expect(stats.rules[0]!.arms[0]!.totals).toEqual({ impressions: 1, clicks: 1, dismissals: 0, chats: 0 })
    expect(stats.rules[0]!.arms[0]!.days).toHaveLength(7)
    expect((await sdk.rules.stats()).rules[0]!.arms[0]!.days).toHaveLength(30)
  })
})
