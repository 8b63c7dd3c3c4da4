// The relay's limits per visitor and per address (messages, openings, uploads) hold across every
// node: their buckets sit behind this interface, in memory on one node (rate-limiter.ts: KeyedBuckets, inProcessBuckets) or in Redis
// for a cluster (cluster/redis-buckets.ts). The in-process buckets answer at once, so a single
// node's hot path stays synchronous; shared ones answer with a promise.

/** A take's answer: a token, or the ms until there will be one. */
export type Take = Readonly<{ ok: true }> | { ok: false; retryAfterMs: number }

/** Token buckets by key. */
export interface SharedBuckets {
  /** Takes one token from the key's bucket if there is one. */
  take(key: string, now: number): Take | Promise<Take>
  /** Gives back a token taken for something that turned out not to count (never fails). */
  refund(key: string): void
}

/** Makes the buckets of one limit: `rate` tokens a second per key, holding at most `burst`; `name` keeps limits apart. */
export type BucketsFactory = (name: string, rate: number, burst: number) => SharedBuckets

/** Runs `next` on a value that may still be coming: at once when it is there, so sync stays sync. */
export function afterTake<T, R>(v: T | Promise<T>, next: (t: T) => R | Promise<R>): R | Promise<R> {
  return v instanceof Promise ? v.then(next) : next(v)
}
