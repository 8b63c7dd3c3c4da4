import type { Redis } from 'ioredis'
import type { AgentOnline, Presence, PresenceChange } from '../agents/presence.js'
import type { Clock } from '../deps.js'
import {
  connectedScript, disconnectedScript, getScript, heartbeatScript, leaveScript, onlineScript, rewriteShareScript,
} from './presence-scripts.js'
import { DEFAULT_REDIS_PREFIX } from './redis-connection.js'

// Presence across relay nodes: each node keeps its share (its live connections per agent) in
// Redis, and an agent's count is the sum over the nodes that are alive (presence-scripts.ts). A node
// proves it is alive with a heartbeat; one that stops (killed, cut off) stops counting when its
// expiry passes, and the next heartbeat of another node reaps its share and reports the agents left
// with no connection, so they can be announced offline. The node also keeps its share in memory,
// the truth about its own connections: when Redis lost it (restarted, or reaped this node after a
// long stall) or a count could not be written, the next heartbeat writes the whole share again,
// and the agents that brings back online are announced the same way (onChange).

/** How long a node's share counts without a heartbeat (ms). */
export const DEFAULT_PRESENCE_TTL_MS = 15_000

/** Where the presence keys live under the cluster's prefix (one hash tag, so they share a slot). */
export const PRESENCE_KEY = '{presence}:'

/** Where the presence keys live under the default cluster prefix. */
export const DEFAULT_PRESENCE_PREFIX = DEFAULT_REDIS_PREFIX + PRESENCE_KEY

/** Presence across nodes, with the node's own lifecycle. */
export interface ClusterPresence extends Presence {
  /** Writes this node's share again (after Redis may have lost it). */
  rewriteShare(): Promise<void>
  /** One heartbeat now (tests; the timer runs it every third of the expiry). */
  heartbeat(): Promise<void>
  /** Stops the heartbeat; `leave` also removes this node's share (false: as if the node died). */
  close(opts?: { leave?: boolean }): Promise<void>
}

/** What the presence needs. */
export interface RedisPresenceOptions {
  redis: Redis
  nodeId: string
  clock: Clock
  ttlMs?: number
  prefix?: string
  /** A heartbeat or rewrite failed (Redis down): logged; the next heartbeat tries again. */
  onError?: (err: unknown) => void
}

/** Presence shared by the nodes through Redis; starts its heartbeat at once. */
export function createRedisPresence(opts: RedisPresenceOptions): ClusterPresence {
  return new RedisPresence(opts)
}

class RedisPresence implements ClusterPresence {
  readonly #o: Required<Omit<RedisPresenceOptions, 'onError'>> & Pick<RedisPresenceOptions, 'onError'>
  /** This node's connections per brand and agent. */
  readonly #share = new Map<string, Map<string, number>>()
  readonly #changeHandlers = new Set<(brandId: string, agentId: string) => void>()
  readonly #timer: NodeJS.Timeout
  /** A count could not be written: Redis may disagree with the share until it is rewritten. */
  #dirty = false
  /** Closed: counts are no longer written (a node that leaves, or plays dead in a test). */
  #closed = false

  constructor(o: RedisPresenceOptions) {
    this.#o = { ttlMs: DEFAULT_PRESENCE_TTL_MS, prefix: DEFAULT_PRESENCE_PREFIX, ...o }
    this.#timer = setInterval(() => { this.heartbeat().catch((err: unknown) => this.#o.onError?.(err)) }, Math.max(100, Math.floor(this.#o.ttlMs / 3)))
    this.#timer.unref()
  }

