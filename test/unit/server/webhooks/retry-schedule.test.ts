import { describe, expect, it } from 'vitest'
import { nextAttemptAt, WEBHOOK_RETRY_WINDOW_MS } from '../../../../server/src/webhooks/retry-schedule.js'

// When a failed delivery is tried again: growing delays with ±10 % jitter, given up within a day.

const HOUR = 3_600_000

describe('webhook retry schedule', () => {
  it.each([
    [1, 5_000], [2, 30_000], [3, 120_000], [4, 600_000], [5, 1_800_000], [6, HOUR], [7, 2 * HOUR], [8, 4 * HOUR], [9, 8 * HOUR], [12, 8 * HOUR],
  ])('waits about %i → %i ms, within the jitter', (attempts, delay) => {
    expect(nextAttemptAt(attempts, 0, 1000, 0.5)).toBe(1000 + delay)
    expect(nextAttemptAt(attempts, 0, 1000, 0)).toBe(1000 + Math.round(delay * 0.9))
    expect(nextAttemptAt(attempts, 0, 1000, 0.999999)).toBeLessThanOrEqual(1000 + Math.round(delay * 1.1))
  })

  it('gives up once the next try would fall past a day after the event, and not before', () => {
    const created = 0
    expect(nextAttemptAt(9, created, WEBHOOK_RETRY_WINDOW_MS - 8 * HOUR, 0.5)).toBe(WEBHOOK_RETRY_WINDOW_MS)
    expect(nextAttemptAt(9, created, WEBHOOK_RETRY_WINDOW_MS - 8 * HOUR + 1, 0.5)).toBeNull()
  })

  it('makes about a dozen attempts over the day when every one fails', () => {
    let at = 0
    let attempts = 1
    for (;;) {
      const next = nextAttemptAt(attempts, 0, at, 0.5)
      if (next === null) break
      at = next
      attempts++
    }
    expect(attempts).toBe(11)
    expect(at).toBeLessThanOrEqual(WEBHOOK_RETRY_WINDOW_MS)
  })
})
