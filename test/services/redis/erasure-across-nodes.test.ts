import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createTestAgent, createTestBrand } from '../../helpers/brand.js'
import { startCluster, type TestCluster } from '../../helpers/cluster-nodes.js'
import { connectAgent, connectVisitor, frameOf, openAndJoin } from '../../helpers/delivery-chat.js'
import { describeWithRedis, REDIS_URL } from '../../helpers/redis.js'
import { callRest } from '../../helpers/rest.js'

// An erasure asked of one node reaches every node: the visitor's tabs on the other node close as
// signed out, and the agents there see the conversation become a stub.

describeWithRedis('An erasure across two nodes', () => {
  let cluster: TestCluster
  beforeAll(async () => { cluster = await startCluster({ redisUrl: REDIS_URL }) })
  afterAll(async () => { await cluster.close() })

  it("closes the visitor's tabs and tells the agents on the node that did not run it", async () => {
    const [a, b] = cluster.nodes as [TestCluster['nodes'][0], TestCluster['nodes'][0]]
    const brand = await createTestBrand(a)
    const admin = await createTestAgent(b, brand.brandId, 'Ada', 'admin')
    const { client: agent } = await connectAgent(b, admin)
    const tab = await connectVisitor(b, brand)
    const convId = `c${randomBytes(6).toString('hex')}`
    await openAndJoin(tab.client, agent, convId, 'please forget me')
    const res = await callRest(a, { method: 'POST', url: '/v1/visitors/erase', token: brand.apiKey, body: { selector: { visitorId: tab.visitorId } } })
    expect(res.status).toBe(200)
    expect(res.body.removed).toMatchObject({ conversations: 1, messages: 1 })
    expect(await tab.client.closed()).toBe(4401)
    await frameOf(agent, 'conversation.erased', (f) => f.convId === convId)
  })
})
