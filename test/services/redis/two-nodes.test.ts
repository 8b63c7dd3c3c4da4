import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createTestAgent, createTestBrand } from '../../helpers/brand.js'
import { startCluster, type TestCluster } from '../../helpers/cluster-nodes.js'
import { collect, connectAgent, connectVisitor, frameOf, openAndJoin, sendAndAck } from '../../helpers/delivery-chat.js'
import { describeWithRedis, REDIS_URL } from '../../helpers/redis.js'
import { callRest } from '../../helpers/rest.js'
import { until } from '../../helpers/until.js'

// Two relay nodes in one process, joined by the machine's Redis: a visitor on node A and an agent
// on node B hold a whole conversation, and what each node knows of the other's agents is shared.

describeWithRedis('two relay nodes joined by Redis', () => {
  let cluster: TestCluster
  // A visitor's budget (5/s, burst 10) below what one connection may send (10/s, burst 20), so only
  // a shared budget can refuse what two tabs on two nodes send.
  beforeAll(async () => { cluster = await startCluster({ redisUrl: REDIS_URL, presenceTtlMs: 1500, limits: { visitorMessagesPerSecond: 5, messagesPerSecond: 10 } }) })
  afterAll(async () => { await cluster.close() })

  it('carries a conversation between a visitor on node A and an agent on node B, both ways', async () => {
    const [a, b] = cluster.nodes as [typeof cluster.nodes[0], typeof cluster.nodes[0]]
    const brand = await createTestBrand(a)
    const agent = await createTestAgent(b, brand.brandId, 'Bea')
    const ag = (await connectAgent(b, agent)).client
    const v = await connectVisitor(a, brand)
    const convId = `c${randomBytes(6).toString('hex')}`
    await openAndJoin(v.client, ag, convId, 'hello from A')
    await sendAndAck(ag, convId, 'a1', 'hello from B')
    await frameOf(v.client, 'message.new', (m) => m.convId === convId && m.text === 'hello from B', 'agent message on A')
    await sendAndAck(v.client, convId, 'v2', 'second from A')
    await frameOf(ag, 'message.new', (m) => m.convId === convId && m.text === 'second from A', 'visitor message on B')
    // Typing and read receipts cross too.
    v.client.send({ type: 'typing.start', convId, ref: 't1' })
    await frameOf(ag, 'typing.start', (f) => (f as { convId: string }).convId === convId, 'typing on B')
    const last = (await frameOf(ag, 'message.new', (m) => m.clientMsgId === 'v2')).seq
    ag.send({ type: 'message.read', convId, seq: last, ref: 'r1' })
    await frameOf(v.client, 'message.read', (f) => f.convId === convId && f.seq === last, 'read receipt on A')
    // Each side got each message once.
    expect(v.client.all('message.new', (m) => m.convId === convId).map((m) => m.clientMsgId)).toEqual(['a1'])
    expect(ag.all('message.new', (m) => m.convId === convId && m.clientMsgId === 'v2')).toHaveLength(1)
  })

  it('shows a queue change on node A to an agent on node B', async () => {
    const [a, b] = cluster.nodes as [typeof cluster.nodes[0], typeof cluster.nodes[0]]
    const brand = await createTestBrand(a)
    const agent = await createTestAgent(b, brand.brandId, 'Bo')
    const ag = (await connectAgent(b, agent)).client
    const v = await connectVisitor(a, brand)
    const convId = `c${randomBytes(6).toString('hex')}`
    await sendAndAck(v.client, convId, 'first', 'anyone there?')
    await frameOf(ag, 'conversation.opened', (f) => f.convId === convId, 'opened on B')
  })

  it('counts an agent connected to node A as online on node B, in its list and public availability', async () => {
    const [a, b] = cluster.nodes as [typeof cluster.nodes[0], typeof cluster.nodes[0]]
    const brand = await createTestBrand(a)
    const agent = await createTestAgent(a, brand.brandId, 'Ari')
    const onB = async () => (await callRest(b, { url: '/v1/agents/presence', token: brand.apiKey })).body.agents[0]?.status
    expect(await onB()).toBe('offline')
    const watcher = await createTestAgent(b, brand.brandId, 'Wes')
    const w = (await connectAgent(b, watcher)).client
    await connectAgent(a, agent)
    const statusOnB = async () => (await callRest(b, { url: '/v1/agents/presence', token: brand.apiKey })).body.agents.find((x: { agentId: string }) => x.agentId === agent.agentId)?.status
    await until(async () => (await statusOnB()) === 'available', 'Ari online on B')
    // The colleague on node B heard of it.
    await frameOf(w, 'agent.status', (f) => f.agent.agentId === agent.agentId && f.agent.status === 'available', 'agent.status on B')
    await until(async () => (await callRest(b, { url: `/v1/sites/${brand.siteKey}/availability`, headers: { origin: brand.origin } })).body.agentsAvailable === 2, 'two agents available on B')
  })

  it('holds one visitor to one message budget across two tabs on two nodes', async () => {
    const [a, b] = cluster.nodes as [typeof cluster.nodes[0], typeof cluster.nodes[0]]
    const brand = await createTestBrand(a)
    const tabA = await connectVisitor(a, brand)
    const tabB = await connectVisitor(b, brand, { token: tabA.token })
    const convId = `c${randomBytes(6).toString('hex')}`
    await sendAndAck(tabA.client, convId, 'open', 'hi')
    // 8 more from each tab: 17 in all, past the shared burst of 10, while neither node alone passes it.
    const ids = Array.from({ length: 16 }, (_, i) => `m${i}`)
    ids.forEach((id, i) => (i % 2 === 0 ? tabA : tabB).client.send({ type: 'message.send', convId, clientMsgId: id, text: id }))
    const answered = (id: string) => [tabA, tabB].some((t) => t.client.all('message.ack', (f) => f.clientMsgId === id).length > 0 || t.client.all('error', (f) => f.ref === id).length > 0)
    await until(() => ids.every(answered), 'every message answered')
    const acked = [tabA, tabB].flatMap((t) => t.client.all('message.ack', (f) => f.clientMsgId.startsWith('m')))
    const limited = [tabA, tabB].flatMap((t) => t.client.all('error', (f) => f.code === 'PARLEY_ERR_LIMIT_RATE'))
    // One budget: about 9 of the 16 went through (plus what refilled while they were sent), the rest were refused.
    expect(limited.length).toBeGreaterThanOrEqual(4)
    expect(acked.length + limited.length).toBe(16)
  })
})
