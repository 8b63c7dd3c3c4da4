import { describe, expect, it, onTestFinished } from 'vitest'
import { verifyWebhook } from '@parley/sdk'
import { rejection, sdkRelay } from '../helpers/sdk-relay.js'
import { until } from '../helpers/until.js'
import { startWebhookReceiver } from '../helpers/webhook-receiver.js'

// parley.webhooks against a real relay, and verifyWebhook on what a real receiver got.

describe('parley.webhooks', () => {
  const s = sdkRelay({ relay: { allowPrivateWebhookUrls: true, webhooks: { pollMs: 10 } } })

  async function receiver() {
    const r = await startWebhookReceiver()
    onTestFinished(() => r.close())
    return r
  }

  it('creates, lists, updates, rotates and deletes an endpoint', async () => {
    const { endpoint, secret } = await s.parley.webhooks.create({ url: 'https://hooks.example/in', events: ['message.created'] })
    expect(secret).toMatch(/^whsec_/)
    expect(await s.parley.webhooks.list()).toContainEqual(endpoint)
    expect(await s.parley.webhooks.update(endpoint.endpointId, { description: 'CRM' })).toMatchObject({ description: 'CRM', url: 'https://hooks.example/in' })
    const rotated = await s.parley.webhooks.rotateSecret(endpoint.endpointId, { graceSeconds: 0 })
    expect(rotated.secret).not.toBe(secret)
    expect(rotated.endpoint.previousSecretExpiresAt).toBeNull()
    await s.parley.webhooks.delete(endpoint.endpointId)
    expect((await rejection(s.parley.webhooks.get(endpoint.endpointId))).code).toBe('PARLEY_ERR_WEBHOOK_NOT_FOUND')
  })

  it('sends a test ping, pages the log and replays; verifyWebhook accepts the delivery and nothing altered', async () => {
    const hooks = await receiver()
    const { endpoint, secret } = await s.parley.webhooks.create({ url: hooks.url, events: ['conversation.closed'] })
    const ping = await s.parley.webhooks.test(endpoint.endpointId)
    await until(() => hooks.received.length === 1, 'the ping')
    const replayed = await s.parley.webhooks.replay(ping.deliveryId)
    await until(() => hooks.received.length === 2, 'the replay')
    const log = await s.parley.webhooks.deliveries(endpoint.endpointId, { limit: 1 }).toArray()
    expect(log.map((d) => d.deliveryId)).toEqual([replayed.deliveryId, ping.deliveryId])

    const w = hooks.received[0]!
    const payload = await verifyWebhook(secret, w.headers, w.body)
    expect(payload).toMatchObject({ type: 'webhook.test', brandId: s.brand.brandId, data: { endpointId: endpoint.endpointId } })
    expect(await verifyWebhook(['whsec_' + 'A'.repeat(43) + '=', secret], new Headers(w.headers as Record<string, string>), new TextEncoder().encode(w.body))).not.toBeNull()
    expect(await verifyWebhook(secret, w.headers, w.body.replace('webhook.test', 'webhook.tesT'))).toBeNull()
    expect(await verifyWebhook(secret, { ...w.headers, 'webhook-id': 'evt_other' }, w.body)).toBeNull()
    expect(await verifyWebhook('whsec_' + 'A'.repeat(43) + '=', w.headers, w.body)).toBeNull()
    expect(await verifyWebhook(secret, w.headers, w.body, { now: Date.now() + 301_000 })).toBeNull()
    expect(await verifyWebhook(secret, { ...w.headers, 'webhook-signature': undefined }, w.body)).toBeNull()
  })

  it('rejects a URL that is not http(s) with PARLEY_ERR_REQUEST_INVALID (private addresses: webhooks-ssrf.test.ts)', async () => {
    const err = await rejection(s.parley.webhooks.create({ url: 'ftp://hooks.example/in' as never, events: ['message.created'] }))
    expect(err.code).toBe('PARLEY_ERR_REQUEST_INVALID')
  })
})
