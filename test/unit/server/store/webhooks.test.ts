import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Store, WebhookDeliveryRecord, WebhookEndpointRecord } from '../../../../server/src/store/store.js'
import { STORES, type OpenedStore } from '../../../helpers/stores.js'
import { createStoreBrand } from '../../../helpers/brand.js'

// Webhook endpoints and the outbox of their deliveries: endpoints per brand up to a limit, deliveries
// claimed across brands under a lease, attempts recorded, the log paged newest first. Claims look at
// every brand: each claim here uses a time of its own and asserts on its own brand's rows; rows of
// tests that do not claim are due far in the future.

const id = (prefix: string) => `${prefix}${randomBytes(8).toString('hex')}`
const FAR = 8e12

describe.each(STORES)('$name store: webhooks', (factory) => {
  let opened: OpenedStore
  let store: Store
  beforeAll(async () => { opened = await factory.create(); store = opened.store })
  afterAll(async () => { await opened.dispose() })

  async function endpoint(over: Partial<WebhookEndpointRecord> = {}): Promise<WebhookEndpointRecord> {
    const brandId = over.brandId ?? await createStoreBrand(store, { allowedOrigins: [`https://${id('o')}.example`], createdAt: 1000 })
    const e: WebhookEndpointRecord = {
      brandId, endpointId: id('whe_'), url: 'https://hooks.example/in', events: ['message.created'], description: 'crm',
      enabled: true, secrets: [{ secret: 'whsec_AAAA', expiresAt: null }], createdAt: 1000, ...over,
    }
    expect(await store.createWebhookEndpoint(e, 20)).toBe(true)
    return e
  }

  const delivery = (e: WebhookEndpointRecord, over: Partial<WebhookDeliveryRecord> = {}): WebhookDeliveryRecord => ({
    brandId: e.brandId, deliveryId: id('whd_'), endpointId: e.endpointId, eventId: id('evt_'), type: 'message.created', convId: null,
    payload: '{"type":"message.created"}', status: 'pending', attempts: 0, nextAttemptAt: FAR, lastStatus: null, lastError: null,
    createdAt: 2000, deliveredAt: null, ...over,
  })

  /** Claims `ds` (due at `now`, a time no other claim of this file uses) and records `status` for each under its lease. */
  async function settle(ds: WebhookDeliveryRecord[], now: number, status: 'delivered' | 'failed'): Promise<void> {
    const ids = new Set(ds.map((d) => d.deliveryId))
    expect((await store.claimWebhookDeliveries(now, now + 30_000, 1000)).filter((d) => ids.has(d.deliveryId))).toHaveLength(ds.length)
    for (const d of ds) {
      const outcome = { leaseUntil: now + 30_000, at: 3000, status, nextAttemptAt: null, httpStatus: 200, error: null }
      expect(await store.recordWebhookAttempt(d.brandId, d.deliveryId, outcome)).toBe(true)
    }
  }

  it('stores an endpoint with its secrets and lists the brand\'s oldest first', async () => {
    const a = await endpoint({ createdAt: 1000 })
    const b = await endpoint({ brandId: a.brandId, createdAt: 2000, events: ['conversation.opened', 'visitor.erased'], enabled: false })
    expect(await store.getWebhookEndpoint(a.brandId, a.endpointId)).toEqual(a)
    expect(await store.listWebhookEndpoints(a.brandId)).toEqual([a, b])
  })

  it('refuses an endpoint past the limit', async () => {
    const a = await endpoint()
    await endpoint({ brandId: a.brandId })
    expect(await store.createWebhookEndpoint({ ...a, endpointId: id('whe_') }, 2)).toBe(false)
    expect(await store.listWebhookEndpoints(a.brandId)).toHaveLength(2)
  })

  it('changes only the given fields, and answers null for an unknown endpoint', async () => {
    const a = await endpoint()
    const secrets = [{ secret: 'whsec_BBBB', expiresAt: null }, { secret: 'whsec_AAAA', expiresAt: 5000 }]
    const changed = await store.updateWebhookEndpoint(a.brandId, a.endpointId, { enabled: false, secrets })
    expect(changed).toEqual({ ...a, enabled: false, secrets })
    expect(await store.getWebhookEndpoint(a.brandId, a.endpointId)).toEqual(changed)
    expect(await store.updateWebhookEndpoint(a.brandId, id('whe_'), { enabled: true })).toBeNull()
  })

  it('keeps another brand from reading, changing or deleting an endpoint', async () => {
    const a = await endpoint()
    const other = await endpoint()
    expect(await store.getWebhookEndpoint(other.brandId, a.endpointId)).toBeNull()
    expect(await store.updateWebhookEndpoint(other.brandId, a.endpointId, { enabled: false })).toBeNull()
    expect(await store.deleteWebhookEndpoint(other.brandId, a.endpointId)).toBe(false)
    expect(await store.getWebhookEndpoint(a.brandId, a.endpointId)).toEqual(a)
  })

  it('queues deliveries once each, drops those of an unknown endpoint, and logs them newest first', async () => {
    const a = await endpoint()
    const d1 = delivery(a)
    const d2 = delivery(a, { createdAt: 2100 })
    await store.enqueueWebhookDeliveries([d1, d2, delivery(a, { endpointId: id('whe_') })])
    await store.enqueueWebhookDeliveries([{ ...d1, payload: 'changed' }])
    const log = await store.listWebhookDeliveries(a.brandId, a.endpointId, { before: null, limit: 10 })
    expect(log.map(({ cursor: _, ...d }) => d)).toEqual([d2, d1])
    expect(await store.getWebhookDelivery(a.brandId, d1.deliveryId)).toEqual(d1)
    const next = await store.listWebhookDeliveries(a.brandId, a.endpointId, { before: log[0]!.cursor, limit: 10 })
    expect(next.map((d) => d.deliveryId)).toEqual([d1.deliveryId])
  })

  it('claims due deliveries across brands once until their lease ends', async () => {
    const now = 3e12
    const a = await endpoint()
    const b = await endpoint()
    const due = [delivery(a, { nextAttemptAt: now - 10 }), delivery(b, { nextAttemptAt: now - 5 })]
    const later = delivery(a, { nextAttemptAt: now + 1000 })
    await store.enqueueWebhookDeliveries([due[0]!, later])
    await store.enqueueWebhookDeliveries([due[1]!])
    const mine = (ds: WebhookDeliveryRecord[]) => ds.filter((d) => d.brandId === a.brandId || d.brandId === b.brandId)
    const first = mine(await store.claimWebhookDeliveries(now, now + 30_000, 1000))
    expect(first).toEqual(due)
    expect(mine(await store.claimWebhookDeliveries(now + 1000, now + 31_000, 1000)).map((d) => d.deliveryId)).toEqual([later.deliveryId])
    // A node that died mid-attempt: its lease runs out and the delivery is due again.
    expect(mine(await store.claimWebhookDeliveries(now + 30_000, now + 60_000, 1000)).map((d) => d.deliveryId)).toEqual(due.map((d) => d.deliveryId))
  })

  it('gives each due delivery to one of two claims made at once', async () => {
    const now = 6e12
    const a = await endpoint()
    const due = Array.from({ length: 20 }, () => delivery(a, { nextAttemptAt: now }))
    await store.enqueueWebhookDeliveries(due)
    const mine = (ds: WebhookDeliveryRecord[]) => ds.filter((d) => d.brandId === a.brandId).map((d) => d.deliveryId)
    const [x, y] = await Promise.all([store.claimWebhookDeliveries(now, now + 30_000, 1000), store.claimWebhookDeliveries(now, now + 30_000, 1000)])
    const both = [...mine(x!), ...mine(y!)]
    expect(new Set(both).size).toBe(both.length)
    expect(both.sort()).toEqual(due.map((d) => d.deliveryId).sort())
  })

  it('records attempts: a retry is due again, a delivered or failed one never', async () => {
    const now = 4e12
    const a = await endpoint()
    const retried = delivery(a, { nextAttemptAt: now })
    const delivered = delivery(a, { nextAttemptAt: now })
    const failed = delivery(a, { nextAttemptAt: now })
    await store.enqueueWebhookDeliveries([retried, delivered, failed])
    const mine = async (at: number) => (await store.claimWebhookDeliveries(at, at + 30_000, 1000)).filter((d) => d.brandId === a.brandId).map((d) => d.deliveryId).sort()
    expect(await mine(now)).toEqual([retried.deliveryId, delivered.deliveryId, failed.deliveryId].sort())
    const leaseUntil = now + 30_000
    expect(await store.recordWebhookAttempt(a.brandId, retried.deliveryId, { leaseUntil, at: now + 1, status: 'pending', nextAttemptAt: now + 5000, httpStatus: 500, error: null })).toBe(true)
    await store.recordWebhookAttempt(a.brandId, delivered.deliveryId, { leaseUntil, at: now + 2, status: 'delivered', nextAttemptAt: null, httpStatus: 204, error: null })
    await store.recordWebhookAttempt(a.brandId, failed.deliveryId, { leaseUntil, at: now + 3, status: 'failed', nextAttemptAt: null, httpStatus: null, error: 'timeout' })
    expect(await store.recordWebhookAttempt(a.brandId, id('whd_'), { leaseUntil, at: now, status: 'failed', nextAttemptAt: null, httpStatus: null, error: 'timeout' })).toBe(false)
    expect(await mine(now + 4999)).toEqual([])
    expect(await mine(now + 5000)).toEqual([retried.deliveryId])
    expect(await store.getWebhookDelivery(a.brandId, retried.deliveryId)).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 500, lastError: null, nextAttemptAt: now + 5000, deliveredAt: null })
    expect(await store.getWebhookDelivery(a.brandId, delivered.deliveryId)).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 204, nextAttemptAt: null, deliveredAt: now + 2 })
    expect(await store.getWebhookDelivery(a.brandId, failed.deliveryId)).toMatchObject({ status: 'failed', attempts: 1, lastError: 'timeout', nextAttemptAt: null })
    const log = await store.listWebhookDeliveries(a.brandId, a.endpointId, { status: 'failed', before: null, limit: 10 })
    expect(log.map((d) => d.deliveryId)).toEqual([failed.deliveryId])
  })

  it('records an attempt only under the lease it was claimed with: a late one never overwrites the next', async () => {
    const now = 6.5e12
    const a = await endpoint()
    const d = delivery(a, { nextAttemptAt: now })
    await store.enqueueWebhookDeliveries([d])
    const claim = async (at: number) => (await store.claimWebhookDeliveries(at, at + 30_000, 1000)).filter((x) => x.deliveryId === d.deliveryId)
    expect(await claim(now)).toHaveLength(1)
    // The first node's lease runs out mid-attempt; another node claims the delivery and delivers it.
    expect(await claim(now + 30_000)).toHaveLength(1)
    const delivered = { at: now + 30_001, status: 'delivered', nextAttemptAt: null, httpStatus: 204, error: null } as const
    expect(await store.recordWebhookAttempt(a.brandId, d.deliveryId, { ...delivered, leaseUntil: now + 60_000 })).toBe(true)
    // The first node's attempt ends late, failed: it must not undo the delivery, nor is one outcome recorded twice.
    const late = { leaseUntil: now + 30_000, at: now + 40_000, status: 'pending', nextAttemptAt: now + 90_000, httpStatus: 500, error: null } as const
    expect(await store.recordWebhookAttempt(a.brandId, d.deliveryId, late)).toBe(false)
    expect(await store.recordWebhookAttempt(a.brandId, d.deliveryId, { ...delivered, leaseUntil: now + 60_000 })).toBe(false)
    expect(await store.getWebhookDelivery(a.brandId, d.deliveryId)).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 204, nextAttemptAt: null, deliveredAt: now + 30_001 })
  })

  it("takes an erased conversation's deliveries with it, and queues none for it afterwards", async () => {
    const a = await endpoint()
    const [chat, kept] = [id('c_'), id('c_')]
    for (const convId of [chat, kept]) {
      const [r] = await store.appendMessages([{ brandId: a.brandId, convId, clientMsgId: id('m'), from: { kind: 'visitor', id: id('v_') }, text: 'hi', at: 2000, context: null }])
      expect(r!.ok).toBe(true)
    }
    const sent = delivery(a, { convId: chat, nextAttemptAt: 7e12 })
    const queued = delivery(a, { convId: chat })
    const other = delivery(a, { convId: kept })
    await store.enqueueWebhookDeliveries([sent, queued, other])
    await settle([sent], 7e12, 'delivered')
    expect((await store.eraseConversations(a.brandId, [chat], 3000)).erased).toEqual([chat])
    expect(await store.getWebhookDelivery(a.brandId, sent.deliveryId)).toBeNull()
    expect(await store.getWebhookDelivery(a.brandId, queued.deliveryId)).toBeNull()
    // An event about it that was under way when it was erased is dropped; the rest are queued.
    const late = delivery(a, { convId: chat })
    const unrelated = [delivery(a, { convId: kept }), delivery(a)]
    await store.enqueueWebhookDeliveries([late, ...unrelated])
    expect(await store.getWebhookDelivery(a.brandId, late.deliveryId)).toBeNull()
    for (const d of [other, ...unrelated]) expect(await store.getWebhookDelivery(a.brandId, d.deliveryId)).toEqual(d)
  })

  it('deletes an endpoint with its deliveries, which are never claimed again', async () => {
    const now = 5e12
    const a = await endpoint()
    const d = delivery(a, { nextAttemptAt: now })
    await store.enqueueWebhookDeliveries([d])
    expect(await store.deleteWebhookEndpoint(a.brandId, a.endpointId)).toBe(true)
    expect(await store.getWebhookEndpoint(a.brandId, a.endpointId)).toBeNull()
    expect(await store.getWebhookDelivery(a.brandId, d.deliveryId)).toBeNull()
    expect((await store.claimWebhookDeliveries(now, now + 1, 1000)).filter((x) => x.brandId === a.brandId)).toEqual([])
  })

  it('prunes delivered and failed deliveries queued before a time, never pending ones, across brands', async () => {
    const a = await endpoint()
    const b = await endpoint()
    // Queued at times no other test of this file uses (they queue at 2000 and later).
    const at = { nextAttemptAt: 7.2e12 }
    const old = [delivery(a, { createdAt: 50, ...at }), delivery(b, { createdAt: 60, nextAttemptAt: 7.3e12 }), delivery(a, { createdAt: 70, ...at })]
    const pendingOld = delivery(a, { createdAt: 80 })
    const recent = delivery(a, { createdAt: 150, ...at })
    await store.enqueueWebhookDeliveries([old[0]!, old[2]!, pendingOld, recent])
    await store.enqueueWebhookDeliveries([old[1]!])
    await settle([old[0]!, old[2]!, recent], 7.2e12, 'delivered')
    await settle([old[1]!], 7.3e12, 'failed')
    expect(await store.pruneWebhookDeliveries(100, 2)).toBe(2)
    expect(await store.pruneWebhookDeliveries(100, 10)).toBe(1)
    expect(await store.pruneWebhookDeliveries(100, 10)).toBe(0)
    for (const d of old) expect(await store.getWebhookDelivery(d.brandId, d.deliveryId)).toBeNull()
    expect(await store.getWebhookDelivery(a.brandId, pendingOld.deliveryId)).not.toBeNull()
    expect(await store.getWebhookDelivery(a.brandId, recent.deliveryId)).not.toBeNull()
  })

  it('keeps the outbox across a restart', async () => {
    const a = await endpoint()
    const d = delivery(a)
    await store.enqueueWebhookDeliveries([d])
    store = await opened.reopen()
    expect(await store.getWebhookDelivery(a.brandId, d.deliveryId)).toEqual(d)
  })
})
