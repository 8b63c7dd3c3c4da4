import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Value } from '@sinclair/typebox/value'
import { Availability, DEFAULT_LIMITS, type BusinessHours } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestBrand } from '../helpers/brand.js'
import { callRest, type RestResponse } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'
import { TestClient } from '../helpers/ws-client.js'
import { createFakeClock, type FakeClock } from '../helpers/fake-clock.js'
import { seedConversations } from '../helpers/seed-conversations.js'
import { writeMmdb } from '../helpers/mmdb-writer.js'

// GET /v1/sites/:siteKey/availability on a real relay: what widgets poll to choose between the chat
// button and the offline form. The clock is fake so the relay's one-second per-brand answer can be
// aged deliberately instead of waited out.

/** Monday 7 December 2026, 10:00 in Paris (09:00 UTC). */
const MONDAY_10_PARIS = Date.UTC(2026, 11, 7, 9, 0)
const HOURS: BusinessHours = { timeZone: 'Europe/Paris', weekly: { mon: [{ from: '09:00', to: '17:00' }] } }

const availability = (relay: TestRelay, brand: TestBrand, headers: Record<string, string> = {}): Promise<RestResponse> =>
  callRest(relay, { url: `/v1/sites/${brand.siteKey}/availability`, headers: { origin: brand.origin, ...headers } })

