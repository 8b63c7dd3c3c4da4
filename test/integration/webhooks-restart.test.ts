import { describe, expect, it, onTestFinished } from 'vitest'
import { startRelay } from '../helpers/start-relay.js'
import { createTestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { createFakeClock } from '../helpers/fake-clock.js'
import { tempDir } from '../helpers/temp-dir.js'
import { until } from '../helpers/until.js'
import { signaturesBy, startWebhookReceiver } from '../helpers/webhook-receiver.js'

// The outbox is in the store: a delivery still pending when the relay stops is sent by the relay
// that starts next on the same data directory, once, when its retry is due.

describe('webhook deliveries across a restart', () => {
  it('sends a delivery left pending by a stopped relay from the next one, exactly once', async () => {
    const dir = tempDir()
    onTestFinished(() => dir.remove())
    const clock = createFakeClock()
    let down = true
    const hooks = await startWebhookReceiver(() => (down ? 503 : 204))
    onTestFinished(() => hooks.close())
    const options = { clock, dataDir: dir.dir, relay: { allowPrivateWebhookUrls: true, webhooks: { pollMs: 10 } } }

    const first = await startRelay(options)
    const brand = await createTestBrand(first)
    const created = await callRest(first, { method: 'POST', url: '/v1/webhooks', token: brand.apiKey, body: { url: hooks.url, events: ['conversation.opened'] } })
    expect(created.status, created.raw).toBe(201)
    const { endpointId } = created.body.endpoint
    await callRest(first, { method: 'POST', url: `/v1/webhooks/${endpointId}/test`, token: brand.apiKey })
    const log = async (relay: typeof first) => (await callRest(relay, { url: `/v1/webhooks/${endpointId}/deliveries`, token: brand.apiKey })).body.deliveries
    const pending = await until(async () => { const [d] = await log(first); return d?.attempts === 1 && d }, 'the failed first attempt')
    expect(pending.status).toBe('pending')
    await first.close()

    down = false
    const second = await startRelay(options)
    onTestFinished(() => second.close())
    expect(hooks.received).toHaveLength(1)
    clock.set(pending.nextAttemptAt)
    const done = await until(async () => { const [d] = await log(second); return d?.status === 'delivered' && d }, 'delivered after the restart')
    expect(done).toMatchObject({ deliveryId: pending.deliveryId, attempts: 2, lastStatus: 204 })
    expect(hooks.received.map((w) => w.answered)).toEqual([503, 204])
    expect(signaturesBy(created.body.secret, hooks.received[1]!)).toBe(1)
  })
})
