import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestBrand, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { until } from '../helpers/until.js'
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js'

// The delivery worker's pool on a real relay: one brand's endpoint that never answers holds its own
// two slots for the whole (long) attempt deadline, and another brand's deliveries go out meanwhile.

describe('webhook delivery pool', () => {
  let relay: TestRelay
  // A deadline far beyond until()'s, so a delivery held behind the hung one cannot pass in time.
  beforeAll(async () => { relay = await startRelay({ relay: { allowPrivateWebhookUrls: true, webhooks: { pollMs: 10, timeoutMs: 120_000 } } }) })
  afterAll(async () => { await relay.close() })

  async function receiver(status?: (n: number) => number): Promise<WebhookReceiver> {
    const r = await startWebhookReceiver(status)
    onTestFinished(() => r.close())
    return r
  }
  async function endpoint(brand: TestBrand, url: string): Promise<string> {
    const res = await callRest(relay, { method: 'POST', url: '/v1/webhooks', token: brand.apiKey, body: { url, events: ['message.created'] } })
    expect(res.status, res.raw).toBe(201)
    return res.body.endpoint.endpointId as string
  }
  async function ping(brand: TestBrand, endpointId: string): Promise<void> {
    const res = await callRest(relay, { method: 'POST', url: `/v1/webhooks/${endpointId}/test`, token: brand.apiKey })
    expect(res.status, res.raw).toBeLessThan(300)
  }

  it('sends a healthy endpoint\'s deliveries while another brand\'s endpoint hangs, at most two to the hung one', async () => {
    const hung = await receiver(() => 0)
    const healthy = await receiver()
    const slow = await createTestBrand(relay)
    const fine = await createTestBrand(relay)
    const slowId = await endpoint(slow, hung.url)
    const fineId = await endpoint(fine, healthy.url)
    for (let i = 0; i < 3; i++) await ping(slow, slowId)
    await until(() => hung.received.length === 2, 'two attempts at the hung endpoint')
    await ping(fine, fineId)
    await ping(fine, fineId)
    await until(() => healthy.received.length === 2, 'the healthy endpoint\'s deliveries')
    // The third delivery to the hung endpoint waits for one of its two slots.
    expect(hung.received.length).toBe(2)
  })
})
