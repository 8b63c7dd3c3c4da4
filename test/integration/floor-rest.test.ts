import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Value } from '@sinclair/typebox/value'
import { AgentSettings, DEFAULT_AGENT_SETTINGS, SupervisorView } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'

// The agent's notification settings and the supervisor view over REST, on a real relay and SQLite:
// what an agent saves comes back, the floor's figures add up, and one brand never sees another's.

describe('agent settings over REST', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  it('answers the defaults until the agent saves, then what they saved', async () => {
    const brand = await createTestBrand(relay)
    const ana = await createTestAgent(relay, brand.brandId, 'Ana')
    const first = await callRest(relay, { url: '/v1/agent/settings', token: ana.token })
    expect(first.status).toBe(200)
    expect(first.body).toEqual(DEFAULT_AGENT_SETTINGS)
    const put = await callRest(relay, { method: 'PUT', url: '/v1/agent/settings', token: ana.token, body: { sound: false, desktop: true } })
    expect(put.status).toBe(200)
    expect(Value.Check(AgentSettings, put.body)).toBe(true)
    const again = await callRest(relay, { url: '/v1/agent/settings', token: ana.token })
    expect(again.body).toEqual({ sound: false, desktop: true })
  })

  it("keeps each agent's settings their own", async () => {
    const brand = await createTestBrand(relay)
    const ana = await createTestAgent(relay, brand.brandId, 'Ana')
    const ben = await createTestAgent(relay, brand.brandId, 'Ben')
    await callRest(relay, { method: 'PUT', url: '/v1/agent/settings', token: ana.token, body: { sound: false, desktop: false } })
    expect((await callRest(relay, { url: '/v1/agent/settings', token: ben.token })).body).toEqual(DEFAULT_AGENT_SETTINGS)
  })

  it('refuses a body with a missing or unknown field with PARLEY_ERR_REQUEST_INVALID and changes nothing', async () => {
    const brand = await createTestBrand(relay)
    const ana = await createTestAgent(relay, brand.brandId, 'Ana')
    for (const body of [{ sound: false }, { sound: false, desktop: true, volume: 3 }, { sound: 'no', desktop: true }]) {
      expectErrorBody(await callRest(relay, { method: 'PUT', url: '/v1/agent/settings', token: ana.token, body }), 'PARLEY_ERR_REQUEST_INVALID')
    }
    expect((await callRest(relay, { url: '/v1/agent/settings', token: ana.token })).body).toEqual(DEFAULT_AGENT_SETTINGS)
  })

  it("refuses the brand's API key (settings belong to an agent) and no credential", async () => {
    const brand = await createTestBrand(relay)
    expectErrorBody(await callRest(relay, { url: '/v1/agent/settings', token: brand.apiKey }), 'PARLEY_ERR_AUTH_FORBIDDEN')
    expectErrorBody(await callRest(relay, { url: '/v1/agent/settings' }), 'PARLEY_ERR_AUTH_REQUIRED')
  })
})

