import type { Redis } from 'ioredis'
import type { Bus, BusEvent, GapBrands, NodeEvent } from '../bus/bus.js'
import { ENVELOPE_VERSION, MAX_ENVELOPE_EVENTS, parseEnvelope, type Envelope } from './bus-envelope.js'
import { DroppedBrands } from './dropped-brands.js'
import { connectRedis, DEFAULT_REDIS_PREFIX, openBoth, type RedisSource } from './redis-connection.js'

// Fan-out between relay nodes over Redis pub/sub. A node delivers its own events locally at once
// (synchronously, in publish order, like the in-process bus) and skips them when they come back;
// other nodes' events are delivered on receipt. Events are small and already masked: JSON on one
// channel, one envelope per event. With `batch` on, what a node publishes in one turn of its event
// loop (a group commit's messages) goes out as one envelope, in order: one PUBLISH, one decode on
// each node, instead of one per event. Every node reads both forms, but a node of the release before
// batching refuses a batch without announcing a gap, its clients none the wiser: batching stays off
// until every node runs a release that reads it (PARLEY_BUS_BATCH). While Redis is down or slow a
// publish is dropped, never queued: the store holds what matters, and whoever may have missed events
// hears of it (`onGap`, naming the brands) and makes those clients resume from there. A node
// announces its drops as soon as a publish succeeds again, when its publisher reconnects, and on a
// timer (a node with nothing more to publish).
// What arrives is checked (bus-envelope.ts) and each handler runs on its own: one bad event or one
// failing handler costs that delivery, never the node.

/** The channel under the cluster's prefix. */
export const BUS_CHANNEL = 'bus'

/** How often dropped publishes are announced again while the announcement fails (ms). */
export const GAP_ANNOUNCE_EVERY_MS = 1000

/** How to reach Redis and who this node is. */
export type RedisBusOptions = RedisSource & {
  /** This node's id, unique in the cluster (its own events come back with it and are skipped). */
  nodeId: string
  /** The cluster's key prefix (default `parley:`); the channel is `<prefix>bus`. */
  prefix?: string
  /**
   * Send the events of one turn as one envelope (default off: one envelope per event, as every
   * release reads). Turn it on once every node of the cluster reads batched envelopes.
   */
  batch?: boolean
  /** Hears a refused envelope (the first, then every tenfold count) and a handler that threw. */
  onError?: (err: unknown, what: string) => void
}

/** A Bus over Redis pub/sub; resolves once it is subscribed. */
export async function createRedisBus(opts: RedisBusOptions): Promise<Bus> {
  const [pub, sub] = await openBoth(
    connectRedis(opts, `parley-bus-pub:${opts.nodeId}`), (r) => r.disconnect(),
    connectRedis(opts, `parley-bus-sub:${opts.nodeId}`, { subscriber: true }), (r) => r.disconnect(),
  )
  const bus = new RedisBus(pub, sub, opts.nodeId, (opts.prefix ?? DEFAULT_REDIS_PREFIX) + BUS_CHANNEL, opts.batch ?? false, opts.onError ?? (() => {}))
  try {
    await bus.listen()
  } catch (err) {
    await bus.close().catch(() => {})
    throw err
  }
  return bus
}

class RedisBus implements Bus {
  readonly #pub: Redis
  readonly #sub: Redis
  readonly #nodeId: string
  readonly #channel: string
  readonly #batch: boolean
  readonly #onError: (err: unknown, what: string) => void
  readonly #handlers = new Set<(event: BusEvent) => void>()
  readonly #nodeHandlers = new Set<(event: NodeEvent) => void>()
  readonly #gapHandlers = new Set<(brands: GapBrands) => void>()
  /** The subscription dropped: events published meanwhile never reached this node. */
  #subscriptionLost = false
  /** Publishes dropped (Redis unreachable or slow): the other nodes missed them. */
  readonly #dropped = new DroppedBrands()
  #announcing = false
  #refused = 0
  /** Events published this turn, not yet sent to the other nodes (in publish order). */
  #outbox: BusEvent[] = []
  readonly #announceTimer: NodeJS.Timeout
  #closed = false

  constructor(pub: Redis, sub: Redis, nodeId: string, channel: string, batch: boolean, onError: (err: unknown, what: string) => void) {
    this.#pub = pub
    this.#sub = sub
    this.#nodeId = nodeId
    this.#channel = channel
    this.#batch = batch
    this.#onError = onError
    this.#announceTimer = setInterval(() => { void this.#announceDrops() }, GAP_ANNOUNCE_EVERY_MS)
    this.#announceTimer.unref()
  }

  async listen(): Promise<void> {
    this.#sub.on('message', (channel: string, json: string) => { if (channel === this.#channel) this.#receive(json) })
    this.#sub.on('close', () => { this.#subscriptionLost = true })
    this.#sub.on('ready', () => { void this.#resubscribed() })
    this.#pub.on('ready', () => { void this.#announceDrops() })
    await this.#sub.subscribe(this.#channel)
  }

