import { afterEach, describe, expect, it } from 'vitest'
import type { Limits } from '@parley/sdk/contract'
import { verifyPassword } from '../../server/src/auth/passwords.js'
import { createAgent } from '../../server/src/admin/agents.js'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'
import { sendAndAck, visitorOf } from '../helpers/tracked-clients.js'
import { until } from '../helpers/until.js'

// Login is scrypt: tens of ms of CPU and 16 MiB per attempt. It is throttled per account before any
// hashing, per IP like every REST route, and the hashing itself runs in a bounded queue.

const relays: TestRelay[] = []
afterEach(async () => { await Promise.all(relays.splice(0).map((r) => r.close())) })

async function relayCountingHashes(limits: Partial<Limits> = {}) {
  const counter = { hashes: 0 }
  const relay = await startRelay({
    limits,
    verifyPassword: (password, stored) => { counter.hashes++; return verifyPassword(password, stored) },
  })
  relays.push(relay)
  return { relay, counter }
}

describe('REST rate limits', () => {
  it('refuses wrong passwords from the 11th in a row with 429 PARLEY_ERR_LIMIT_RATE and Retry-After, without hashing', async () => {
    const { relay, counter } = await relayCountingHashes()
    const brand = await createTestBrand(relay)
    const email = 'target@agents.example'
    await createAgent(relay.deps, { brandId: brand.brandId, email, name: 'Target', password: 'correct horse battery' })
    const statuses: number[] = []
    let last
    for (let i = 0; i < 50; i++) {
      last = await callRest(relay, { method: 'POST', url: '/v1/agent/sessions', body: { brandId: brand.brandId, email, password: `wrong-${i}` } })
      statuses.push(last.status)
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401))
    expect(statuses.slice(10)).toEqual(Array(40).fill(429))
    expectErrorBody(last!, 'PARLEY_ERR_LIMIT_RATE')
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0)
    expect(counter.hashes).toBe(10)
  })

  it('refuses the right password too once the account is throttled', async () => {
    const { relay } = await relayCountingHashes({ agentLoginsPerMinute: 2 })
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    await callRest(relay, { method: 'POST', url: '/v1/agent/sessions', body: { brandId: brand.brandId, email: agent.email, password: 'wrong-password' } })
    const res = await callRest(relay, { method: 'POST', url: '/v1/agent/sessions', body: { brandId: brand.brandId, email: agent.email, password: agent.password } })
    expectErrorBody(res, 'PARLEY_ERR_LIMIT_RATE')
  })

  it('throttles each account on its own: another e-mail still logs in', async () => {
    const { relay } = await relayCountingHashes({ agentLoginsPerMinute: 1 })
    const brand = await createTestBrand(relay)
    const first = await createTestAgent(relay, brand.brandId)
    const refused = await callRest(relay, { method: 'POST', url: '/v1/agent/sessions', body: { brandId: brand.brandId, email: first.email, password: first.password } })
    expect(refused.status).toBe(429)
    await expect(createTestAgent(relay, brand.brandId)).resolves.toMatchObject({ token: expect.any(String) })
  })

  it('keeps acking a visitor\'s messages during a flood of wrong passwords', async () => {
    const { relay } = await relayCountingHashes()
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const { client } = await visitorOf(relay, brand)
    // Fifty attempts in flight at once over real HTTP, and a chat message in the middle of them.
    const flood = Promise.all(Array.from({ length: 50 }, (_, i) => fetch(`${relay.url}/v1/agent/sessions`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ brandId: brand.brandId, email: agent.email, password: `wrong-${i}` }),
    }).then((r) => r.status)))
    expect(await sendAndAck(client, 'conv-during-flood', 'm1', 'still here')).toBe(1)
    const statuses = await flood
    expect(statuses.filter((s) => s === 401)).toHaveLength(9)
    expect(statuses.filter((s) => s === 429)).toHaveLength(41)
  })

  it('keeps counting a victim account\'s attempts through a flood of junk e-mails from many addresses', async () => {
    const relay = await startRelay({
      limits: { agentLoginsPerMinute: 2, restRequestsPerMinute: 1e6 },
      verifyPassword: async () => false,
    })
    relays.push(relay)
    const brand = await createTestBrand(relay)
    const login = (email: string, remoteAddress: string) => relay.app.inject({
      method: 'POST', url: '/v1/agent/sessions', remoteAddress,
      payload: { brandId: brand.brandId, email, password: 'guess' },
    })
    const victim = 'victim@agents.example'
    expect((await login(victim, '192.0.2.1')).statusCode).toBe(401)
    expect((await login(victim, '192.0.2.1')).statusCode).toBe(401)
    // More junk accounts than the rate-limit plugin's default LRU holds (5,000), each address
    // staying under its own login limit.
    for (let i = 0; i < 5200; i++) await login(`junk${i}@agents.example`, `198.51.${Math.floor(i / 26)}.7`)
    const res = await login(victim, '203.0.113.9')
    expect(res.statusCode).toBe(429)
    expect(JSON.parse(res.body)).toMatchObject({ code: 'PARLEY_ERR_LIMIT_RATE' })
  })

  it('refuses logins from one IPv6 /64 past agentLoginsPerIpPerMinute, whatever accounts they name', async () => {
    const relay = await startRelay({ limits: { agentLoginsPerIpPerMinute: 3 }, verifyPassword: async () => false })
    relays.push(relay)
    const brand = await createTestBrand(relay)
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) {
      const res = await relay.app.inject({
        method: 'POST', url: '/v1/agent/sessions', remoteAddress: `2001:db8:1:2::${i + 1}`,
        payload: { brandId: brand.brandId, email: `user${i}@agents.example`, password: 'guess' },
      })
      statuses.push(res.statusCode)
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429])
    const elsewhere = await relay.app.inject({
      method: 'POST', url: '/v1/agent/sessions', remoteAddress: '2001:db8:1:3::1',
      payload: { brandId: brand.brandId, email: 'user9@agents.example', password: 'guess' },
    })
    expect(elsewhere.statusCode).toBe(401)
  })

  it('refuses REST requests from one IP beyond restRequestsPerMinute with 429 PARLEY_ERR_LIMIT_RATE', async () => {
    const { relay } = await relayCountingHashes({ restRequestsPerMinute: 5 })
    const brand = await createTestBrand(relay)
    const statuses: number[] = []
    let last
    for (let i = 0; i < 7; i++) {
      last = await callRest(relay, { url: '/v1/conversations', token: brand.apiKey })
      statuses.push(last.status)
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429])
    expectErrorBody(last!, 'PARLEY_ERR_LIMIT_RATE')
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0)
  })

  it('does not count health probes against the REST limit', async () => {
    const { relay } = await relayCountingHashes({ restRequestsPerMinute: 1 })
    for (let i = 0; i < 5; i++) expect((await callRest(relay, { url: '/readyz' })).status).toBe(200)
  })

  it('refuses a login with 503 PARLEY_ERR_LIMIT_BUSY when the password-check queue is full, without hashing it', async () => {
    let release!: () => void
    const gate = new Promise<void>((r) => { release = r })
    let started = 0
    const relay = await startRelay({
      limits: { passwordChecksInFlight: 1, passwordChecksQueued: 1 },
      verifyPassword: async () => { started++; await gate; return false },
    })
    relays.push(relay)
    const brand = await createTestBrand(relay)
    const attempt = (n: number) => callRest(relay, { method: 'POST', url: '/v1/agent/sessions', body: { brandId: brand.brandId, email: `user${n}@agents.example`, password: 'whatever' } })
    const first = attempt(1)
    await until(() => started === 1, 'the first check to start')
    // One of these waits in the queue, the other finds it full.
    const results: Awaited<ReturnType<typeof attempt>>[] = []
    const others = [attempt(2), attempt(3)].map((p) => p.then((r) => { results.push(r) }))
    await until(() => results.length === 1, 'one login to be refused')
    expectErrorBody(results[0]!, 'PARLEY_ERR_LIMIT_BUSY')
    expect(Number(results[0]!.headers['retry-after'])).toBeGreaterThan(0)
    release()
    await Promise.all([first, ...others])
    expect(results[1]!.status).toBe(401)
    expect(started).toBe(2)
  })
})
