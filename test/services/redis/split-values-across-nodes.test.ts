import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createTestBrand } from '../../helpers/brand.js'
import { startCluster, type TestCluster } from '../../helpers/cluster-nodes.js'
import { connectVisitor, frameOf, sendAndAck } from '../../helpers/delivery-chat.js'
import { describeWithRedis, REDIS_URL } from '../../helpers/redis.js'

// A visitor with two tabs on two nodes splits a card number across them: the second half, sent
// through node B, must be checked against the first half sent through node A, not against what
// node B last saw that visitor write.

describeWithRedis('A value split across two tabs on two nodes', () => {
  let cluster: TestCluster
  beforeAll(async () => { cluster = await startCluster({ redisUrl: REDIS_URL }) })
  afterAll(async () => { await cluster.close() })

  it('masks a card number whose halves were sent through different nodes', async () => {
    const [a, b] = cluster.nodes as [TestCluster['nodes'][0], TestCluster['nodes'][0]]
    const brand = await createTestBrand(a)
    const tabA = await connectVisitor(a, brand)
    const tabB = await connectVisitor(b, brand, { token: tabA.token })
    const convId = `c${randomBytes(6).toString('hex')}`
    await sendAndAck(tabA.client, convId, 'open', 'hi')
    // Node B keeps a tail of this visitor from a message sent through it.
    await sendAndAck(tabB.client, convId, 'b1', 'hello again')
    const first = await sendAndAck(tabA.client, convId, 'a2', 'my card is 4111 1111')
    await frameOf(tabB.client, 'message.new', (m) => m.seq === first.seq, 'the first half reached tab B')
    const second = await sendAndAck(tabB.client, convId, 'b2', '1111 1111 thanks')
    expect(second.text ?? '1111 1111 thanks').not.toContain('1111 1111')
    const redacted = await frameOf(tabA.client, 'message.redacted', (f) => f.seq === first.seq, 'the first half masked')
    expect(redacted.text).not.toContain('4111')
  })
})