  publish(event: BusEvent): void {
    for (const h of this.#handlers) h(event)
    if (event.localOnly || this.#closed) return
    if (!this.#batch) { this.#send({ v: ENVELOPE_VERSION, n: this.#nodeId, e: event }, [event]); return }
    // setImmediate runs after the poll phase: every event of this turn's reads and commits joins.
    if (this.#outbox.length === 0) setImmediate(() => this.#sendOutbox())
    this.#outbox.push(event)
  }

  publishToNodes(event: NodeEvent): void {
    for (const h of this.#nodeHandlers) h(event)
    // The events published before it reach the other nodes before it.
    this.#sendOutbox()
    // Dropped like any event while Redis is down: the gap that follows tells every node to forget.
    this.#send({ v: ENVELOPE_VERSION, n: this.#nodeId, node: event }, [event])
  }

  subscribeNodes(handler: (event: NodeEvent) => void): () => void {
    this.#nodeHandlers.add(handler)
    return () => { this.#nodeHandlers.delete(handler) }
  }

  subscribe(handler: (event: BusEvent) => void): () => void {
    this.#handlers.add(handler)
    return () => { this.#handlers.delete(handler) }
  }

  onGap(handler: (brands: GapBrands) => void): () => void {
    this.#gapHandlers.add(handler)
    return () => { this.#gapHandlers.delete(handler) }
  }

  async close(): Promise<void> {
    this.#sendOutbox()
    this.#closed = true
    clearInterval(this.#announceTimer)
    this.#handlers.clear()
    this.#nodeHandlers.clear()
    this.#gapHandlers.clear()
    this.#sub.disconnect()
    await this.#pub.quit().catch(() => this.#pub.disconnect())
  }

  /** Sends the events published this turn: one envelope (a lone event as before), or several past MAX_ENVELOPE_EVENTS. */
  #sendOutbox(): void {
    const events = this.#outbox
    if (events.length === 0) return
    this.#outbox = []
    for (let i = 0; i < events.length; i += MAX_ENVELOPE_EVENTS) {
      const part = events.length <= MAX_ENVELOPE_EVENTS ? events : events.slice(i, i + MAX_ENVELOPE_EVENTS)
      this.#send(part.length === 1 ? { v: ENVELOPE_VERSION, n: this.#nodeId, e: part[0]! } : { v: ENVELOPE_VERSION, n: this.#nodeId, es: part }, part)
    }
  }

  /** Publishes to the other nodes; a publish that can't get through counts the brands of its `events` as dropped. */
  #send(envelope: Envelope, events: readonly { brandId: string }[]): void {
    if (this.#closed) return
    if (this.#pub.status !== 'ready') { this.#drop(events); return }
    this.#pub.publish(this.#channel, JSON.stringify(envelope)).then(() => this.#announceDrops(), () => { this.#drop(events) })
  }

  #drop(events: readonly { brandId: string }[]): void {
    for (const e of events) this.#dropped.add(e.brandId)
  }

  #receive(json: string): void {
    const env = parseEnvelope(json)
    if ('refused' in env) return this.#refuse(env.refused)
    if (env.n === this.#nodeId) return
    if (env.refusedEvents) for (const why of env.refusedEvents) this.#refuse(why)
    if ('gap' in env) return this.#gap(env.gap === 'all' ? 'all' : new Set(env.gap))
    if ('node' in env) {
      for (const h of this.#nodeHandlers) {
        try { h(env.node) } catch (err) { this.#onError(err, 'node event delivery') }
      }
      return
    }
    if ('es' in env) {
      for (const e of env.es) this.#deliver(e)
      return
    }
    this.#deliver(env.e)
  }

  #deliver(event: BusEvent): void {
    for (const h of this.#handlers) {
      try { h(event) } catch (err) { this.#onError(err, 'bus event delivery') }
    }
  }

  /** Counts a refused envelope; reports the first, the tenth, the hundredth… (one bad publisher must not flood the log). */
  #refuse(why: string): void {
    this.#refused++
    if (Math.log10(this.#refused) % 1 === 0) this.#onError(new Error(`bus envelope refused (${why}); ${this.#refused} so far`), 'bus receive')
  }

  /** The subscriber is back: once the channel is subscribed again, what was missed (of any brand) is a gap. */
  async #resubscribed(): Promise<void> {
    if (!this.#subscriptionLost || this.#closed) return
    // ioredis subscribes again on ready; our own subscribe is answered after it, so from here on nothing is missed.
    try { await this.#sub.subscribe(this.#channel) } catch { return } // dropped again: the next ready retries
    this.#subscriptionLost = false
    this.#gap('all')
  }

  /** Tells the other nodes which brands' events they missed, once a publish can get through. */
  async #announceDrops(): Promise<void> {
    if (this.#dropped.isEmpty || this.#announcing || this.#closed || this.#pub.status !== 'ready') return
    this.#announcing = true
    const gap = this.#dropped.take()
    try {
      await this.#pub.publish(this.#channel, JSON.stringify({ v: ENVELOPE_VERSION, n: this.#nodeId, gap } satisfies Envelope))
    } catch {
      this.#dropped.restore(gap) // dropped again: the next publish, ready or tick retries
    } finally {
      this.#announcing = false
    }
  }

  #gap(brands: GapBrands): void {
    if (this.#closed) return
    for (const h of this.#gapHandlers) {
      try { h(brands) } catch (err) { this.#onError(err, 'bus gap handler') }
    }
  }
}
