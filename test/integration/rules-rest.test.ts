import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BusinessHours, Rule } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestBrand } from '../helpers/brand.js'
import { callRest, type RestResponse } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'

// The deployment rules and business hours documents over a real relay: GET/PUT/PATCH (and DELETE
// for hours), checked by schema and then by the evaluator's own checks, and the simulation.

const CHECKOUT_HIDE: Rule = { id: 'checkout-quiet', when: { fact: 'path', op: 'prefix', value: '/checkout' }, action: { type: 'hide' } }
const AFTER_HOURS: Rule = { id: 'after-hours', when: { fact: 'businessHours', op: 'is', value: false }, action: { type: 'offline-form' } }
const PRICING_OFFER: Rule = {
  id: 'pricing-offer', name: 'Offer on pricing',
  when: { all: [{ fact: 'path', op: 'glob', value: '/pricing*' }, { fact: 'returning', op: 'is', value: true }] },
  action: { type: 'offer', text: '10% off today', code: 'SAVE10' },
}
const HOURS: BusinessHours = {
  timeZone: 'Europe/Paris',
  weekly: { mon: [{ from: '09:00', to: '18:00' }], tue: [{ from: '09:00', to: '18:00' }], wed: [{ from: '09:00', to: '12:00' }, { from: '14:00', to: '18:00' }] },
  holidays: [{ from: '2026-12-24', to: '2026-12-26', name: 'Christmas' }],
}
/** Closed every day: outside hours whenever it is evaluated. */
const NEVER_OPEN: BusinessHours = { timeZone: 'UTC', weekly: {} }