describe('the public availability', () => {
  let relay: TestRelay
  let clock: FakeClock
  beforeAll(async () => {
    clock = createFakeClock(MONDAY_10_PARIS)
    relay = await startRelay({ clock, relay: { countryHeader: 'CF-IPCountry' } })
  })
  afterAll(async () => { await relay.close() })

  /** The answer once the relay's kept one is stale. */
  async function fresh(brand: TestBrand, headers?: Record<string, string>): Promise<Availability> {
    clock.advance(1001)
    const res = await availability(relay, brand, headers)
    expect(res.status).toBe(200)
    expect(Value.Check(Availability, res.body), res.raw).toBe(true)
    return res.body as Availability
  }

  it('answers uncached, readable from any origin, with the poll interval', async () => {
    const brand = await createTestBrand(relay)
    const res = await availability(relay, brand)
    expect(res.status).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.headers['access-control-allow-origin']).toBe('*')
    expect(res.body).toEqual({ agentsAvailable: 0, queueLength: 0, inHours: true, pollMs: DEFAULT_LIMITS.availabilityPollMs })
    // A page without an Origin header (a server-side fetch) is answered too.
    expect((await callRest(relay, { url: `/v1/sites/${brand.siteKey}/availability` })).status).toBe(200)
  })

  it('counts connected available agents with a free slot, against their capacity', async () => {
    const brand = await createTestBrand(relay)
    const ana = await createTestAgent(relay, brand.brandId, 'Ana')
    const ben = await createTestAgent(relay, brand.brandId, 'Ben')
    await createTestAgent(relay, brand.brandId, 'Cy (never connects)')
    const anaSocket = (await TestClient.agent(relay.wsUrl, ana.token)).client
    const benSocket = (await TestClient.agent(relay.wsUrl, ben.token)).client
    await benSocket.next('agent.status', (f) => f.agent.agentId === ben.agentId)
    expect((await fresh(brand)).agentsAvailable).toBe(2)

    // Ana takes one chat at a time, and has one: she is full.
    await callRest(relay, { method: 'PATCH', url: `/v1/agents/${ana.agentId}`, token: brand.apiKey, body: { capacity: 1 } })
    const [convId] = await seedConversations(relay, brand.brandId, 1, 'cap', clock.now())
    anaSocket.send({ type: 'conversation.accept', convId, ref: 'a' })
    await anaSocket.next('conversation.joined')
    expect(await fresh(brand)).toMatchObject({ agentsAvailable: 1, queueLength: 0 })

    // Ben goes away: nobody can take a chat.
    await callRest(relay, { method: 'PUT', url: '/v1/agent/status', token: ben.token, body: { status: 'away', auto: true } })
    expect((await fresh(brand)).agentsAvailable).toBe(0)

    // Closing Ana's chat frees her slot; Ben's last connection closing keeps him out.
    anaSocket.send({ type: 'conversation.close', convId, ref: 'c' })
    await anaSocket.next('conversation.closed')
    await callRest(relay, { method: 'PUT', url: '/v1/agent/status', token: ben.token, body: { status: 'available' } })
    benSocket.ws.close()
    await anaSocket.next('agent.status', (f) => f.agent.agentId === ben.agentId && f.agent.status === 'offline')
    expect((await fresh(brand)).agentsAvailable).toBe(1)
    anaSocket.ws.close()
  })

  it('gives an accepted offline message no chat slot: it is answered by e-mail', async () => {
    const brand = await createTestBrand(relay)
    const ana = await createTestAgent(relay, brand.brandId, 'Ana')
    await callRest(relay, { method: 'PATCH', url: `/v1/agents/${ana.agentId}`, token: brand.apiKey, body: { capacity: 1 } })
    const socket = (await TestClient.agent(relay.wsUrl, ana.token)).client
    await socket.next('agent.status')
    const offline = await callRest(relay, {
      method: 'POST', url: `/v1/sites/${brand.siteKey}/offline-messages`, headers: { origin: brand.origin },
      body: { name: 'Eve', email: 'eve@example.com', message: 'Call me back', clientMsgId: 'offline-slot' },
    })
    socket.send({ type: 'conversation.accept', convId: (offline.body as { convId: string }).convId, ref: 'a' })
    await socket.next('conversation.joined')
    expect((await fresh(brand)).agentsAvailable).toBe(1)
    // A live chat does take her one slot.
    const [convId] = await seedConversations(relay, brand.brandId, 1, 'slot', clock.now())
    socket.send({ type: 'conversation.accept', convId, ref: 'b' })
    await socket.next('conversation.joined', (f) => f.convId === convId)
    expect((await fresh(brand)).agentsAvailable).toBe(0)
    socket.ws.close()
  })

  it('keeps one answer per brand for at most a second', async () => {
    const brand = await createTestBrand(relay)
    const ana = await createTestAgent(relay, brand.brandId, 'Ana')
    expect((await fresh(brand)).agentsAvailable).toBe(0)
    const socket = (await TestClient.agent(relay.wsUrl, ana.token)).client
    await socket.next('agent.status')
    // Within the same second the kept answer stands; a second later the new one shows.
    expect((await availability(relay, brand)).body.agentsAvailable).toBe(0)
    expect((await fresh(brand)).agentsAvailable).toBe(1)
    socket.ws.close()
  })

  it('counts live chats waiting, not offline messages nor assigned or closed conversations', async () => {
    const brand = await createTestBrand(relay)
    const ids = await seedConversations(relay, brand.brandId, 3, 'q', clock.now())
    // A message through the offline form waits for an agent too, but is not a live chat.
    const offline = await callRest(relay, {
      method: 'POST', url: `/v1/sites/${brand.siteKey}/offline-messages`, headers: { origin: brand.origin },
      body: { name: 'Eve', email: 'eve@example.com', message: 'Call me back', clientMsgId: 'offline-1' },
    })
    expect(offline.status).toBe(201)
    expect((await fresh(brand)).queueLength).toBe(3)
    const ana = await createTestAgent(relay, brand.brandId, 'Ana')
    const socket = (await TestClient.agent(relay.wsUrl, ana.token)).client
    socket.send({ type: 'conversation.accept', convId: ids[0], ref: 'a' })
    await socket.next('conversation.joined')
    socket.send({ type: 'conversation.join', convId: ids[1], ref: 'j' })
    await socket.next('conversation.joined')
    socket.send({ type: 'conversation.close', convId: ids[1], ref: 'c' })
    await socket.next('conversation.closed')
    expect((await fresh(brand)).queueLength).toBe(1)
    socket.ws.close()
  })

  it('says whether the brand is inside its business hours, holidays included', async () => {
    const brand = await createTestBrand(relay)
    expect((await fresh(brand)).inHours).toBe(true)
    await relay.deps.store.setBusinessHours(brand.brandId, HOURS)
    const monday = clock.now()
    try {
      clock.set(MONDAY_10_PARIS)
      expect((await fresh(brand)).inHours).toBe(true)
      clock.set(Date.UTC(2026, 11, 7, 19, 0))
      expect((await fresh(brand)).inHours).toBe(false)
      await relay.deps.store.setBusinessHours(brand.brandId, { ...HOURS, holidays: [{ from: '2026-12-07', name: 'Closed' }] })
      clock.set(MONDAY_10_PARIS)
      expect((await fresh(brand)).inHours).toBe(false)
    } finally {
      clock.set(monday)
    }
  })

  it("reports the country from the operator's proxy header, two capital letters only", async () => {
    const brand = await createTestBrand(relay)
    expect((await fresh(brand, { 'cf-ipcountry': 'SE' })).country).toBe('SE')
    for (const junk of ['XX', 'T1', 'se', 'SWE', '']) expect(await fresh(brand, { 'cf-ipcountry': junk })).not.toHaveProperty('country')
    expect(await fresh(brand)).not.toHaveProperty('country')
  })

  it('refuses a page on an origin the brand does not allow, and an unknown site key', async () => {
    const brand = await createTestBrand(relay)
    const res = await availability(relay, brand, { origin: 'https://elsewhere.example' })
    expectErrorBody(res, 'PARLEY_ERR_TENANT_ORIGIN')
    expect(res.headers['cache-control']).toBe('no-store')
    expectErrorBody(await callRest(relay, { url: '/v1/sites/nope/availability', headers: { origin: brand.origin } }), 'PARLEY_ERR_TENANT_SITE_KEY')
  })
})