describe('the supervisor view over REST', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  /** Opens a waiting live chat through the store, `agoMs` before now. */
  async function waiting(brandId: string, convId: string, agoMs: number, priority?: 'urgent' | 'low') {
    const at = relay.deps.clock.now() - agoMs
    const r = await relay.deps.store.openConversation({ brandId, convId, visitorId: `v-${convId}`, clientMsgId: `${convId}-o`, at, context: null, routing: priority ? { priority, skill: 'billing' } : {}, response: null })
    if (!r.ok) throw new Error('seeding failed')
  }

  it('lists agents with capacity, skills, offers pending and missed today; the queue in priority order with waits', async () => {
    const brand = await createTestBrand(relay)
    const ana = await createTestAgent(relay, brand.brandId, 'Ana')
    const ben = await createTestAgent(relay, brand.brandId, 'Ben')
    await callRest(relay, { method: 'PATCH', url: `/v1/agents/${ben.agentId}`, token: brand.apiKey, body: { capacity: 5, skills: ['billing'] } })
    const now = relay.deps.clock.now()
    await waiting(brand.brandId, 'sv-old', 120_000)
    await waiting(brand.brandId, 'sv-urgent', 10_000, 'urgent')
    await waiting(brand.brandId, 'sv-missed', 60_000)
    const { store } = relay.deps
    // Ana let one offer time out today; one she missed yesterday is not today's.
    expect(await store.createOffer({ brandId: brand.brandId, convId: 'sv-missed', agentId: ana.agentId, offeredAt: now - 30_000, expiresAt: now - 1000 })).toBe(true)
    await store.endOffer(brand.brandId, 'sv-missed', ana.agentId, 'timeout', now - 1000)
    expect(await store.createOffer({ brandId: brand.brandId, convId: 'sv-missed', agentId: ben.agentId, offeredAt: now - 26 * 3600_000, expiresAt: now - 26 * 3600_000 + 30_000 })).toBe(true)
    await store.endOffer(brand.brandId, 'sv-missed', ben.agentId, 'timeout', now - 26 * 3600_000 + 30_000)
    // Ben has the urgent chat offered now.
    expect(await store.createOffer({ brandId: brand.brandId, convId: 'sv-urgent', agentId: ben.agentId, offeredAt: now, expiresAt: now + 30_000 })).toBe(true)

    const res = await callRest(relay, { url: '/v1/supervisor', token: ana.token })
    expect(res.status).toBe(200)
    expect(Value.Check(SupervisorView, res.body)).toBe(true)
    const view = res.body as SupervisorView
    expect(view.mode).toBe('manual')
    const a = view.agents.find((x) => x.agentId === ana.agentId)!
    const b = view.agents.find((x) => x.agentId === ben.agentId)!
    expect(a).toMatchObject({ name: 'Ana', status: 'offline', capacity: 3, activeChats: 0, skills: [], offersPending: 0 })
    expect(b).toMatchObject({ name: 'Ben', capacity: 5, skills: ['billing'], offersPending: 1 })
    // Midnight UTC may fall between the two: count from the same start the relay did.
    const midnight = new Date(now).setUTCHours(0, 0, 0, 0)
    expect(a.missedToday).toBe(now - 1000 >= midnight ? 1 : 0)
    expect(b.missedToday).toBe(0)
    expect(view.missedToday).toBe(a.missedToday)
    expect(view.queue.map((q) => q.convId)).toEqual(['sv-urgent', 'sv-old', 'sv-missed'])
    expect(view.queueLength).toBe(3)
    expect(view.queue[0]).toMatchObject({ offeredTo: ben.agentId, routing: { priority: 'urgent', skill: 'billing' } })
    expect(view.queue[1]!.waitingSec).toBeGreaterThanOrEqual(120)
    expect(view.queue[1]!.offeredTo).toBeUndefined()
  })

  it('counts the wait of a chat sent back to a queue from when it went back', async () => {
    const brand = await createTestBrand(relay)
    const ana = await createTestAgent(relay, brand.brandId, 'Ana')
    const { store, clock } = relay.deps
    await waiting(brand.brandId, 'sv-back', 3600_000)
    await store.assignConversation(brand.brandId, 'sv-back', ana.agentId, clock.now() - 3000_000, { onlyIfWaiting: true })
    const back = clock.now() - 60_000
    await store.requeueConversation(brand.brandId, 'sv-back', 'billing', ana.agentId, back)
    const view = (await callRest(relay, { url: '/v1/supervisor', token: ana.token })).body as SupervisorView
    const entry = view.queue.find((q) => q.convId === 'sv-back')!
    expect(entry.queuedAt).toBe(back)
    expect(entry.waitingSec).toBeGreaterThanOrEqual(60)
    expect(entry.waitingSec).toBeLessThan(600)
  })

  it("answers the brand's API key too, and never another brand's agents or chats", async () => {
    const mine = await createTestBrand(relay)
    const other = await createTestBrand(relay)
    const me = await createTestAgent(relay, mine.brandId, 'Ana')
    const stranger = await createTestAgent(relay, other.brandId, 'Zed')
    await waiting(other.brandId, 'sv-other', 5000)
    for (const token of [me.token, mine.apiKey]) {
      const res = await callRest(relay, { url: '/v1/supervisor', token })
      expect(res.status).toBe(200)
      const view = res.body as SupervisorView
      expect(view.agents.map((x) => x.agentId)).toEqual([me.agentId])
      expect(view.agents.some((x) => x.agentId === stranger.agentId)).toBe(false)
      expect(view.queue).toEqual([])
      expect(view.queueLength).toBe(0)
    }
  })

  it('refuses a request with no credential with PARLEY_ERR_AUTH_REQUIRED', async () => {
    expectErrorBody(await callRest(relay, { url: '/v1/supervisor' }), 'PARLEY_ERR_AUTH_REQUIRED')
  })
})