describe('rules and business hours over REST', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  const rest = (brand: TestBrand, method: 'GET' | 'PUT' | 'PATCH' | 'DELETE' | 'POST', url: string, body?: unknown, token = brand.apiKey) =>
    callRest(relay, { method, url, token, ...(body !== undefined ? { body } : {}) })
  const siteConfig = (brand: TestBrand) => callRest(relay, { url: `/v1/sites/${brand.siteKey}/config`, headers: { origin: brand.origin } })
  function expectRefusedAt(res: RestResponse, code: 'PARLEY_ERR_RULES_INVALID' | 'PARLEY_ERR_HOURS_INVALID' | 'PARLEY_ERR_REQUEST_INVALID', path: string) {
    expectErrorBody(res, code)
    expect(res.body.message).toContain(path)
  }

  describe('/v1/rules', () => {
    it('answers { rules: [] } before any rules are saved', async () => {
      const brand = await createTestBrand(relay)
      expect((await rest(brand, 'GET', '/v1/rules')).body).toEqual({ rules: [] })
    })

    it('stores a list whole, serves it to agents, and puts it in the public config with a new ETag', async () => {
      const brand = await createTestBrand(relay)
      const before = await siteConfig(brand)
      const put = await rest(brand, 'PUT', '/v1/rules', { rules: [CHECKOUT_HIDE, PRICING_OFFER] })
      expect(put.status).toBe(200)
      expect(put.body).toEqual({ rules: [CHECKOUT_HIDE, PRICING_OFFER] })
      const agent = await createTestAgent(relay, brand.brandId)
      expect((await rest(brand, 'GET', '/v1/rules', undefined, agent.token)).body).toEqual({ rules: [CHECKOUT_HIDE, PRICING_OFFER] })
      expectErrorBody(await rest(brand, 'PUT', '/v1/rules', { rules: [] }, agent.token), 'PARLEY_ERR_AUTH_ROLE')
      const after = await siteConfig(brand)
      expect(after.body.rules).toEqual([CHECKOUT_HIDE, PRICING_OFFER])
      expect(after.headers.etag).not.toBe(before.headers.etag)
    })

    it('merges a PATCH into the stored document (the list is replaced whole) and checks the result', async () => {
      const brand = await createTestBrand(relay)
      await rest(brand, 'PUT', '/v1/rules', { rules: [CHECKOUT_HIDE] })
      const patched = await callRest(relay, {
        method: 'PATCH', url: '/v1/rules', token: brand.apiKey, body: { rules: [PRICING_OFFER, CHECKOUT_HIDE] },
        headers: { 'content-type': 'application/merge-patch+json' },
      })
      expect(patched.status).toBe(200)
      expect(patched.body.rules.map((r: Rule) => r.id)).toEqual(['pricing-offer', 'checkout-quiet'])
      const dup = await callRest(relay, {
        method: 'PATCH', url: '/v1/rules', token: brand.apiKey, body: { rules: [CHECKOUT_HIDE, CHECKOUT_HIDE] },
        headers: { 'content-type': 'application/merge-patch+json' },
      })
      expectRefusedAt(dup, 'PARLEY_ERR_RULES_INVALID', 'rules/1')
      expect((await rest(brand, 'GET', '/v1/rules')).body.rules.map((r: Rule) => r.id)).toEqual(['pricing-offer', 'checkout-quiet'])
    })

    const refusals: [string, unknown, 'PARLEY_ERR_RULES_INVALID' | 'PARLEY_ERR_REQUEST_INVALID', string][] = [
      ['duplicate ids', [CHECKOUT_HIDE, { ...PRICING_OFFER, id: 'checkout-quiet' }], 'PARLEY_ERR_RULES_INVALID', 'rules/1'],
      ['an operator that does not fit its fact', [{ id: 'r', when: { fact: 'pagesViewed', op: 'prefix', value: '/x' }, action: { type: 'hide' } }], 'PARLEY_ERR_RULES_INVALID', 'rules/0/when'],
      ['a number operator on a string value', [{ id: 'r', when: { fact: 'timeOnPageSec', op: 'gt', value: 'ten' }, action: { type: 'hide' } }], 'PARLEY_ERR_RULES_INVALID', 'rules/0/when'],
      ['conditions nested too deep', [{ id: 'r', when: nest(8), action: { type: 'hide' } }], 'PARLEY_ERR_RULES_INVALID', 'rules/0/when'],
      ['an unknown fact', [{ id: 'r', when: { fact: 'salary', op: 'gt', value: 1 }, action: { type: 'hide' } }], 'PARLEY_ERR_REQUEST_INVALID',
        'body/rules/0/when/fact: "salary" is not one of url, path, title,'],
      ['an unknown operator', [{ id: 'r', when: { fact: 'path', op: 'matches', value: 'x' }, action: { type: 'hide' } }], 'PARLEY_ERR_REQUEST_INVALID',
        'body/rules/0/when/op: "matches" is not one of is, prefix, glob, contains, in, exists, eq, gt, gte, lt, lte'],
      ['an unknown action', [{ id: 'r', action: { type: 'popup' } }], 'PARLEY_ERR_REQUEST_INVALID', 'body/rules/0/action/type: "popup" is not one of button, invite, offer, offline-form, hide'],
      ['a bad rule id', [{ id: 'Has Spaces', action: { type: 'hide' } }], 'PARLEY_ERR_REQUEST_INVALID', 'rules/0/id'],
      ['a plain-http offer link', [{ id: 'r', action: { type: 'offer', text: 't', link: { url: 'http://evil.example/', label: 'x' } } }], 'PARLEY_ERR_REQUEST_INVALID', 'rules/0/action'],
    ]
    it.each(refusals)('refuses %s with a typed 400 naming the path, and stores nothing', async (_what, rules, code, path) => {
      const brand = await createTestBrand(relay)
      await rest(brand, 'PUT', '/v1/rules', { rules: [CHECKOUT_HIDE] })
      expectRefusedAt(await rest(brand, 'PUT', '/v1/rules', { rules }), code, path)
      expect((await rest(brand, 'GET', '/v1/rules')).body).toEqual({ rules: [CHECKOUT_HIDE] })
    })
  })

  describe('/v1/business-hours', () => {
    it('answers 404 PARLEY_ERR_HOURS_NOT_FOUND until hours are saved, PATCH included', async () => {
      const brand = await createTestBrand(relay)
      expectErrorBody(await rest(brand, 'GET', '/v1/business-hours'), 'PARLEY_ERR_HOURS_NOT_FOUND')
      const patch = await callRest(relay, {
        method: 'PATCH', url: '/v1/business-hours', token: brand.apiKey, body: { timeZone: 'UTC' }, headers: { 'content-type': 'application/merge-patch+json' },
      })
      expectErrorBody(patch, 'PARLEY_ERR_HOURS_NOT_FOUND')
      expect((await siteConfig(brand)).body.businessHours).toBeUndefined()
    })

    it('stores hours, merges a PATCH, ships them in the public config, and DELETE makes the brand always open again', async () => {
      const brand = await createTestBrand(relay)
      const agent = await createTestAgent(relay, brand.brandId)
      expect((await rest(brand, 'PUT', '/v1/business-hours', HOURS)).body).toEqual(HOURS)
      expect((await rest(brand, 'GET', '/v1/business-hours', undefined, agent.token)).body).toEqual(HOURS)
      const patched = await callRest(relay, {
        method: 'PATCH', url: '/v1/business-hours', token: brand.apiKey, headers: { 'content-type': 'application/merge-patch+json' },
        body: { weekly: { wed: null, sat: [{ from: '10:00', to: '13:00' }] }, holidays: null },
      })
      expect(patched.status).toBe(200)
      expect(patched.body).toEqual({ timeZone: 'Europe/Paris', weekly: { mon: HOURS.weekly.mon, tue: HOURS.weekly.tue, sat: [{ from: '10:00', to: '13:00' }] } })
      expect((await siteConfig(brand)).body.businessHours).toEqual(patched.body)
      expectErrorBody(await rest(brand, 'DELETE', '/v1/business-hours', undefined, agent.token), 'PARLEY_ERR_AUTH_ROLE')
      const removed = await rest(brand, 'DELETE', '/v1/business-hours')
      expect(removed.status).toBe(204)
      expectErrorBody(await rest(brand, 'GET', '/v1/business-hours'), 'PARLEY_ERR_HOURS_NOT_FOUND')
      expect((await siteConfig(brand)).body.businessHours).toBeUndefined()
    })

    it('refuses a time zone Intl does not know, naming it, and stores nothing', async () => {
      const brand = await createTestBrand(relay)
      await rest(brand, 'PUT', '/v1/business-hours', HOURS)
      expectRefusedAt(await rest(brand, 'PUT', '/v1/business-hours', { ...HOURS, timeZone: 'Mars/Olympus_Mons' }), 'PARLEY_ERR_HOURS_INVALID', 'timeZone')
      expectRefusedAt(await rest(brand, 'PUT', '/v1/business-hours', { ...HOURS, weekly: { mon: [{ from: '9:00', to: '18:00' }] } }), 'PARLEY_ERR_REQUEST_INVALID', 'weekly/mon/0/from')
      expect((await rest(brand, 'GET', '/v1/business-hours')).body).toEqual(HOURS)
    })

    it('accepts hours that a DST change skips or repeats: the check is of the weekly clock, not of one day', async () => {
      const brand = await createTestBrand(relay)
      // 02:00-03:00 does not exist in Paris on the last Sunday of March and happens twice in October.
      const hours: BusinessHours = { timeZone: 'Europe/Paris', weekly: { sun: [{ from: '02:00', to: '03:00' }, { from: '22:00', to: '02:00' }] } }
      const res = await rest(brand, 'PUT', '/v1/business-hours', hours)
      expect(res.status).toBe(200)
      expect(res.body).toEqual(hours)
    })
  })

  describe('POST /v1/rules/simulate', () => {
    const visitor = (path: string, extra: Record<string, unknown> = {}) => ({ url: `https://shop.example${path}`, ...extra })

    it('decides with the stored rules and hours', async () => {
      const brand = await createTestBrand(relay)
      await rest(brand, 'PUT', '/v1/rules', { rules: [CHECKOUT_HIDE, AFTER_HOURS, PRICING_OFFER] })
      const open = await rest(brand, 'POST', '/v1/rules/simulate', { visitors: [visitor('/checkout/pay'), visitor('/pricing', { returning: true }), visitor('/')] })
      expect(open.status).toBe(200)
      expect(open.body.decisions.map((d: { ruleId: string | null; action: { type: string } }) => [d.ruleId, d.action.type])).toEqual([
        ['checkout-quiet', 'hide'], ['pricing-offer', 'offer'], [null, 'button'],
      ])
      expect(open.body.decisions[1].trace.map((t: { ruleId: string; result: string }) => [t.ruleId, t.result])).toEqual([
        ['checkout-quiet', 'not-matched'], ['after-hours', 'not-matched'], ['pricing-offer', 'matched'],
      ])
      await rest(brand, 'PUT', '/v1/business-hours', NEVER_OPEN)
      const closed = await rest(brand, 'POST', '/v1/rules/simulate', { visitors: [visitor('/checkout'), visitor('/pricing', { returning: true })] })
      expect(closed.body.decisions.map((d: { action: { type: string } }) => d.action.type)).toEqual(['hide', 'offline-form'])
    })

    it('decides with the rules and hours given instead (null hours: always open), storing nothing', async () => {
      const brand = await createTestBrand(relay)
      await rest(brand, 'PUT', '/v1/rules', { rules: [CHECKOUT_HIDE] })
      await rest(brand, 'PUT', '/v1/business-hours', NEVER_OPEN)
      const given = await rest(brand, 'POST', '/v1/rules/simulate', { visitors: [visitor('/checkout')], rules: [AFTER_HOURS], businessHours: null })
      expect(given.body.decisions.map((d: { action: { type: string } }) => d.action.type)).toEqual(['button'])
      const storedHours = await rest(brand, 'POST', '/v1/rules/simulate', { visitors: [visitor('/checkout')], rules: [AFTER_HOURS] })
      expect(storedHours.body.decisions.map((d: { action: { type: string } }) => d.action.type)).toEqual(['offline-form'])
      expect((await rest(brand, 'GET', '/v1/rules')).body).toEqual({ rules: [CHECKOUT_HIDE] })
      expectRefusedAt(await rest(brand, 'POST', '/v1/rules/simulate', { visitors: [visitor('/')], rules: [CHECKOUT_HIDE, CHECKOUT_HIDE] }), 'PARLEY_ERR_RULES_INVALID', 'rules/1')
      expectRefusedAt(
        await rest(brand, 'POST', '/v1/rules/simulate', { visitors: [visitor('/')], businessHours: { timeZone: 'Mars/Olympus_Mons', weekly: {} } }),
        'PARLEY_ERR_HOURS_INVALID', 'businessHours/timeZone',
      )
    })

    it('reads business hours on the brand\'s wall clock across a DST change', async () => {
      const brand = await createTestBrand(relay)
      await rest(brand, 'PUT', '/v1/rules', { rules: [AFTER_HOURS] })
      await rest(brand, 'PUT', '/v1/business-hours', { timeZone: 'America/New_York', weekly: { mon: [{ from: '09:00', to: '17:00' }] } })
      // 13:30 UTC is 08:30 in New York on Monday 2 March (EST) and 09:30 on Monday 9 March (EDT, from 8 March).
      const at = (iso: string) => ({ url: 'https://shop.example/', now: Date.parse(iso) })
      const res = await rest(brand, 'POST', '/v1/rules/simulate', { visitors: [at('2026-03-02T13:30:00Z'), at('2026-03-09T13:30:00Z'), at('2026-03-09T21:30:00Z')] })
      expect(res.body.decisions.map((d: { action: { type: string } }) => d.action.type)).toEqual(['offline-form', 'button', 'offline-form'])
    })

    it('takes 1,000 visitors in one request and answers a decision for each, in order', async () => {
      const brand = await createTestBrand(relay)
      await rest(brand, 'PUT', '/v1/rules', { rules: [CHECKOUT_HIDE, PRICING_OFFER] })
      const ua = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15'
      const visitors = Array.from({ length: 1000 }, (_, i) => visitor(i % 2 === 0 ? `/checkout/${'x'.repeat(600)}?i=${i}` : `/pricing?i=${i}`, {
        title: 'A page title of a realistic length', referrer: 'https://www.search.example/?q=parley', userAgent: ua, returning: true,
        language: 'en-GB', visitorId: `v_${i}`, values: { plan: 'pro', cartValue: 120 },
      }))
      const res = await rest(brand, 'POST', '/v1/rules/simulate', { visitors })
      expect(res.status).toBe(200)
      expect(res.body.decisions).toHaveLength(1000)
      expect(res.body.decisions.every((d: { ruleId: string }, i: number) => d.ruleId === (i % 2 === 0 ? 'checkout-quiet' : 'pricing-offer'))).toBe(true)
      expectErrorBody(await rest(brand, 'POST', '/v1/rules/simulate', { visitors: [...visitors, visitor('/')] }), 'PARLEY_ERR_REQUEST_INVALID')
      // The body limit is the route's own (4 MiB), not the relay's 256 KiB, and past it the answer is typed.
      const huge = JSON.stringify({ visitors: [visitor('/', { title: 'x'.repeat(512) })], pad: 'x'.repeat(5 * 1024 * 1024) })
      expectErrorBody(await rest(brand, 'POST', '/v1/rules/simulate', huge), 'PARLEY_ERR_REQUEST_TOO_LARGE')
    })

    it('cuts each trace reason to 200 characters, so long facts and lists cannot swell the answer', async () => {
      const brand = await createTestBrand(relay)
      const list = Array.from({ length: 50 }, (_, i) => `/${'p'.repeat(500)}${i}`)
      const rules: Rule[] = Array.from({ length: 100 }, (_, i) => ({ id: `r${i}`, when: { fact: 'url', op: 'in', value: list }, action: { type: 'hide' } }))
      const url = `https://shop.example/${'a'.repeat(2000)}`
      const res = await rest(brand, 'POST', '/v1/rules/simulate', { visitors: Array.from({ length: 20 }, () => visitor('/', { url })), rules, businessHours: null })
      expect(res.status).toBe(200)
      const reasons: string[] = res.body.decisions.flatMap((d: { trace: { reason?: string }[] }) => d.trace.map((e) => e.reason!))
      expect(reasons).toHaveLength(2000)
      for (const r of reasons) {
        expect(r.length).toBeLessThanOrEqual(200)
        expect(r).toMatch(/^url in \["\/p+…$/)
      }
    })

    it('is for the brand\'s API key only', async () => {
      const brand = await createTestBrand(relay)
      const agent = await createTestAgent(relay, brand.brandId)
      expectErrorBody(await rest(brand, 'POST', '/v1/rules/simulate', { visitors: [visitor('/')] }, agent.token), 'PARLEY_ERR_AUTH_ROLE')
    })
  })
})

/** A condition nested `depth` levels deep. */
function nest(depth: number): unknown {
  let c: unknown = { fact: 'path', op: 'is', value: '/' }
  for (let i = 0; i < depth; i++) c = i % 2 === 0 ? { not: c } : { all: [c] }
  return c
}
