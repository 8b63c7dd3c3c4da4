import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createInProcessBus } from '../../../../server/src/bus/in-process.js'
import { createSqliteStore } from '../../../../server/src/store/sqlite/sqlite-store.js'
import type { Store } from '../../../../server/src/store/store.js'
import { randomIds } from '../../../../server/src/deps.js'
import { createWebhookEvents, observePublishes, type WebhookEvents } from '../../../../server/src/webhooks/webhook-events.js'
import { createFakeClock } from '../../../helpers/fake-clock.js'
import { createStoreBrand } from '../../../helpers/brand.js'
import { tempDir } from '../../../helpers/temp-dir.js'
import { until } from '../../../helpers/until.js'

// Where events enter the outbox: the message path of a brand without endpoints reads the store at
// most once per cache period, a change note makes every node read again, and only the publishes that
// announce an event (not a copy for one identity) become one.

describe('webhook events', () => {
  const clock = createFakeClock()
  let dir: ReturnType<typeof tempDir>
  let store: Store
  let lists: number
  let events: WebhookEvents
  const bus = createInProcessBus()

  beforeEach(() => {
    dir = tempDir()
    const real = createSqliteStore({ file: `${dir.dir}/parley.db` })
    lists = 0
    store = new Proxy(real, { get: (t, k) => (k === 'listWebhookEndpoints' ? (...a: [string]) => { lists++; return t.listWebhookEndpoints(...a) } : t[k as keyof Store]) })
    events = createWebhookEvents({ store, clock, ids: randomIds, bus, log: { error: () => {} }, nudge: () => {} })
  })
  afterEach(async () => { events.close(); await store.close(); dir.remove() })

  const message = (brandId: string, seq: number) => ({
    brandId, audience: { kind: 'conversation' as const, convId: 'c1', visitorId: 'v1' },
    frame: { type: 'message.new' as const, convId: 'c1', seq, clientMsgId: `m${seq}`, from: { kind: 'visitor' as const, id: 'v1' }, text: 'hi', at: clock.now() },
  })
  const queued = async (brandId: string, endpointId: string) => (await store.listWebhookDeliveries(brandId, endpointId, { before: null, limit: 100 })).length

  it('reads a brand without endpoints once per 30 s, however many messages it stores', async () => {
    const brandId = await createStoreBrand(store)
    const tapped = observePublishes(bus, events)
    for (let seq = 1; seq <= 50; seq++) tapped.publish(message(brandId, seq))
    await until(() => lists === 1, 'the first read')
    clock.advance(29_999)
    tapped.publish(message(brandId, 51))
    clock.advance(1)
    tapped.publish(message(brandId, 52))
    await until(() => lists === 2, 'the read after 30 s')
    expect(lists).toBe(2)
  })

  it('reads again at once after a change note, and queues for the new endpoint', async () => {
    const brandId = await createStoreBrand(store)
    const tapped = observePublishes(bus, events)
    tapped.publish(message(brandId, 1))
    await until(() => lists === 1, 'the first read')
    await store.createWebhookEndpoint({
      brandId, endpointId: 'whe_1', url: 'https://hooks.example/in', events: ['message.created'], description: '', enabled: true,
      secrets: [{ secret: 'whsec_AAAA', expiresAt: null }], createdAt: 1,
    }, 20)
    events.changed(brandId)
    await events.emit(brandId, 'message.created', { convId: 'c1', seq: 2, from: { kind: 'visitor', id: 'v1' }, text: 'hi', at: 1 })
    expect(lists).toBe(2)
    expect(await queued(brandId, 'whe_1')).toBe(1)
  })

  it('queues nothing for a copy of a frame meant for one identity, or for a disabled or unsubscribed endpoint', async () => {
    const brandId = await createStoreBrand(store)
    const endpoint = (endpointId: string, over: object) => store.createWebhookEndpoint({
      brandId, endpointId, url: 'https://hooks.example/in', events: ['message.created'], description: '', enabled: true,
      secrets: [{ secret: 'whsec_AAAA', expiresAt: null }], createdAt: 1, ...over,
    }, 20)
    await endpoint('whe_off', { enabled: false })
    await endpoint('whe_other', { events: ['conversation.closed'] })
    await endpoint('whe_on', {})
    const tapped = observePublishes(bus, events)
    tapped.publish({ ...message(brandId, 1), onlyIdentity: 'agent:a1' })
    tapped.publish(message(brandId, 2))
    await until(async () => (await queued(brandId, 'whe_on')) === 1, 'the one delivery')
    expect(await queued(brandId, 'whe_off')).toBe(0)
    expect(await queued(brandId, 'whe_other')).toBe(0)
    const [d] = await store.listWebhookDeliveries(brandId, 'whe_on', { before: null, limit: 10 })
    expect(JSON.parse(d!.payload).data.seq).toBe(2)
    expect(d!.convId).toBe('c1')
  })
})
