import { afterEach, expect, it } from 'vitest'
import { createTestAgent, createTestBrand } from '../../helpers/brand.js'
import { startCluster, type TestCluster } from '../../helpers/cluster-nodes.js'
import { connectAgent, frameOf } from '../../helpers/delivery-chat.js'
import { describeWithRedis, REDIS_URL } from '../../helpers/redis.js'
import { callRest } from '../../helpers/rest.js'
import { until } from '../../helpers/until.js'
import { floorAgent, openChat, saveTeamSurvey, setRouting } from '../../helpers/routing-floor.js'

// What other nodes see when a node dies or when two nodes route one brand at once.

describeWithRedis('a node that dies, and routing across nodes', () => {
  let cluster: TestCluster | null = null
  afterEach(async () => { await cluster?.close(); cluster = null })

  it('counts a dead node\'s agent offline on the other node once its share expires, and announces it', async () => {
    cluster = await startCluster({ redisUrl: REDIS_URL, presenceTtlMs: 1500 })
    const [a, b] = cluster.nodes as [typeof cluster.nodes[0], typeof cluster.nodes[0]]
    const brand = await createTestBrand(a)
    const agent = await createTestAgent(a, brand.brandId, 'Ari')
    const watcher = await createTestAgent(b, brand.brandId, 'Wes')
    const w = (await connectAgent(b, watcher)).client
    await connectAgent(a, agent)
    const statusOnB = async () => (await callRest(b, { url: '/v1/agents/presence', token: brand.apiKey })).body.agents.find((x: { agentId: string }) => x.agentId === agent.agentId)?.status
    await until(async () => (await statusOnB()) === 'available', 'Ari online on B')
    await a.die()
    // Expected within the expiry plus one heartbeat of node B; the ceiling is only a timeout (timing belongs in the bench).
    await until(async () => (await statusOnB()) === 'offline', 'Ari offline on B', 10_000)
    await frameOf(w, 'agent.status', (f) => f.agent.agentId === agent.agentId && f.agent.status === 'offline', 'Ari announced offline on B')
  })

  it('offers a waiting chat exactly once when both nodes route, and never past an agent\'s capacity', async () => {
    cluster = await startCluster({ redisUrl: REDIS_URL })
    const [a, b] = cluster.nodes as [typeof cluster.nodes[0], typeof cluster.nodes[0]]
    const brand = await createTestBrand(a)
    await saveTeamSurvey(a, brand.brandId)
    // Chats wait first; then routing turns on and one agent with room for two comes, on node A.
    const chats = [await openChat(a, brand, 'any'), await openChat(b, brand, 'any'), await openChat(a, brand, 'any'), await openChat(b, brand, 'any')]
    await setRouting(a, brand.brandId, 'automatic', 30)
    const ann = await floorAgent(a, brand.brandId, 'Ann', [], 2)
    // Both routers wake (the agent's status reaches node B through Redis); both wake again on each change.
    await until(() => ann.client.all('conversation.offered').length >= 2, 'two offers to Ann')
    // Nudge both nodes' routers once more, as later events would.
    const other = await floorAgent(b, brand.brandId, 'Bob', ['none-such'], 0)
    await frameOf(ann.client, 'agent.status', (f) => f.agent.agentId === other.agentId, 'Bob seen by Ann')
    const pending = await cluster.store.listPendingOffers(brand.brandId)
    expect(pending.filter((o) => o.agentId === ann.agentId)).toHaveLength(2)
    expect(new Set(pending.map((o) => o.convId)).size).toBe(pending.length)
    const offered = ann.client.all('conversation.offered').map((f) => f.convId)
    expect(new Set(offered).size).toBe(offered.length)
    expect(offered.every((c) => chats.some((x) => x.convId === c))).toBe(true)
    for (const c of chats) c.client.close()
    ann.client.close()
    other.client.close()
  })
})
