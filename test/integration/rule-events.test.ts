import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Rule } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestBrand } from '../helpers/brand.js'
import { createFakeClock } from '../helpers/fake-clock.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'
import { RULE_EVENT_BATCHES_PER_MINUTE } from '../../server/src/plugins/rest/rule-events.js'

// Anonymous rule counts over a real relay and SQLite: widgets POST batches, the brand reads counts
// per rule, rollout arm and UTC day.

const RULES: Rule[] = [
  { id: 'pricing-offer', action: { type: 'offer', text: '10% off today', code: 'SAVE10' }, rollout: { percent: 50 } },
  { id: 'invite', action: { type: 'invite', message: 'Need help?' } },
]
const DAY = 86_400_000
const START = Date.UTC(2026, 5, 10, 23, 0, 0)

describe('rule events and stats', () => {
  let relay: TestRelay
  const clock = createFakeClock(START)
  beforeAll(async () => { relay = await startRelay({ clock }) })
  afterAll(async () => { await relay.close() })

  async function brandWithRules(): Promise<TestBrand> {
    const brand = await createTestBrand(relay)
    const put = await callRest(relay, { method: 'PUT', url: '/v1/rules', token: brand.apiKey, body: { rules: RULES } })
    expect(put.status).toBe(200)
    return brand
  }
  const send = (brand: TestBrand, events: unknown[], siteKey = brand.siteKey, origin = brand.origin) =>
    callRest(relay, { method: 'POST', url: `/v1/sites/${siteKey}/rule-events`, body: { events }, headers: { origin } })
  const stats = (brand: TestBrand, days?: number, token = brand.apiKey) =>
    callRest(relay, { url: `/v1/rules/stats${days ? `?days=${days}` : ''}`, token })

  it('counts events per rule, arm and UTC day, and answers 204 to any origin-allowed page', async () => {
    clock.set(START)
    const brand = await brandWithRules()
    const first = await send(brand, [
      { ruleId: 'pricing-offer', arm: 'treatment', event: 'impression' },
      { ruleId: 'pricing-offer', arm: 'treatment', event: 'impression' },
      { ruleId: 'pricing-offer', arm: 'treatment', event: 'click' },
      { ruleId: 'pricing-offer', arm: 'control', event: 'impression' },
      { ruleId: 'invite', arm: 'treatment', event: 'dismiss' },
    ])
    expect(first.status).toBe(204)
    expect(first.headers['access-control-allow-origin']).toBe('*')
    // Two hours later it is the next UTC day.
    clock.advance(2 * 3600_000)
    await send(brand, [{ ruleId: 'pricing-offer', arm: 'treatment', event: 'chat' }, { ruleId: 'pricing-offer', arm: 'treatment', event: 'impression' }])

    const res = await stats(brand, 3)
    expect(res.status).toBe(200)
    expect(res.body.from).toBe('2026-06-09')
    expect(res.body.to).toBe('2026-06-11')
    const offer = res.body.rules.find((r: { ruleId: string }) => r.ruleId === 'pricing-offer')
    const treatment = offer.arms.find((a: { arm: string }) => a.arm === 'treatment')
    expect(treatment.totals).toEqual({ impressions: 3, clicks: 1, dismissals: 0, chats: 1 })
    expect(treatment.days.map((d: { day: string; counts: { impressions: number } }) => [d.day, d.counts.impressions])).toEqual([
      ['2026-06-09', 0], ['2026-06-10', 2], ['2026-06-11', 1],
    ])
    const control = offer.arms.find((a: { arm: string }) => a.arm === 'control')
    expect(control.totals).toEqual({ impressions: 1, clicks: 0, dismissals: 0, chats: 0 })
    const invite = res.body.rules.find((r: { ruleId: string }) => r.ruleId === 'invite')
    expect(invite.arms.map((a: { arm: string }) => a.arm)).toEqual(['treatment'])
    expect(invite.arms[0].totals).toEqual({ impressions: 0, clicks: 0, dismissals: 1, chats: 0 })
  })

  it('lists every current rule in order, with zeros, over 30 days by default', async () => {
    clock.set(START)
    const brand = await brandWithRules()
    const res = await stats(brand)
    expect(res.body.rules.map((r: { ruleId: string }) => r.ruleId)).toEqual(['pricing-offer', 'invite'])
    expect(res.body.rules[0].arms.map((a: { arm: string }) => a.arm)).toEqual(['treatment', 'control'])
    expect(res.body.rules[0].arms[0].days).toHaveLength(30)
    expect(res.body.rules[0].arms[0].days[29].day).toBe('2026-06-10')
    expect(res.body.rules[0].arms[0].totals).toEqual({ impressions: 0, clicks: 0, dismissals: 0, chats: 0 })
  })

  it('drops events of rules the brand does not have', async () => {
    clock.set(START)
    const brand = await brandWithRules()
    expect((await send(brand, [{ ruleId: 'gone', arm: 'treatment', event: 'impression' }, { ruleId: 'invite', arm: 'treatment', event: 'click' }])).status).toBe(204)
    // Saving rules without `invite` hides its counts; putting it back shows them again.
    await callRest(relay, { method: 'PUT', url: '/v1/rules', token: brand.apiKey, body: { rules: [RULES[0]] } })
    expect((await stats(brand, 1)).body.rules.map((r: { ruleId: string }) => r.ruleId)).toEqual(['pricing-offer'])
    const rows = await relay.deps.store.readRuleCounts(brand.brandId, '2000-01-01', '2100-01-01')
    expect(rows.map((r) => r.ruleId)).toEqual(['invite'])
  })

  it('lets one brand\'s site key touch only that brand\'s counts', async () => {
    clock.set(START)
    const brand = await brandWithRules()
    const other = await brandWithRules()
    await send(other, [{ ruleId: 'invite', arm: 'treatment', event: 'impression' }])
    // The other brand's pages can't post with this brand's key from their origin.
    expectErrorBody(await send(brand, [{ ruleId: 'invite', arm: 'treatment', event: 'impression' }], brand.siteKey, other.origin), 'PARLEY_ERR_TENANT_ORIGIN')
    const mine = await stats(brand, 1)
    expect(mine.body.rules.find((r: { ruleId: string }) => r.ruleId === 'invite').arms[0].totals.impressions).toBe(0)
    const theirs = await stats(other, 1)
    expect(theirs.body.rules.find((r: { ruleId: string }) => r.ruleId === 'invite').arms[0].totals.impressions).toBe(1)
  })

  it('refuses what could name a visitor, malformed events and unknown site keys', async () => {
    const brand = await brandWithRules()
    expectErrorBody(await send(brand, [{ ruleId: 'invite', arm: 'treatment', event: 'impression', visitorId: 'v_1' }]), 'PARLEY_ERR_REQUEST_INVALID')
    expectErrorBody(await send(brand, [{ ruleId: 'invite', arm: 'b', event: 'impression' }]), 'PARLEY_ERR_REQUEST_INVALID')
    expectErrorBody(await send(brand, []), 'PARLEY_ERR_REQUEST_INVALID')
    expectErrorBody(await send(brand, [{ ruleId: 'invite', arm: 'treatment', event: 'impression' }], 'no-such-site'), 'PARLEY_ERR_TENANT_SITE_KEY')
  })

  it('lets agents read the stats but not visitors or anyone without a credential', async () => {
    const brand = await brandWithRules()
    const agent = await createTestAgent(relay, brand.brandId)
    expect((await stats(brand, 7, agent.token)).status).toBe(200)
    expectErrorBody(await callRest(relay, { url: '/v1/rules/stats' }), 'PARLEY_ERR_AUTH_REQUIRED')
    expectErrorBody(await stats(brand, 400), 'PARLEY_ERR_REQUEST_INVALID')
  })
})