  async connected(brandId: string, agentId: string, at: number): Promise<PresenceChange> {
    if (this.#closed) return { flipped: false, since: at }
    this.#count(brandId, agentId, +1)
    const { redis, prefix, nodeId, ttlMs } = this.#o
    const [flipped, since, readded] = await this.#written(connectedScript(redis, [], [prefix, nodeId, brandId, agentId, at, ttlMs])) as number[]
    // This node had been reaped (or Redis restarted): the rest of its share goes back now.
    if (readded === 1) await this.rewriteShare()
    return { flipped: flipped === 1, since: since! }
  }

  async disconnected(brandId: string, agentId: string, at: number): Promise<PresenceChange> {
    if (this.#closed) return { flipped: false, since: at }
    if (!this.#count(brandId, agentId, -1)) {
      const { since } = await this.get(brandId, agentId)
      return { flipped: false, since: since ?? at }
    }
    const { redis, prefix, nodeId } = this.#o
    const [flipped, since] = await this.#written(disconnectedScript(redis, [], [prefix, nodeId, brandId, agentId, at])) as number[]
    return { flipped: flipped === 1, since: since! }
  }

  async get(brandId: string, agentId: string): Promise<AgentOnline> {
    const [count, since] = await getScript(this.#o.redis, [], [this.#o.prefix, brandId, agentId]) as number[]
    return { online: count! > 0, since: since === -1 ? null : since! }
  }

  async online(brandId: string): Promise<ReadonlyMap<string, number>> {
    const flat = await onlineScript(this.#o.redis, [], [this.#o.prefix, brandId]) as string[]
    const out = new Map<string, number>()
    for (let i = 0; i < flat.length; i += 2) out.set(flat[i]!, Number(flat[i + 1]))
    return out
  }

  onChange(handler: (brandId: string, agentId: string) => void): () => void {
    this.#changeHandlers.add(handler)
    return () => { this.#changeHandlers.delete(handler) }
  }

  async heartbeat(): Promise<void> {
    const { redis, prefix, nodeId, ttlMs, clock } = this.#o
    const [readded, gone] = await heartbeatScript(redis, [], [prefix, nodeId, ttlMs, clock.now()]) as [number, string[]]
    if (readded === 1 || this.#dirty) await this.rewriteShare()
    this.#changed(gone)
  }

  async rewriteShare(): Promise<void> {
    const { redis, prefix, nodeId, ttlMs, clock } = this.#o
    const args: (string | number)[] = [prefix, nodeId, ttlMs, clock.now()]
    for (const [brandId, agents] of this.#share) for (const [agentId, n] of agents) args.push(brandId, agentId, n)
    this.#dirty = false
    let found: string[]
    try {
      found = await rewriteShareScript(redis, [], args) as string[]
    } catch (err) {
      this.#dirty = true
      throw err
    }
    this.#changed(found)
  }

  async close(opts: { leave?: boolean } = {}): Promise<void> {
    this.#closed = true
    clearInterval(this.#timer)
    this.#changeHandlers.clear()
    if (opts.leave ?? true) await leaveScript(this.#o.redis, [], [this.#o.prefix, this.#o.nodeId]).catch(() => {})
  }

  /** Tells the handlers of each agent in a flat {brand, agent, …} list. */
  #changed(flat: readonly string[]): void {
    for (let i = 0; i < flat.length; i += 2) for (const h of this.#changeHandlers) h(flat[i]!, flat[i + 1]!)
  }

  /** Counts a connection in or out of this node's share; false when there was none to count out. */
  #count(brandId: string, agentId: string, delta: 1 | -1): boolean {
    let agents = this.#share.get(brandId)
    if (!agents) this.#share.set(brandId, (agents = new Map()))
    const n = (agents.get(agentId) ?? 0) + delta
    if (n < 0) return false
    if (n === 0) agents.delete(agentId)
    else agents.set(agentId, n)
    if (agents.size === 0) this.#share.delete(brandId)
    return true
  }

  /** A count's write: when it fails, the share is rewritten by the next heartbeat. */
  async #written<T>(write: Promise<T>): Promise<T> {
    try {
      return await write
    } catch (err) {
      this.#dirty = true
      throw err
    }
  }
}
