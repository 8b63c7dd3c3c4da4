import { randomBytes } from 'node:crypto'
import { afterEach, expect, it } from 'vitest'
import { createTestBrand } from '../../helpers/brand.js'
import { startCluster, type TestCluster } from '../../helpers/cluster-nodes.js'
import { connectVisitor, sendAndAck } from '../../helpers/delivery-chat.js'
import { redisBuckets } from '../../../server/src/cluster/redis-buckets.js'
import { connectRedis } from '../../../server/src/cluster/redis-connection.js'
import { describeWithRedis, startPrivateRedis, type PrivateRedis } from '../../helpers/redis.js'

// A Redis that stops answering without closing its connections (SIGSTOP, as a frozen VM or a
// dropped network): commands time out, shared limits fall back to the node's own, visitors still chat.

describeWithRedis('a frozen Redis', () => {
  let redis: PrivateRedis | null = null
  let cluster: TestCluster | null = null
  afterEach(async () => {
    redis?.resume()
    await cluster?.close()
    await redis?.close()
    cluster = null
    redis = null
  })

  it('lets a shared-limit take fall back to this node\'s buckets and reports the outage', async () => {
    redis = await startPrivateRedis()
    const conn = await connectRedis({ url: redis.url }, 'test-buckets')
    try {
      const failures: unknown[] = []
      let ok = 0
      const buckets = redisBuckets(conn, { prefix: 'frozen:', health: { failed: (err) => failures.push(err), ok: () => { ok++ } } })('test', 10, 20)
      expect(await buckets.take('k', Date.now())).toEqual({ ok: true })
      redis.pause()
      // Answered by the fallback once the command times out; the test's own timeout is the ceiling.
      expect(await buckets.take('k', Date.now())).toEqual({ ok: true })
      expect(failures).toHaveLength(1)
      expect(String(failures[0])).toMatch(/timed out/i)
      redis.resume()
      expect(ok).toBe(1)
    } finally {
      conn.disconnect()
    }
  }, 5000)

  it('still stores and acks a visitor\'s messages while Redis is frozen', async () => {
    redis = await startPrivateRedis()
    cluster = await startCluster({ redisUrl: redis.url })
    const a = cluster.nodes[0]!
    const brand = await createTestBrand(a)
    const v = await connectVisitor(a, brand)
    const convId = `c${randomBytes(6).toString('hex')}`
    await sendAndAck(v.client, convId, 'before', 'hello')
    redis.pause()
    const ack = await sendAndAck(v.client, convId, 'frozen', 'still there?')
    expect(ack.clientMsgId).toBe('frozen')
    v.client.close()
  })
})
