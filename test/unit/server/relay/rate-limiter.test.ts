import { describe, expect, it } from 'vitest'
import { KeyedBuckets, TokenBucket } from '../../../../server/src/relay/rate-limiter.js'

/** Takes `n` tokens at `now` and returns how many were granted. */
function takeMany(bucket: { take(now: number): { ok: boolean } }, n: number, now: number): number {
  let granted = 0
  for (let i = 0; i < n; i++) if (bucket.take(now).ok) granted++
  return granted
}

describe('TokenBucket', () => {
  it('starts full: grants a whole burst at once', () => {
    expect(takeMany(new TokenBucket(10, 20, 0), 20, 0)).toBe(20)
  })

  it('refuses the token after the burst with the ms until the next one', () => {
    const b = new TokenBucket(10, 20, 0)
    takeMany(b, 20, 0)
    expect(b.take(0)).toEqual({ ok: false, retryAfterMs: 100 })
  })

  it('shortens retryAfterMs as time passes', () => {
    const b = new TokenBucket(10, 20, 0)
    takeMany(b, 20, 0)
    expect(b.take(60)).toEqual({ ok: false, retryAfterMs: 40 })
  })

  it('refills at its rate', () => {
    const b = new TokenBucket(10, 20, 0)
    takeMany(b, 20, 0)
    expect(takeMany(b, 10, 500)).toBe(5)
  })

  it('never holds more than its burst, however long it was idle', () => {
    const b = new TokenBucket(10, 20, 0)
    expect(takeMany(b, 30, 3_600_000)).toBe(20)
  })

  it('grants nothing for a clock that steps backwards', () => {
    const b = new TokenBucket(10, 20, 1000)
    takeMany(b, 20, 1000)
    expect(b.take(0).ok).toBe(false)
  })

  it('reports full only once it has refilled completely', () => {
    const b = new TokenBucket(10, 20, 0)
    b.take(0)
    expect([b.isFull(0), b.isFull(99), b.isFull(100)]).toEqual([false, false, true])
  })
})

describe('TokenBucket.create', () => {
  it('holds two seconds of its rate and refills at that rate', () => {
    const b = TokenBucket.create(3, 0)
    expect([b.rate, b.burst]).toEqual([3, 6])
    expect(takeMany(b, 7, 0)).toBe(6)
    expect(takeMany(b, 4, 1000)).toBe(3)
  })
})

describe('KeyedBuckets', () => {
  it('gives each key a bucket with a burst of twice the rate', () => {
    const buckets = new KeyedBuckets(5)
    expect(takeMany({ take: (now) => buckets.take('v1', now) }, 11, 0)).toBe(10)
  })

  it('keeps keys apart: one exhausted key does not limit another', () => {
    const buckets = new KeyedBuckets(5)
    takeMany({ take: (now) => buckets.take('v1', now) }, 10, 0)
    expect([buckets.take('v1', 0).ok, buckets.take('v2', 0).ok]).toEqual([false, true])
  })

  it('does not forget a bucket that is still refilling when it sweeps idle ones', () => {
    const buckets = new KeyedBuckets(1)
    takeMany({ take: (now) => buckets.take('hot', now) }, 2, 0)
    for (let i = 0; i <= 10_001; i++) buckets.take(`idle-${i}`, 0)
    // A new key after more than a second triggers the sweep; 'hot' has refilled 1.5 of its 2 tokens.
    buckets.take('trigger', 1500)
    expect([buckets.take('hot', 1500).ok, buckets.take('hot', 1500).ok]).toEqual([true, false])
  })
})
