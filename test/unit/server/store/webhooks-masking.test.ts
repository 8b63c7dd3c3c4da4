import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runMaskingRun } from '../../../../server/src/masking/mask-existing.js'
import type { Store, WebhookDeliveryRecord, WebhookEndpointRecord } from '../../../../server/src/store/store.js'
import { systemClock } from '../../../../server/src/deps.js'
import { STORES, type OpenedStore } from '../../../helpers/stores.js'
import { createStoreBrand } from '../../../helpers/brand.js'
import { CARDS, seedCards } from '../../../helpers/masking-seed.js'

// A masking run rewrites the copies of the messages it masks that webhook deliveries hold, queued
// or in the log, in the same batch: else the outbox would send, and its log and replays keep, the
// text the brand's new masking hides.

const id = (prefix: string) => `${prefix}${randomBytes(8).toString('hex')}`

describe.each(STORES)('$name store: masking runs and webhook bodies', (factory) => {
  let opened: OpenedStore
  let store: Store
  beforeAll(async () => { opened = await factory.create(); store = opened.store })
  afterAll(async () => { await opened.dispose() })

  it('rewrites the text of queued and logged message.created and offline.created bodies of the messages it masks, and only those', async () => {
    const brandId = await createStoreBrand(store)
    const seed = await seedCards(store, brandId, CARDS.a, id('u'))
    const messages = await store.readMessages(brandId, seed.openConvId, 0, 100)
    const order = messages.find((m) => m.text.startsWith('order number'))!
    const e: WebhookEndpointRecord = {
      brandId, endpointId: id('whe_'), url: 'https://hooks.example/in', events: ['message.created'], description: '',
      enabled: true, secrets: [{ secret: 'whsec_AAAA', expiresAt: null }], createdAt: 1000,
    }
    expect(await store.createWebhookEndpoint(e, 20)).toBe(true)
    const body = (convId: string, seq: number, text: string) =>
      JSON.stringify({ type: 'message.created', timestamp: '2026-01-01T00:00:00.000Z', brandId, data: { convId, seq, from: { kind: 'visitor', id: 'v' }, text, at: 1 } })
    const delivery = (convId: string, payload: string, over: Partial<WebhookDeliveryRecord> = {}): WebhookDeliveryRecord => ({
      brandId, deliveryId: id('whd_'), endpointId: e.endpointId, eventId: id('evt_'), type: 'message.created', convId, payload,
      status: 'pending', attempts: 0, nextAttemptAt: 8e12, lastStatus: null, lastError: null, createdAt: 2000, deliveredAt: null, ...over,
    })
    // Queued (and one already delivered) before the brand added its order-number pattern.
    const pending = delivery(seed.openConvId, body(seed.openConvId, order.seq, order.text))
    const logged = delivery(seed.openConvId, body(seed.openConvId, order.seq, order.text), { status: 'delivered', nextAttemptAt: null, deliveredAt: 3000 })
    const other = delivery(seed.openConvId, body(seed.openConvId, order.seq + 1, 'untouched text'))
    const offlineBody = (text: string) => JSON.stringify({ type: 'offline.created', timestamp: '2026-01-01T00:00:00.000Z', brandId, data: { convId: seed.openConvId, visitorId: 'v', text, at: 1 } })
    const offline = delivery(seed.openConvId, offlineBody(order.text), { type: 'offline.created' })
    await store.enqueueWebhookDeliveries([pending, logged, other, offline])

    await store.setMaskingConfig(brandId, { card: { enabled: false }, patterns: [{ name: 'order', pattern: 'order number \\d+', replacement: '[order]' }] })
    const run = await runMaskingRun({ store, clock: systemClock }, brandId, (await store.startMaskingRun(brandId, id('mr_'), 1)).runId)
    expect(run).toMatchObject({ status: 'done', changed: 1 })

    const payload = async (d: WebhookDeliveryRecord) => (await store.getWebhookDelivery(brandId, d.deliveryId))!.payload
    expect(await payload(pending)).toBe(body(seed.openConvId, order.seq, '[order] please'))
    expect(await payload(logged)).toBe(body(seed.openConvId, order.seq, '[order] please'))
    expect(await payload(offline)).toBe(offlineBody('[order] please'))
    expect(await payload(other)).toBe(other.payload)
  })
})
