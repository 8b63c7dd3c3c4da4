import { afterAll, beforeAll, expect, it } from 'vitest'
import { createTestAgent, createTestBrand } from '../../helpers/brand.js'
import { startCluster, type TestCluster } from '../../helpers/cluster-nodes.js'
import { liveClient, type LiveClient } from '../../helpers/live-client.js'
import { describeWithRedis, startPrivateRedis, type PrivateRedis } from '../../helpers/redis.js'
import { until } from '../../helpers/until.js'

// Redis restarted mid-chat (a private redis-server, never the machine's): what was said while the
// nodes could not reach each other reaches the other side once Redis is back, through the nodes'
// 1012 closes and the clients' resume; nothing is lost and nothing doubled, and the nodes
// subscribe again by themselves.

describeWithRedis('Redis restarted mid-chat', () => {
  let redis: PrivateRedis
  let cluster: TestCluster
  const clients: LiveClient[] = []
  beforeAll(async () => {
    redis = await startPrivateRedis()
    cluster = await startCluster({ redisUrl: redis.url, presenceTtlMs: 3000 })
  })
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.conn.stop()))
    await cluster.close()
    await redis.close()
  })

  it('delivers what both sides sent during the outage once it is over, each message once and in order', async () => {
    const [a, b] = cluster.nodes as [typeof cluster.nodes[0], typeof cluster.nodes[0]]
    const brand = await createTestBrand(a)
    const agent = await createTestAgent(b, brand.brandId, 'Dana')
    const v = liveClient({ url: `${a.wsUrl}?site=${brand.siteKey}`, auth: { kind: 'visitor' } })
    const ag = liveClient({ url: b.wsUrl, auth: { kind: 'agent', token: agent.token } })
    clients.push(v, ag)
    await Promise.all([v.open(), ag.open()])
    const convId = v.conn.newConversationId()
    await v.conn.send(convId, 'hello')
    await until(() => v.messages.some((m) => m.convId === convId), 'first message acked')
    await ag.conn.request({ type: 'conversation.accept', convId })
    await ag.conn.request({ type: 'conversation.resume', convs: [{ convId, afterSeq: 0 }] })
    await until(() => ag.texts(convId).includes('hello'), 'agent has the first message')
    const socketsBefore = { v: v.sockets.length, ag: ag.sockets.length }

    await redis.stop()
    // Both nodes still take messages (the store is shared); the bus drops what it can't carry.
    for (let i = 1; i <= 3; i++) await v.conn.send(convId, `v${i}`)
    await until(async () => (await v.conn.outbox()).length === 0, 'outage messages acked')
    // (An agent who sent now would see the gap in its own ack's seq and resume by itself: it stays quiet.)
    expect(ag.texts(convId)).toEqual(['hello'])

    await redis.start()
    // Each node notices the gap and has its clients reconnect and resume.
    await until(() => v.sockets.length > socketsBefore.v && ag.sockets.length > socketsBefore.ag, 'both clients reconnected', 15_000)
    await until(() => ag.texts(convId).includes('v3'), 'outage messages delivered', 15_000)
    expect(ag.texts(convId)).toEqual(['hello', 'v1', 'v2', 'v3'])
    expect(ag.messages.filter((m) => m.convId === convId).map((m) => m.seq)).toEqual([1, 2, 3, 4])

    // The nodes are subscribed again: live messages cross both ways without another reconnect.
    const sockets = { v: v.sockets.length, ag: ag.sockets.length }
    await ag.conn.send(convId, 'a1')
    await until(() => v.texts(convId).includes('a1'), 'agent message after the restart')
    await v.conn.send(convId, 'after')
    await until(() => ag.texts(convId).includes('after'), 'visitor message after the restart')
    expect(v.texts(convId)).toEqual(['hello', 'v1', 'v2', 'v3', 'a1', 'after'])
    expect(ag.texts(convId)).toEqual(['hello', 'v1', 'v2', 'v3', 'a1', 'after'])
    expect({ v: v.sockets.length, ag: ag.sockets.length }).toEqual(sockets)
  })
})
