import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit'
import type { WindowCount, WindowCounter } from '../../window-counter.js'

// The REST limits' store when the nodes share their counts (@fastify/rate-limit's `store` option):
// fixed windows counted by a WindowCounter (Redis), and, while it fails, in this node's memory.
// A limit then holds per node (N nodes: N times looser) but never lets everything through, which
// matters most for the agent login limits that stand between a guesser and scrypt.

/** Keys kept in memory per limit while the counter fails, unless the limit says (`cache`). */
const DEFAULT_KEPT = 5000

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void

/** A store class for @fastify/rate-limit over `counter`, falling back to memory when it fails (the counter reports its failures). */
export function sharedRateLimitStore(counter: WindowCounter): FastifyRateLimitStoreCtor {
  class SharedStore implements FastifyRateLimitStore {
    readonly #prefix: string
    readonly #local: LocalWindows

    constructor(options: { cache?: number }, prefix = '') {
      this.#prefix = prefix
      this.#local = new LocalWindows(options.cache ?? DEFAULT_KEPT)
    }

    incr(key: string, callback: Callback, timeWindow?: number, _max?: number): void {
      const windowMs = timeWindow ?? 60_000
      counter.incr(this.#prefix + key, windowMs).then(
        (c) => callback(null, { current: c.current, ttl: c.ttlMs }),
        () => {
          const c = this.#local.incr(key, windowMs, Date.now())
          callback(null, { current: c.current, ttl: c.ttlMs })
        },
      )
    }

    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      // What the plugin passes at run time: the limit's merged options (its README: "the same options"),
      // with routeInfo; a limit made by createRateLimit has an empty one.
      const o = routeOptions as { cache?: number; routeInfo?: { method?: string; url?: string } }
      // Keyed by route as the plugin's own Redis store is; createRateLimit limits tell theirs apart by key.
      return new SharedStore(o, `${this.#prefix}${o.routeInfo?.method ?? ''}${o.routeInfo?.url ?? ''}-`)
    }
  }
  return SharedStore as unknown as FastifyRateLimitStoreCtor
}

/** Fixed windows in memory, the least recently counted key dropped past `max` keys. */
class LocalWindows {
  readonly #max: number
  readonly #windows = new Map<string, { current: number; endsAt: number }>()

  constructor(max: number) {
    this.#max = max
  }

  incr(key: string, windowMs: number, now: number): WindowCount {
    let w = this.#windows.get(key)
    this.#windows.delete(key)
    if (!w || w.endsAt <= now) w = { current: 0, endsAt: now + windowMs }
    w.current++
    if (this.#windows.size >= this.#max) this.#windows.delete(this.#windows.keys().next().value!)
    this.#windows.set(key, w)
    return { current: w.current, ttlMs: w.endsAt - now }
  }
}
