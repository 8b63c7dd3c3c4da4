import type { BucketsFactory, SharedBuckets } from './shared-buckets.js'

/** How many seconds of its rate a relay rate limit lets a client spend at once. */
export const BURST_SECONDS = 2

/** The answer to every successful take: shared, since one is asked for per frame. */
const TAKEN = Object.freeze({ ok: true as const })

/**
 * A token bucket: `rate` tokens a second, holding at most `burst`. Pure arithmetic over the times
 * it is given, so tests drive it with a fake clock.
 */
export class TokenBucket {
  #tokens: number
  #last: number
  readonly rate: number
  readonly burst: number

  constructor(rate: number, burst: number, now: number) {
    this.rate = rate
    this.burst = burst
    this.#tokens = burst
    this.#last = now
  }

  /** A bucket of `rate` tokens a second holding BURST_SECONDS' worth, as the relay's rate limits do. */
  static create(rate: number, now: number): TokenBucket {
    return new TokenBucket(rate, rate * BURST_SECONDS, now)
  }

  /** Whether, by `now`, the bucket has refilled completely (and could be forgotten). */
  isFull(now: number): boolean {
    return this.#tokens + ((now - this.#last) * this.rate) / 1000 >= this.burst
  }

  /** Takes one token if there is one; otherwise returns the ms until there will be. */
  take(now: number): Readonly<{ ok: true }> | { ok: false; retryAfterMs: number } {
    const elapsed = Math.max(0, now - this.#last)
    this.#last = now
    this.#tokens = Math.min(this.burst, this.#tokens + (elapsed * this.rate) / 1000)
    if (this.#tokens >= 1) {
      this.#tokens -= 1
      return TAKEN
    }
    return { ok: false, retryAfterMs: Math.ceil(((1 - this.#tokens) * 1000) / this.rate) }
  }

  /** Gives back a token taken for something that turned out not to count. */
  refund(): void {
    this.#tokens = Math.min(this.burst, this.#tokens + 1)
  }
}

/** Buckets keyed by a string (e.g. a visitor id), dropped after they refill and sit idle. */
export class KeyedBuckets implements SharedBuckets {
  readonly #buckets = new Map<string, TokenBucket>()
  readonly #rate: number
  readonly #burst: number
  #lastSweep = 0

  /** `rate` tokens a second per key, holding at most `burst` (default: BURST_SECONDS of the rate). */
  constructor(rate: number, burst = rate * BURST_SECONDS) {
    this.#rate = rate
    this.#burst = burst
  }

  take(key: string, now: number): ReturnType<TokenBucket['take']> {
    let b = this.#buckets.get(key)
    if (!b) {
      // Bound memory: when the map is large, forget buckets idle long enough to be full again.
      if (this.#buckets.size > 10_000 && now - this.#lastSweep > 1000) this.#sweep(now)
      b = new TokenBucket(this.#rate, this.#burst, now)
      this.#buckets.set(key, b)
    }
    return b.take(now)
  }

  /** Gives back a token taken under `key` (see TokenBucket.refund). */
  refund(key: string): void {
    this.#buckets.get(key)?.refund()
  }

  #sweep(now: number): void {
    this.#lastSweep = now
    for (const [key, b] of this.#buckets) if (b.isFull(now)) this.#buckets.delete(key)
  }
}

/** Buckets in this node's memory (one relay node; a cluster shares them in Redis). */
export const inProcessBuckets: BucketsFactory = (_name, rate, burst) => new KeyedBuckets(rate, burst)
