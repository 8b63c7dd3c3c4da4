import { afterAll, beforeAll, expect, it } from 'vitest'
import { createAgent } from '../../../server/src/admin/agents.js'
import { createTestBrand } from '../../helpers/brand.js'
import { startCluster, type TestCluster } from '../../helpers/cluster-nodes.js'
import { describeWithRedis, startPrivateRedis, type PrivateRedis } from '../../helpers/redis.js'
import { callRest } from '../../helpers/rest.js'

// The REST limits count in Redis so they hold across the nodes; while Redis is down each node
// counts on its own. Never open: the login limits are what stands between a guesser and scrypt.

describeWithRedis('REST rate limits while Redis is down', () => {
  let redis: PrivateRedis
  let cluster: TestCluster
  beforeAll(async () => {
    redis = await startPrivateRedis()
    cluster = await startCluster({ redisUrl: redis.url, presenceTtlMs: 3000 })
  })
  afterAll(async () => {
    await cluster.close()
    await redis.close()
  })

  const login = (node: TestCluster['nodes'][0], brandId: string, email: string, i: number) =>
    callRest(node, { method: 'POST', url: '/v1/agent/sessions', body: { brandId, email, password: `wrong-${i}` } })

  it('counts wrong passwords across the nodes while Redis is up', async () => {
    const [a, b] = cluster.nodes as [TestCluster['nodes'][0], TestCluster['nodes'][0]]
    const brand = await createTestBrand(a)
    const email = 'shared@agents.example'
    await createAgent(a.deps, { brandId: brand.brandId, email, name: 'Shared', password: 'correct horse battery' })
    const statuses: number[] = []
    for (let i = 0; i < 12; i++) statuses.push((await login(i % 2 === 0 ? a : b, brand.brandId, email, i)).status)
    expect(statuses).toEqual([...Array(10).fill(401), 429, 429])
  })

  it('still refuses wrong passwords past the limit on a node while Redis is down', async () => {
    const a = cluster.nodes[0]!
    const brand = await createTestBrand(a)
    const email = 'target@agents.example'
    await createAgent(a.deps, { brandId: brand.brandId, email, name: 'Target', password: 'correct horse battery' })
    await redis.stop()
    try {
      const statuses: number[] = []
      for (let i = 0; i < 15; i++) statuses.push((await login(a, brand.brandId, email, i)).status)
      expect(statuses).toEqual([...Array(10).fill(401), ...Array(5).fill(429)])
    } finally {
      await redis.start()
    }
  })
})