describe('the public availability with a GeoIP database', () => {
  const geoIpDb = writeMmdb({ '203.0.113.0/24': { country: { iso_code: 'NZ' } } })

  it('finds the country of the client address', async () => {
    const relay = await startRelay({ relay: { geoIpDb } })
    try {
      const brand = await createTestBrand(relay)
      const at = (remoteAddress: string) => relay.app.inject({ url: `/v1/sites/${brand.siteKey}/availability`, headers: { origin: brand.origin }, remoteAddress })
      expect((await at('203.0.113.7')).json().country).toBe('NZ')
      expect((await at('198.51.100.1')).json()).not.toHaveProperty('country')
      // Without trust-proxy, a forwarded address someone typed is not believed.
      const forged = await relay.app.inject({
        url: `/v1/sites/${brand.siteKey}/availability`, headers: { origin: brand.origin, 'x-forwarded-for': '203.0.113.7' }, remoteAddress: '198.51.100.1',
      })
      expect(forged.json()).not.toHaveProperty('country')
    } finally {
      await relay.close()
    }
  })

  it('behind a trusted proxy, uses the forwarded client address', async () => {
    const relay = await startRelay({ relay: { geoIpDb, trustProxy: true } })
    try {
      const brand = await createTestBrand(relay)
      const res = await relay.app.inject({
        url: `/v1/sites/${brand.siteKey}/availability`, headers: { origin: brand.origin, 'x-forwarded-for': '203.0.113.7' }, remoteAddress: '127.0.0.1',
      })
      expect(res.json().country).toBe('NZ')
    } finally {
      await relay.close()
    }
  })
})

describe('the public availability rate limit', () => {
  it('has a per-address limit of its own, apart from the shared REST limit', async () => {
    const relay = await startRelay({ limits: { availabilityRequestsPerMinute: 3, restRequestsPerMinute: 1 } })
    try {
      const brand = await createTestBrand(relay)
      for (let i = 0; i < 3; i++) expect((await availability(relay, brand)).status).toBe(200)
      const refused = await availability(relay, brand)
      expectErrorBody(refused, 'PARLEY_ERR_LIMIT_RATE')
      expect(refused.headers['retry-after']).toBeDefined()
      expect(DEFAULT_LIMITS.availabilityRequestsPerMinute).toBeGreaterThanOrEqual(60_000 / DEFAULT_LIMITS.availabilityPollMs * 50)
    } finally {
      await relay.close()
    }
  })
})