describe('rule event flood', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  it('answers 429 with Retry-After past the per-address batch limit, and counts nothing more', async () => {
    const brand = await createTestBrand(relay)
    await callRest(relay, { method: 'PUT', url: '/v1/rules', token: brand.apiKey, body: { rules: RULES } })
    const one = { events: [{ ruleId: 'invite', arm: 'treatment', event: 'impression' }] }
    const post = () => callRest(relay, { method: 'POST', url: `/v1/sites/${brand.siteKey}/rule-events`, body: one, headers: { origin: brand.origin } })
    for (let i = 0; i < RULE_EVENT_BATCHES_PER_MINUTE; i++) expect((await post()).status).toBe(204)
    const refused = await post()
    expectErrorBody(refused, 'PARLEY_ERR_LIMIT_RATE')
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1)
    const rows = await relay.deps.store.readRuleCounts(brand.brandId, '2000-01-01', '2100-01-01')
    expect(rows.reduce((n, r) => n + r.impressions, 0)).toBe(RULE_EVENT_BATCHES_PER_MINUTE)
  })
})

describe('rule event log lines', () => {
  const lines: string[] = []
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay({ logStream: { write: (line) => { lines.push(line) } } }) })
  afterAll(async () => { await relay.close() })

  it('name neither the address nor the origin of the page that sent the events', async () => {
    const brand = await createTestBrand(relay)
    await callRest(relay, { method: 'PUT', url: '/v1/rules', token: brand.apiKey, body: { rules: RULES } })
    lines.length = 0
    const res = await callRest(relay, {
      method: 'POST', url: `/v1/sites/${brand.siteKey}/rule-events`, headers: { origin: brand.origin },
      body: { events: [{ ruleId: 'invite', arm: 'treatment', event: 'impression' }] },
    })
    expect(res.status).toBe(204)
    expect(lines.length).toBeGreaterThan(0)
    expect(lines.join('')).not.toContain('127.0.0.1')
    expect(lines.join('')).not.toContain(brand.origin)
  })
})

