import { describe, expect, it } from 'vitest'
import { backoffMs, retryAfterMs } from '../../../../sdk/src/client/retry-delay.js'

const headers = (h: Record<string, string>) => ({ get: (name: string) => h[name] ?? null })
const NOW = Date.parse('2026-12-03T12:00:00Z')

describe('retryAfterMs', () => {
  it('reads Retry-After in seconds, fractions included', () => {
    expect(retryAfterMs(headers({ 'retry-after': '3' }), NOW)).toBe(3000)
    expect(retryAfterMs(headers({ 'retry-after': '0.25' }), NOW)).toBe(250)
  })

  it('reads Retry-After as an HTTP date, relative to now, never negative', () => {
    expect(retryAfterMs(headers({ 'retry-after': 'Thu, 03 Dec 2026 12:00:07 GMT' }), NOW)).toBe(7000)
    expect(retryAfterMs(headers({ 'retry-after': 'Thu, 03 Dec 2026 11:00:00 GMT' }), NOW)).toBe(0)
  })

  it('prefers retry-after-ms, then Retry-After, then the rate-limit reset', () => {
    expect(retryAfterMs(headers({ 'retry-after-ms': '120', 'retry-after': '9' }), NOW)).toBe(120)
    expect(retryAfterMs(headers({ 'retry-after': '2', 'ratelimit-reset': '9' }), NOW)).toBe(2000)
    expect(retryAfterMs(headers({ 'ratelimit-reset': '4' }), NOW)).toBe(4000)
    expect(retryAfterMs(headers({ 'x-ratelimit-reset': '5' }), NOW)).toBe(5000)
  })

  it('reads a reset past 10^9 as Unix seconds', () => {
    expect(retryAfterMs(headers({ 'x-ratelimit-reset': String(NOW / 1000 + 6) }), NOW)).toBe(6000)
  })

  it('answers null when nothing usable was sent', () => {
    expect(retryAfterMs(headers({}), NOW)).toBeNull()
    expect(retryAfterMs(headers({ 'retry-after': 'soon' }), NOW)).toBeNull()
    expect(retryAfterMs(headers({ 'retry-after': '-3' }), NOW)).toBeNull()
  })
})

describe('backoffMs', () => {
  it('doubles from 500 ms up to 8 s', () => {
    expect([1, 2, 3, 4, 5, 6, 9].map((n) => backoffMs(n, 0))).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000])
  })

  it('shortens each delay by up to a quarter with the jitter', () => {
    expect(backoffMs(3, 0.999999)).toBe(1500)
    expect(backoffMs(3, 0.5)).toBe(1750)
    expect(backoffMs(1, 7)).toBe(375)
  })
})
