import { describe, expect, it } from 'vitest'
import { formatWaiting } from '../../../widget/src/console/waiting-time.js'

const NOW = Date.UTC(2026, 11, 3, 10, 0, 0)
const SEC = 1_000
const MIN = 60 * SEC
const HOUR = 60 * MIN
const DAY = 24 * HOUR

describe('waiting time in the queue', () => {
  it('counts seconds under a minute, and zero for a clock that puts the visitor in the future', () => {
    expect(formatWaiting(NOW - 45 * SEC, NOW)).toBe('45 seconds')
    expect(formatWaiting(NOW + 5 * SEC, NOW)).toBe('0 seconds')
  })

  it('rolls minutes over into hours, and hours into days', () => {
    expect(formatWaiting(NOW - 59 * MIN, NOW)).toBe('59 minutes')
    expect(formatWaiting(NOW - 61 * MIN, NOW)).toBe('1 hour')
    expect(formatWaiting(NOW - 23 * HOUR - 59 * MIN, NOW)).toBe('23 hours')
    // The trial's "Waiting 2892 min".
    expect(formatWaiting(NOW - 2892 * MIN, NOW)).toBe('2 days')
  })

  it('uses the singular for one of a unit', () => {
    expect(formatWaiting(NOW - 1 * SEC, NOW)).toBe('1 second')
    expect(formatWaiting(NOW - 1 * MIN, NOW)).toBe('1 minute')
    expect(formatWaiting(NOW - 1 * DAY, NOW)).toBe('1 day')
  })

  it("uses the locale's own plural forms", () => {
    expect(formatWaiting(NOW - 3 * HOUR, NOW, 'de')).toBe('3 Stunden')
    expect(formatWaiting(NOW - 1 * HOUR, NOW, 'de')).toBe('1 Stunde')
  })
})
