import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Value } from '@sinclair/typebox/value'
import { AgentPresence, AgentPresenceList, AgentStatusChanged, Agent, DEFAULT_AGENT_CAPACITY } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'
import { TestClient } from '../helpers/ws-client.js'
import { until } from '../helpers/until.js'
import { createInProcessPresence, type Presence } from '../../server/src/agents/presence.js'

// Agents' status, capacity and presence against a real relay, real SQLite and real sockets: what an
// agent chooses, what the brand sets, and what colleagues see live as agent.status frames.

describe('agent status, capacity and presence', () => {
  let relay: TestRelay
  /** Agents whose connection the relay has counted out, in order: the close is processed, not just sent. */
  const countedOut: string[] = []
  const inner = createInProcessPresence()
  const presence: Presence = {
    ...inner,
    async disconnected(brandId, agentId, at) {
      const change = await inner.disconnected(brandId, agentId, at)
      countedOut.push(agentId)
      return change
    },
  }
  beforeAll(async () => { relay = await startRelay({ presence }) })
  afterAll(async () => { await relay.close() })

  /** A brand with two connected agents, Ana (who acts) and Ben (who watches). */
  async function team() {
    const brand = await createTestBrand(relay)
    const ana = await createTestAgent(relay, brand.brandId, 'Ana')
    const ben = await createTestAgent(relay, brand.brandId, 'Ben')
    const watcher = (await TestClient.agent(relay.wsUrl, ben.token)).client
    const anaSocket = (await TestClient.agent(relay.wsUrl, ana.token)).client
    // Ana's first connection announces her.
    await watcher.next('agent.status', (f) => f.agent.agentId === ana.agentId && f.agent.status === 'available')
    return { brand, ana, ben, watcher, anaSocket }
  }

  const presenceOf = async (token: string, agentId: string) => {
    const res = await callRest(relay, { url: '/v1/agents/presence', token })
    expect(res.status).toBe(200)
    return (res.body as AgentPresenceList).agents.find((a) => a.agentId === agentId)!
  }

  it('lets an agent go away and back; colleagues get agent.status frames with the chosen status', async () => {
    const { ana, watcher, anaSocket } = await team()
    const res = await callRest(relay, { method: 'PUT', url: '/v1/agent/status', token: ana.token, body: { status: 'away' } })
    expect(res.status).toBe(200)
    expect(Value.Check(AgentPresence, res.body)).toBe(true)
    expect(res.body).toMatchObject({ agentId: ana.agentId, name: 'Ana', status: 'away', auto: false, capacity: DEFAULT_AGENT_CAPACITY, activeChats: 0 })
    const frame = await watcher.next('agent.status', (f) => f.agent.agentId === ana.agentId && f.agent.status === 'away')
    expect(Value.Check(AgentStatusChanged, frame)).toBe(true)
    // Ana's own console hears it too.
    await anaSocket.next('agent.status', (f) => f.agent.status === 'away')
    await callRest(relay, { method: 'PUT', url: '/v1/agent/status', token: ana.token, body: { status: 'available' } })
    await watcher.next('agent.status', (f) => f.agent.agentId === ana.agentId && f.agent.status === 'available')
    watcher.ws.close(); anaSocket.ws.close()
  })

  it('marks an automatic away as auto, keeps the idle minutes, and clears auto on return', async () => {
    const { ana, watcher, anaSocket } = await team()
    await callRest(relay, { method: 'PUT', url: '/v1/agent/status', token: ana.token, body: { status: 'available', awayAfterMin: 3 } })
    const auto = await callRest(relay, { method: 'PUT', url: '/v1/agent/status', token: ana.token, body: { status: 'away', auto: true } })
    expect(auto.body).toMatchObject({ status: 'away', auto: true, awayAfterMin: 3 })
    const back = await callRest(relay, { method: 'PUT', url: '/v1/agent/status', token: ana.token, body: { status: 'available' } })
    expect(back.body).toMatchObject({ status: 'available', auto: false, awayAfterMin: 3 })
    const never = await callRest(relay, { method: 'PUT', url: '/v1/agent/status', token: ana.token, body: { status: 'available', awayAfterMin: 0 } })
    expect(never.body.awayAfterMin).toBe(0)
    watcher.ws.close(); anaSocket.ws.close()
  })

  it('refuses a status other than available or away, and any credential but the agent\'s own token', async () => {
    const brand = await createTestBrand(relay)
    const ana = await createTestAgent(relay, brand.brandId, 'Ana')
    expectErrorBody(await callRest(relay, { method: 'PUT', url: '/v1/agent/status', token: ana.token, body: { status: 'offline' } }), 'PARLEY_ERR_REQUEST_INVALID')
    expectErrorBody(await callRest(relay, { method: 'PUT', url: '/v1/agent/status', token: ana.token, body: { status: 'away', awayAfterMin: 481 } }), 'PARLEY_ERR_REQUEST_INVALID')
    expectErrorBody(await callRest(relay, { method: 'PUT', url: '/v1/agent/status', token: brand.apiKey, body: { status: 'away' } }), 'PARLEY_ERR_AUTH_FORBIDDEN')
    expectErrorBody(await callRest(relay, { method: 'PUT', url: '/v1/agent/status', body: { status: 'away' } }), 'PARLEY_ERR_AUTH_REQUIRED')
  })

  it('counts agents without a saved status as available while connected, offline otherwise', async () => {
    const brand = await createTestBrand(relay)
    const ana = await createTestAgent(relay, brand.brandId, 'Ana')
    const ben = await createTestAgent(relay, brand.brandId, 'Ben')
    const socket = (await TestClient.agent(relay.wsUrl, ana.token)).client
    await socket.next('agent.status', (f) => f.agent.agentId === ana.agentId)
    const list = await callRest(relay, { url: '/v1/agents/presence', token: brand.apiKey })
    expect(Value.Check(AgentPresenceList, list.body)).toBe(true)
    expect(list.body.agents.map((a: AgentPresence) => [a.name, a.status])).toEqual([['Ana', 'available'], ['Ben', 'offline']])
    expect((await presenceOf(ben.token, ana.agentId)).status).toBe('available')
    // Another brand's credentials list their own agents only.
    const other = await createTestBrand(relay)
    expect((await callRest(relay, { url: '/v1/agents/presence', token: other.apiKey })).body.agents).toEqual([])
    socket.ws.close()
  })

  it('turns an agent offline when their last connection closes, not before, and tells colleagues', async () => {
    const { ana, ben, watcher, anaSocket } = await team()
    const second = (await TestClient.agent(relay.wsUrl, ana.token)).client
    anaSocket.ws.close()
    await until(() => countedOut.includes(ana.agentId), 'the relay counted the first connection out')
    // Still connected on the second: available.
    expect((await presenceOf(ben.token, ana.agentId)).status).toBe('available')
    second.ws.close()
    const frame = await watcher.next('agent.status', (f) => f.agent.agentId === ana.agentId && f.agent.status === 'offline')
    expect(frame.agent.auto).toBe(false)
    expect((await presenceOf(ben.token, ana.agentId)).status).toBe('offline')
    // Coming back shows the status chosen before, not the socket state.
    await callRest(relay, { method: 'PUT', url: '/v1/agent/status', token: ana.token, body: { status: 'away' } })
    expect((await presenceOf(ben.token, ana.agentId)).status).toBe('offline')
    const again = (await TestClient.agent(relay.wsUrl, ana.token)).client
    await watcher.next('agent.status', (f) => f.agent.agentId === ana.agentId && f.agent.status === 'away')
    again.ws.close(); watcher.ws.close()
  })

  it('lets the brand change capacity with PATCH /v1/agents/:agentId; colleagues see it', async () => {
    const { brand, ana, watcher, anaSocket } = await team()
    const res = await callRest(relay, { method: 'PATCH', url: `/v1/agents/${ana.agentId}`, token: brand.apiKey, body: { capacity: 5 } })
    expect(res.status).toBe(200)
    expect(Value.Check(Agent, res.body)).toBe(true)
    expect(res.body).toMatchObject({ agentId: ana.agentId, name: 'Ana', capacity: 5 })
    await watcher.next('agent.status', (f) => f.agent.agentId === ana.agentId && f.agent.capacity === 5)
    const renamed = await callRest(relay, { method: 'PATCH', url: `/v1/agents/${ana.agentId}`, token: brand.apiKey, body: { name: ' Ana M. ' } })
    expect(renamed.body).toMatchObject({ name: 'Ana M.', capacity: 5 })
    expect((await callRest(relay, { url: '/v1/agents/me', token: ana.token })).body.capacity).toBe(5)
    watcher.ws.close(); anaSocket.ws.close()
  })

  it('refuses a bad patch, an unknown or foreign agent, and a token of a role below admin', async () => {
    const brand = await createTestBrand(relay)
    const ana = await createTestAgent(relay, brand.brandId, 'Ana')
    const other = await createTestBrand(relay)
    const url = `/v1/agents/${ana.agentId}`
    expectErrorBody(await callRest(relay, { method: 'PATCH', url, token: brand.apiKey, body: { capacity: 0 } }), 'PARLEY_ERR_REQUEST_INVALID')
    expectErrorBody(await callRest(relay, { method: 'PATCH', url, token: brand.apiKey, body: { capacity: 51 } }), 'PARLEY_ERR_REQUEST_INVALID')
    expectErrorBody(await callRest(relay, { method: 'PATCH', url, token: brand.apiKey, body: { email: 'x@y.example' } }), 'PARLEY_ERR_REQUEST_INVALID')
    expectErrorBody(await callRest(relay, { method: 'PATCH', url, token: brand.apiKey, body: { name: '   ' } }), 'PARLEY_ERR_REQUEST_INVALID')
    expectErrorBody(await callRest(relay, { method: 'PATCH', url: '/v1/agents/a_nobody', token: brand.apiKey, body: { capacity: 2 } }), 'PARLEY_ERR_AGENT_NOT_FOUND')
    expectErrorBody(await callRest(relay, { method: 'PATCH', url, token: other.apiKey, body: { capacity: 2 } }), 'PARLEY_ERR_AGENT_NOT_FOUND')
    expectErrorBody(await callRest(relay, { method: 'PATCH', url, token: ana.token, body: { capacity: 9 } }), 'PARLEY_ERR_AUTH_ROLE')
    expect((await callRest(relay, { url: '/v1/agents/me', token: ana.token })).body.capacity).toBe(DEFAULT_AGENT_CAPACITY)
  })

  it('announces an agent\'s open chats as they accept, hand on and close conversations', async () => {
    const { brand, ana, ben, watcher, anaSocket } = await team()
    const visitor = (await TestClient.visitor(relay.wsUrl, brand.siteKey, { origin: brand.origin })).client
    visitor.send({ type: 'message.send', convId: 'c-chats-1', clientMsgId: 'm-1', text: 'hello' })
    await visitor.next('message.ack')
    anaSocket.send({ type: 'conversation.accept', convId: 'c-chats-1', ref: 'acc' })
    await watcher.next('agent.status', (f) => f.agent.agentId === ana.agentId && f.agent.activeChats === 1)
    anaSocket.send({ type: 'conversation.assign', convId: 'c-chats-1', agentId: ben.agentId, ref: 'hand' })
    await watcher.next('agent.status', (f) => f.agent.agentId === ben.agentId && f.agent.activeChats === 1)
    await watcher.next('agent.status', (f) => f.agent.agentId === ana.agentId && f.agent.activeChats === 0)
    watcher.send({ type: 'conversation.close', convId: 'c-chats-1', ref: 'close' })
    await anaSocket.next('agent.status', (f) => f.agent.agentId === ben.agentId && f.agent.activeChats === 0)
    visitor.ws.close(); watcher.ws.close(); anaSocket.ws.close()
  })
})
