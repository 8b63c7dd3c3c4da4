import type { FastifyBaseLogger } from 'fastify'
import type { Clock } from '../deps.js'
import type { Store, WebhookAttemptRecord, WebhookDeliveryRecord } from '../store/store.js'
import { isStoreUnavailable } from '../store/store-errors.js'
import { nextAttemptAt } from './retry-schedule.js'
import { signingSecrets, webhookHeaders } from './signature.js'
import type { PostOutcome, PostOptions } from './webhook-post.js'

// Sends what the outbox holds. Every node runs one: it claims due deliveries across brands (a lease
// keeps other nodes off them), posts each, and records the outcome: a 2xx delivers it, anything else
// schedules the next attempt (retry-schedule.ts) or, past a day, fails it. The outbox is in the
// store, so a restart loses nothing: a delivery a killed node was sending is due again when its
// lease runs out. It polls on an interval, is nudged when an event is queued, and refills its pool
// as each attempt ends.

/** How the worker runs; tests shorten the interval. */
export interface WorkerOptions {
  /** How often to look for due deliveries (ms; default 1000). */
  pollMs?: number
  /** Deadline of one POST (ms; default 10 s). */
  timeoutMs?: number
  /** Attempts under way at once (default 20). */
  batch?: number
  /** Attempts under way at once to one endpoint (default 2). */
  perEndpoint?: number
  allowPrivate: boolean
}

/** How long the log keeps a delivered or failed delivery: 30 days. */
const WEBHOOK_LOG_DAYS = 30

/** How often the log is pruned, and how many rows a statement deletes. */
const PRUNE_EVERY_MS = 3_600_000
const PRUNE_BATCH = 1000

/** What the worker needs. */
export interface WorkerDeps {
  store: Pick<Store, 'claimWebhookDeliveries' | 'recordWebhookAttempt' | 'getWebhookEndpoint' | 'pruneWebhookDeliveries'>
  clock: Clock
  log: FastifyBaseLogger
  post: (url: string, headers: Record<string, string>, body: string, opts: PostOptions) => Promise<PostOutcome>
  random?: () => number
}

/** A running worker. */
export interface DeliveryWorker {
  /** Looks for due deliveries now (an event was queued, or a test moved the clock). */
  nudge(): void
  /** Stops polling and waits for the attempts under way. */
  stop(): Promise<void>
}

