import type { FastifyBaseLogger } from 'fastify'
import type { WebhookActor, WebhookEventName, WebhookEventType, WebhookPayload } from '@parley/sdk/contract'
import type { Bus, BusEvent } from '../bus/bus.js'
import type { Deps } from '../deps.js'
import type { WebhookDeliveryRecord, WebhookEndpointRecord } from '../store/store.js'

// Puts events into the outbox: one delivery per enabled endpoint of the brand subscribed to the
// event. Most events come from what the relay already publishes on the bus after a commit (observe),
// on the node that committed it, so each is queued once in a cluster; the rest are emitted where
// they happen. The brand's endpoints are cached briefly and forgotten on every node when they change,
// so a brand without webhooks costs no store call on the message path while its cache entry lives.
// The price, accepted and documented (docs/webhooks.md): until the change note reaches another node
// (milliseconds over Redis), events that node stores are matched against the old list, so a new
// endpoint misses them. A note lost to a Redis drop does not stretch that to the cache's 30 s: the
// bus reports the gap and the whole cache is forgotten.

/** How long a brand's endpoint list is trusted without a change note (ms). */
const CACHE_MS = 30_000

/** Queues events for a brand's webhook endpoints. */
export interface WebhookEvents {
  /** Queues `type` with `data` for the brand's subscribed endpoints; resolves once queued (never rejects). */
  emit(brandId: string, type: WebhookEventName, data: WebhookPayload['data']): Promise<void>
  /** Queues one event for one endpoint (a test ping, a replay); `eventId` names an earlier event's delivery again. */
  enqueue(endpoint: WebhookEndpointRecord, type: WebhookEventType, payload: string, eventId?: string, convId?: string | null): Promise<WebhookDeliveryRecord>
  /** The body of an event (Standard Webhooks: type, timestamp, data). */
  payload(brandId: string, type: WebhookEventType, data: WebhookPayload['data']): string
  /** Maps a bus event this node published to a webhook event, if it is one. */
  observe(e: BusEvent): void
  /** Forgets the brand's endpoints on every node (they changed). */
  changed(brandId: string): void
  close(): void
}

/** What the event source needs. */
export interface EventDeps extends Pick<Deps, 'store' | 'clock' | 'ids'> {
  bus: Bus
  log: Pick<FastifyBaseLogger, 'error'>
  /** An event was queued: the worker looks at once. */
  nudge: () => void
}

/** A brand's endpoints as cached; `known` once read, so an event no endpoint takes costs no promise (most brands have none). */
interface CachedEndpoints {
  until: number
  endpoints: Promise<WebhookEndpointRecord[]>
  known?: WebhookEndpointRecord[]
}

