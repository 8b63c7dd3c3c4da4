import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest'
import { createTestBrand } from '../../helpers/brand.js'
import { startCluster, type TestCluster } from '../../helpers/cluster-nodes.js'
import { connectVisitor, sendAndAck } from '../../helpers/delivery-chat.js'
import { describeWithRedis, REDIS_URL } from '../../helpers/redis.js'
import { callRest } from '../../helpers/rest.js'
import { until } from '../../helpers/until.js'
import { startWebhookReceiver } from '../../helpers/webhook-receiver.js'

// Two nodes on one store: an endpoint added through node A reaches node B's cached list when the
// change note crosses Redis (events B stores before the note arrives are not queued for it: see
// docs/webhooks.md), and every event is queued by the node that stored it and delivered once,
// whichever node's worker claims it.

describeWithRedis('Webhooks across nodes', () => {
  let cluster: TestCluster
  beforeAll(async () => { cluster = await startCluster({ redisUrl: REDIS_URL, relay: { allowPrivateWebhookUrls: true, webhooks: { pollMs: 10 } } }) })
  afterAll(async () => { await cluster.close() })

  it('queues each event once for an endpoint added on the other node, and delivers it once', async () => {
    const [a, b] = cluster.nodes as [typeof cluster.nodes[0], typeof cluster.nodes[0]]
    const hooks = await startWebhookReceiver()
    onTestFinished(() => hooks.close())
    const brand = await createTestBrand(a)
    const onB = await connectVisitor(b, brand)
    const onA = await connectVisitor(a, brand)
    // Node B reads the brand's (empty) endpoint list and keeps it.
    await sendAndAck(onB.client, 'conv-b', 'm0', 'before the endpoint')
    // Subscribed after B's event source, so B's cache is gone when this sees the note.
    const noted = new Promise<void>((resolve) => {
      const off = b.deps.bus.subscribeNodes((e) => {
        if (e.kind === 'brand-document-saved' && e.brandId === brand.brandId && e.document === 'webhooks') { off(); resolve() }
      })
    })
    const created = await callRest(a, { method: 'POST', url: '/v1/webhooks', token: brand.apiKey, body: { url: hooks.url, events: ['message.created'] } })
    expect(created.status, created.raw).toBe(201)
    await noted
    for (let i = 1; i <= 5; i++) {
      await sendAndAck(onB.client, 'conv-b', `b${i}`, `from B ${i}`)
      await sendAndAck(onA.client, 'conv-a', `a${i}`, `from A ${i}`)
    }
    await until(() => hooks.received.length >= 10, 'ten deliveries')
    const log = async () => (await callRest(b, { url: `/v1/webhooks/${created.body.endpoint.endpointId}/deliveries?limit=100`, token: brand.apiKey })).body.deliveries
    await until(async () => (await log()).every((d: { status: string }) => d.status === 'delivered'), 'all delivered')
    expect(await log()).toHaveLength(10)
    const texts = hooks.received.map((w) => JSON.parse(w.body).data.text).sort()
    expect(texts).toEqual([1, 2, 3, 4, 5].flatMap((i) => [`from A ${i}`, `from B ${i}`]).sort())
    expect(new Set(hooks.received.map((w) => w.headers['webhook-id'])).size).toBe(10)
  })
})