/** Starts the worker. */
export function startDeliveryWorker(d: WorkerDeps, opts: WorkerOptions): DeliveryWorker {
  const timeoutMs = opts.timeoutMs ?? 10_000
  const batch = opts.batch ?? 20
  // The lease outlives the slowest attempt, so a live node's delivery is never claimed twice.
  const leaseMs = timeoutMs * 3
  const random = d.random ?? Math.random
  let stopped = false
  let running: Promise<void> | null = null
  let again = false

  async function attempt(del: WebhookDeliveryRecord, leaseUntil: number): Promise<void> {
    const endpoint = await d.store.getWebhookEndpoint(del.brandId, del.endpointId)
    const base = { brandId: del.brandId, endpointId: del.endpointId, deliveryId: del.deliveryId, attempt: del.attempts + 1 }
    let outcome: PostOutcome
    if (!endpoint) outcome = { error: 'endpoint_deleted' }
    else if (!endpoint.enabled) outcome = { error: 'endpoint_disabled' }
    else {
      const now = d.clock.now()
      const headers = webhookHeaders(signingSecrets(endpoint.secrets, now), del.eventId, Math.floor(now / 1000), del.payload)
      outcome = await d.post(endpoint.url, headers, del.payload, { allowPrivate: opts.allowPrivate, timeoutMs })
    }
    const at = d.clock.now()
    const record: WebhookAttemptRecord = { leaseUntil, at, status: 'pending', nextAttemptAt: null, httpStatus: null, error: null }
    if ('status' in outcome) record.httpStatus = outcome.status
    else record.error = outcome.error
    if ('status' in outcome && outcome.status >= 200 && outcome.status < 300) record.status = 'delivered'
    else if (!endpoint || !endpoint.enabled) record.status = 'failed'
    else {
      record.nextAttemptAt = nextAttemptAt(del.attempts + 1, del.createdAt, at, random())
      if (record.nextAttemptAt === null) record.status = 'failed'
    }
    const fields = { ...base, status: record.httpStatus, error: record.error, outcome: record.status }
    // Not recorded: the lease ran out mid-attempt and another claim owns the delivery (or it is gone).
    if (!await d.store.recordWebhookAttempt(del.brandId, del.deliveryId, record)) {
      d.log.warn(fields, 'webhook attempt outlived its lease or delivery; outcome not recorded')
      return
    }
    if (record.status === 'failed') d.log.warn(fields, 'webhook delivery failed for good')
    else d.log.info(fields, record.status === 'delivered' ? 'webhook delivered' : 'webhook attempt failed; will retry')
  }

  // The pool: up to `batch` attempts at once, refilled as each one ends, and at most `perEndpoint`
  // of them to one endpoint, so an endpoint that never answers holds its own slots, not everyone's.
  // A claimed delivery whose endpoint is busy waits here, and starts when a slot of its endpoint
  // frees if its lease still outlasts the attempt; otherwise it is let go, and is claimed again
  // (by any node) when the lease runs out, never sent twice at once.
  const perEndpoint = opts.perEndpoint ?? 2
  const sending = new Set<Promise<void>>()
  const busy = new Map<string, number>()
  const waiting = new Map<string, { del: WebhookDeliveryRecord; leaseUntil: number }[]>()

  function start(del: WebhookDeliveryRecord, leaseUntil: number): void {
    const key = `${del.brandId}/${del.endpointId}`
    busy.set(key, (busy.get(key) ?? 0) + 1)
    const p: Promise<void> = attempt(del, leaseUntil)
      .catch((err: unknown) => { d.log.error({ err, brandId: del.brandId, deliveryId: del.deliveryId }, 'webhook attempt could not be recorded') })
      .finally(() => {
        sending.delete(p)
        const n = (busy.get(key) ?? 1) - 1
        if (n === 0) busy.delete(key)
        else busy.set(key, n)
        const queue = waiting.get(key) ?? []
        let next = queue.shift()
        while (next && next.leaseUntil - d.clock.now() <= timeoutMs * 1.5) next = queue.shift()
        if (queue.length === 0) waiting.delete(key)
        if (next && !stopped) start(next.del, next.leaseUntil)
        else nudge()
      })
    sending.add(p)
  }

  async function drain(): Promise<void> {
    for (;;) {
      again = false
      const free = batch - sending.size
      if (stopped || free <= 0) return
      const now = d.clock.now()
      const leaseUntil = now + leaseMs
      const due = await d.store.claimWebhookDeliveries(now, leaseUntil, free)
      for (const del of due) {
        const key = `${del.brandId}/${del.endpointId}`
        if ((busy.get(key) ?? 0) < perEndpoint && !stopped) { start(del, leaseUntil); continue }
        const queue = waiting.get(key) ?? []
        // Beyond a batch's worth, a busy endpoint's deliveries are let go to their lease.
        if (queue.length < batch) waiting.set(key, [...queue, { del, leaseUntil }])
      }
      if (due.length < free && !again) return
    }
  }

  // A store that is away is reported where it is noticed first (readiness, requests); once here per outage.
  let storeAway = false
  function nudge(): void {
    if (stopped) return
    if (running) { again = true; return }
    running = drain().then(() => { storeAway = false }, (err: unknown) => {
      if (!isStoreUnavailable(err)) d.log.error({ err }, 'webhook outbox could not be read')
      else if (!storeAway) d.log.warn({ err }, 'webhook outbox unavailable: deliveries wait for the store')
      storeAway = isStoreUnavailable(err)
    }).finally(() => { running = null })
  }

  let pruning: Promise<void> | null = null
  async function prune(): Promise<void> {
    const before = d.clock.now() - WEBHOOK_LOG_DAYS * 86_400_000
    let total = 0
    for (;;) {
      const n = await d.store.pruneWebhookDeliveries(before, PRUNE_BATCH)
      total += n
      if (n < PRUNE_BATCH || stopped) break
    }
    if (total > 0) d.log.info({ deliveries: total }, 'old webhook deliveries pruned from the log')
  }

  const timer = setInterval(nudge, opts.pollMs ?? 1000)
  timer.unref()
  const pruneTimer = setInterval(() => {
    pruning ??= prune().catch((err: unknown) => d.log.error({ err }, 'webhook log could not be pruned')).finally(() => { pruning = null })
  }, PRUNE_EVERY_MS)
  pruneTimer.unref()
  nudge()
  return {
    nudge,
    async stop() {
      stopped = true
      clearInterval(timer)
      clearInterval(pruneTimer)
      await running
      await Promise.all([...sending])
      waiting.clear()
      await pruning
    },
  }
}