/** The webhook event source of one relay node. */
export function createWebhookEvents(d: EventDeps): WebhookEvents {
  const cache = new Map<string, CachedEndpoints>()
  const stop = d.bus.subscribeNodes((e) => { if (e.kind === 'brand-document-saved' && e.document === 'webhooks') cache.delete(e.brandId) })
  // A change note a node missed (Redis dropped) must not keep it sending to a deleted endpoint for long.
  const stopGap = d.bus.onGap(() => cache.clear())

  function endpointsOf(brandId: string): Promise<WebhookEndpointRecord[]> {
    const now = d.clock.now()
    const hit = cache.get(brandId)
    if (hit && hit.until > now) return hit.endpoints
    const endpoints = d.store.listWebhookEndpoints(brandId)
    const entry: CachedEndpoints = { until: now + CACHE_MS, endpoints }
    cache.set(brandId, entry)
    endpoints.then((list) => { entry.known = list }, () => cache.delete(brandId))
    return endpoints
  }

  /** Whether `type` has no endpoint of the brand to go to, as far as a cached list says (false when unknown). */
  function surelyUnwanted(brandId: string, type: WebhookEventName): boolean {
    const hit = cache.get(brandId)
    if (hit?.known === undefined || hit.until <= d.clock.now()) return false
    // A loop, not some(): this runs for every message, and the closure was its one allocation.
    for (const e of hit.known) if (takes(e, type)) return false
    return true
  }

  function payload(brandId: string, type: WebhookEventType, data: WebhookPayload['data']): string {
    return JSON.stringify({ type, timestamp: new Date(d.clock.now()).toISOString(), brandId, data })
  }

  function delivery(endpoint: WebhookEndpointRecord, type: WebhookEventType, body: string, eventId: string, convId: string | null): WebhookDeliveryRecord {
    const now = d.clock.now()
    return {
      brandId: endpoint.brandId, deliveryId: d.ids.next('whd_'), endpointId: endpoint.endpointId, eventId, type, convId, payload: body,
      status: 'pending', attempts: 0, nextAttemptAt: now, lastStatus: null, lastError: null, createdAt: now, deliveredAt: null,
    }
  }

  async function emit(brandId: string, type: WebhookEventName, data: WebhookPayload['data']): Promise<void> {
    try {
      const subscribed = (await endpointsOf(brandId)).filter((e) => takes(e, type))
      if (subscribed.length === 0) return
      const body = payload(brandId, type, data)
      const eventId = d.ids.next('evt_')
      const convId = 'convId' in data ? data.convId : null
      await d.store.enqueueWebhookDeliveries(subscribed.map((e) => delivery(e, type, body, eventId, convId)))
      d.nudge()
    } catch (err) {
      d.log.error({ err, brandId, type }, 'webhook event could not be queued')
    }
  }

  return {
    emit,
    payload,
    async enqueue(endpoint, type, body, eventId, convId = null) {
      const del = delivery(endpoint, type, body, eventId ?? d.ids.next('evt_'), convId)
      await d.store.enqueueWebhookDeliveries([del])
      d.nudge()
      return del
    },
    observe(e) {
      // Only the publishes that announce an event to everyone concerned: not a copy for one identity.
      if (e.onlyIdentity !== undefined) return
      const f = e.frame
      const a = e.audience
      if (f.type === 'message.new' && a.kind === 'conversation') {
        if (surelyUnwanted(e.brandId, 'message.created')) return
        void emit(e.brandId, 'message.created', { convId: f.convId, seq: f.seq, from: actor(f.from), text: f.text, at: f.at })
      } else if (f.type === 'conversation.opened') {
        void emit(e.brandId, 'conversation.opened', { convId: f.convId, visitorId: f.visitorId, at: f.at, origin: f.origin ?? 'chat' })
      } else if (f.type === 'conversation.closed' && a.kind === 'brand') {
        void emit(e.brandId, 'conversation.closed', { convId: f.convId, by: actor(f.by), at: f.at })
      } else if (f.type === 'conversation.assigned') {
        void emit(e.brandId, 'conversation.assigned', { convId: f.convId, agentId: f.agent.id, by: actor(f.by), at: f.at })
      }
    },
    changed(brandId) {
      d.bus.publishToNodes({ kind: 'brand-document-saved', brandId, document: 'webhooks' })
    },
    close() {
      stop()
      stopGap()
    },
  }
}

/** Whether `endpoint` gets `type`: it is enabled and subscribed to it. */
function takes(endpoint: WebhookEndpointRecord, type: WebhookEventName): boolean {
  return endpoint.enabled && endpoint.events.includes(type)
}

/** Who did it, by kind and id only: an agent's display name is not the receiver's business. */
function actor(p: { kind: WebhookActor['kind']; id: string }): WebhookActor {
  return { kind: p.kind, id: p.id }
}

/** A bus whose publishes this node makes are also shown to `events` (after the bus has them). */
export function observePublishes(bus: Bus, events: Pick<WebhookEvents, 'observe'>): Bus {
  return {
    publish(e) { bus.publish(e); events.observe(e) },
    subscribe: (h) => bus.subscribe(h),
    publishToNodes: (e) => bus.publishToNodes(e),
    subscribeNodes: (h) => bus.subscribeNodes(h),
    onGap: (h) => bus.onGap(h),
    close: () => bus.close(),
  }
}
