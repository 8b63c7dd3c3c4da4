import type { Redis } from 'ioredis'
import type { Bus, BusEvent, NodeEvent } from '../bus/bus.js'
import { connectRedis, type RedisSource } from './redis-connection.js'

// Fan-out between relay nodes over Redis pub/sub. A node delivers its own events locally at once
// (synchronously, in publish order, like the in-process bus) and skips them when they come back;
// other nodes' events are delivered on receipt. Events are small and already masked: JSON on one
// channel. While Redis is down a publish is dropped, never queued: the store holds what matters,
// and whoever may have missed events hears of it (`onGap`) and makes its clients resume from there.

/** The channel every node publishes and listens on, unless told otherwise. */
export const DEFAULT_BUS_CHANNEL = 'parley:bus'

/** What travels on the channel: an event from a node, a node event, or a node saying some of its events were dropped. */
type Envelope = { n: string; e: BusEvent } | { n: string; node: NodeEvent } | { n: string; gap: true }

/** How to reach Redis and who this node is. */
export type RedisBusOptions = RedisSource & {
  /** This node's id, unique in the cluster (its own events come back with it and are skipped). */
  nodeId: string
  channel?: string
}

/** A Bus over Redis pub/sub; resolves once it is subscribed. */
export async function createRedisBus(opts: RedisBusOptions): Promise<Bus> {
  const [pub, sub] = await Promise.all([connectRedis(opts, `parley-bus-pub:${opts.nodeId}`), connectRedis(opts, `parley-bus-sub:${opts.nodeId}`)])
  const bus = new RedisBus(pub, sub, opts.nodeId, opts.channel ?? DEFAULT_BUS_CHANNEL)
  await bus.listen()
  return bus
}

class RedisBus implements Bus {
  readonly #pub: Redis
  readonly #sub: Redis
  readonly #nodeId: string
  readonly #channel: string
  readonly #handlers = new Set<(event: BusEvent) => void>()
  readonly #nodeHandlers = new Set<(event: NodeEvent) => void>()
  readonly #gapHandlers = new Set<() => void>()
  /** The subscription dropped: events published meanwhile never reached this node. */
  #subscriptionLost = false
  /** Publishes dropped while Redis was unreachable: the other nodes missed them. */
  #dropped = 0
  #closed = false

  constructor(pub: Redis, sub: Redis, nodeId: string, channel: string) {
    this.#pub = pub
    this.#sub = sub
    this.#nodeId = nodeId
    this.#channel = channel
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
    const json = JSON.stringify({ n: this.#nodeId, e: event } satisfies Envelope)
    if (this.#pub.status !== 'ready') { this.#dropped++; return }
    this.#pub.publish(this.#channel, json).catch(() => { this.#dropped++ })
  }

  publishToNodes(event: NodeEvent): void {
    for (const h of this.#nodeHandlers) h(event)
    if (this.#closed) return
    // Dropped like any event while Redis is down: the gap that follows tells every node to forget.
    if (this.#pub.status !== 'ready') { this.#dropped++; return }
    this.#pub.publish(this.#channel, JSON.stringify({ n: this.#nodeId, node: event } satisfies Envelope)).catch(() => { this.#dropped++ })
  }

  subscribeNodes(handler: (event: NodeEvent) => void): () => void {
    this.#nodeHandlers.add(handler)
    return () => { this.#nodeHandlers.delete(handler) }
  }

  subscribe(handler: (event: BusEvent) => void): () => void {
    this.#handlers.add(handler)
    return () => { this.#handlers.delete(handler) }
  }

  onGap(handler: () => void): () => void {
    this.#gapHandlers.add(handler)
    return () => { this.#gapHandlers.delete(handler) }
  }

  async close(): Promise<void> {
    this.#closed = true
    this.#handlers.clear()
    this.#nodeHandlers.clear()
    this.#gapHandlers.clear()
    this.#sub.disconnect()
    await this.#pub.quit().catch(() => this.#pub.disconnect())
  }

  #receive(json: string): void {
    let env: Envelope
    try { env = JSON.parse(json) as Envelope } catch { return }
    if (env.n === this.#nodeId) return
    if ('gap' in env) this.#gap()
    else if ('node' in env) for (const h of this.#nodeHandlers) h(env.node)
    else for (const h of this.#handlers) h(env.e)
  }

  /** The subscriber is back: once the channel is subscribed again, what was missed is a gap. */
  async #resubscribed(): Promise<void> {
    if (!this.#subscriptionLost || this.#closed) return
    // ioredis subscribes again on ready; our own subscribe is answered after it, so from here on nothing is missed.
    try { await this.#sub.subscribe(this.#channel) } catch { return } // dropped again: the next ready retries
    this.#subscriptionLost = false
    this.#gap()
  }

  /** The publisher is back after dropping events: tells the other nodes they missed some. */
  async #announceDrops(): Promise<void> {
    if (this.#dropped === 0 || this.#closed) return
    const dropped = this.#dropped
    try {
      await this.#pub.publish(this.#channel, JSON.stringify({ n: this.#nodeId, gap: true } satisfies Envelope))
      this.#dropped -= dropped
    } catch { /* dropped again: the next ready retries */ }
  }

  #gap(): void {
    if (this.#closed) return
    for (const h of this.#gapHandlers) h()
  }
}
