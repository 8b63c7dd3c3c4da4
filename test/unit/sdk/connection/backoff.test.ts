import { describe, expect, it } from 'vitest'
import { backoffDelay } from '../../../../sdk/src/connection/backoff.js'

describe('backoffDelay', () => {
  it('grows exponentially up to the cap, scaled by the jitter', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, 0.999999, { initialMs: 100, maxMs: 1000 }))).toEqual([99, 199, 399, 799])
    expect(backoffDelay(10, 0.999999, { initialMs: 100, maxMs: 1000 })).toBe(999)
  })

  it('spreads retries over the whole window (full jitter) and never goes negative', () => {
    expect(backoffDelay(3, 0, { initialMs: 100 })).toBe(0)
    expect(backoffDelay(3, 0.5, { initialMs: 100 })).toBe(200)
    expect(backoffDelay(3, -1, { initialMs: 100 })).toBe(0)
  })
})
