import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelayWithAgent, type TestRelay } from '../helpers/start-relay.js'
import type { TestAgent, TestBrand } from '../helpers/brand.js'
import { TestClient } from '../helpers/ws-client.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody, expectErrorFrame, expectErrorStatusAndBody } from '../helpers/expect-error.js'
import { cutStore } from '../helpers/store-outage.js'
import { openClient, refusedUpgrade } from '../helpers/open-client.js'

// While the store is unreachable (PostgreSQL restarting, a dead store thread) every edge answers the
// typed, retryable PARLEY_ERR_SERVER_STORE, never an internal error, and the relay serves again as
// soon as the store answers, without a restart.

describe('the relay while its store is unavailable', () => {
  let relay: TestRelay
  let brand: TestBrand
  let agent: TestAgent
  beforeAll(async () => { ({ relay, brand, agent } = await startRelayWithAgent()) })
  afterAll(async () => { await relay.close() })

  it('answers REST calls 503 PARLEY_ERR_SERVER_STORE, then serves them again', async () => {
    const outage = cutStore(relay.deps.store)
    try {
      expectErrorBody(await callRest(relay, { url: '/v1/conversations', token: brand.apiKey }), 'PARLEY_ERR_SERVER_STORE')
    } finally {
      outage.restore()
    }
    expect(outage.refused()).toBeGreaterThan(0)
    expect((await callRest(relay, { url: '/v1/conversations', token: brand.apiKey })).status).toBe(200)
  })

  it('answers /readyz 503 PARLEY_ERR_SERVER_STORE, then ready again', async () => {
    const outage = cutStore(relay.deps.store)
    try {
      expectErrorBody(await callRest(relay, { url: '/readyz' }), 'PARLEY_ERR_SERVER_STORE')
    } finally {
      outage.restore()
    }
    expect((await callRest(relay, { url: '/readyz' })).status).toBe(200)
  })

  it('refuses a visitor socket upgrade with 503 PARLEY_ERR_SERVER_STORE', async () => {
    const outage = cutStore(relay.deps.store)
    try {
      const refused = await refusedUpgrade(openClient(`${relay.wsUrl}?site=${brand.siteKey}`, { origin: brand.origin }))
      expectErrorStatusAndBody(refused.status, refused.body, 'PARLEY_ERR_SERVER_STORE')
    } finally {
      outage.restore()
    }
  })

  it('answers a hello it cannot complete with PARLEY_ERR_SERVER_STORE and closes, so the client reconnects', async () => {
    const client = await TestClient.connect(relay.wsUrl)
    const outage = cutStore(relay.deps.store)
    try {
      client.send({ type: 'hello', protocol: 1, auth: { kind: 'agent', token: agent.token }, ref: 'h1' })
      const refused = expectErrorFrame(await client.error('PARLEY_ERR_SERVER_STORE'), 'PARLEY_ERR_SERVER_STORE')
      expect(refused.retryable).toBe(true)
      expect(refused.ref).toBe('h1')
      await client.closed()
    } finally {
      outage.restore()
    }
    const again = await TestClient.agent(relay.wsUrl, agent.token)
    expect(again.welcome.identity.kind).toBe('agent')
    again.client.close()
  })

  it('answers a frame on an open connection with PARLEY_ERR_SERVER_STORE and keeps the connection', async () => {
    const { client } = await TestClient.agent(relay.wsUrl, agent.token)
    const outage = cutStore(relay.deps.store)
    try {
      client.send({ type: 'queue.list', ref: 'q1' })
      const refused = expectErrorFrame(await client.error('PARLEY_ERR_SERVER_STORE'), 'PARLEY_ERR_SERVER_STORE')
      expect(refused.ref).toBe('q1')
      expect(client.all('error', (f) => f.code === 'PARLEY_ERR_SERVER_INTERNAL')).toEqual([])
    } finally {
      outage.restore()
    }
    client.send({ type: 'queue.list', ref: 'q2' })
    expect((await client.next('queue.listed', (f) => f.ref === 'q2')).type).toBe('queue.listed')
    expect(client.closeCode).toBeNull()
    client.close()
  })

  it('refuses a message it cannot store with PARLEY_ERR_SERVER_STORE and acks its resend once the store is back', async () => {
    const { client } = await TestClient.visitor(relay.wsUrl, brand.siteKey, { origin: brand.origin })
    const outage = cutStore(relay.deps.store)
    const send = { type: 'message.send', convId: 'outage-conv', clientMsgId: 'm1', text: 'while the store is away' }
    try {
      client.send(send)
      expectErrorFrame(await client.error('PARLEY_ERR_SERVER_STORE'), 'PARLEY_ERR_SERVER_STORE')
    } finally {
      outage.restore()
    }
    client.send(send)
    expect((await client.next('message.ack')).seq).toBe(1)
    client.close()
  })
})
