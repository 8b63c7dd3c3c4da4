import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { connectVisitor, sendAndAck } from '../helpers/delivery-chat.js'
import { until } from '../helpers/until.js'
import { startWebhookReceiver } from '../helpers/webhook-receiver.js'

// Erasing a visitor tells the brand's systems (visitor.erased: ids and counts, nothing personal) and
// takes the webhook deliveries about their conversations with it: their bodies held the text.

describe('webhooks and erasure', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay({ relay: { allowPrivateWebhookUrls: true, webhooks: { pollMs: 10 } } }) })
  afterAll(async () => { await relay.close() })

  it("posts visitor.erased with ids and counts, and deletes the deliveries of the visitor's conversations", async () => {
    const hooks = await startWebhookReceiver()
    onTestFinished(() => hooks.close())
    const brand = await createTestBrand(relay)
    const created = await callRest(relay, { method: 'POST', url: '/v1/webhooks', token: brand.apiKey, body: { url: hooks.url, events: ['message.created', 'visitor.erased'] } })
    const { endpointId } = created.body.endpoint
    const gone = await connectVisitor(relay, brand)
    const stays = await connectVisitor(relay, brand)
    await sendAndAck(gone.client, 'conv-gone', 'm1', 'my address is 12 Quiet Lane')
    await sendAndAck(stays.client, 'conv-stays', 'm1', 'hello')
    const log = async () => (await callRest(relay, { url: `/v1/webhooks/${endpointId}/deliveries`, token: brand.apiKey })).body.deliveries
    await until(async () => (await log()).filter((d: { status: string }) => d.status === 'delivered').length === 2, 'both messages delivered')

    const erased = await callRest(relay, { method: 'POST', url: '/v1/visitors/erase', token: brand.apiKey, body: { selector: { visitorId: gone.visitorId }, graceDays: 0 } })
    expect(erased.status, erased.raw).toBe(200)
    await until(() => hooks.received.some((w) => JSON.parse(w.body).type === 'visitor.erased'), 'visitor.erased')
    const event = JSON.parse(hooks.received.find((w) => JSON.parse(w.body).type === 'visitor.erased')!.body)
    expect(event.data).toEqual({ requestId: erased.body.requestId, visitorIds: [gone.visitorId], counts: erased.body.removed, at: erased.body.erasedAt })
    expect(event.data.counts.messages).toBe(1)

    const left = await until(async () => { const ds = await log(); return ds.length === 2 && ds }, 'the erased conversation\'s delivery deleted')
    expect(left.map((d: { type: string }) => d.type).sort()).toEqual(['message.created', 'visitor.erased'])
    for (const d of left) {
      const stored = await relay.deps.store.getWebhookDelivery(brand.brandId, d.deliveryId)
      expect(stored!.payload).not.toContain('Quiet Lane')
    }
  })
})
