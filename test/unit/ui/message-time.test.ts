import { describe, expect, it } from 'vitest'
import { formatDate, formatFullTime, formatMessageTime, isSameDay } from '../../../widget/src/ui/message-time.js'

// 2026-12-03 10:00:00 UTC
const NOW = Date.UTC(2026, 11, 3, 10, 0, 0)
const MIN = 60_000

describe('message times', () => {
  it('says "now" for a message of the last minute, and for one a skewed clock puts in the future', () => {
    expect(formatMessageTime(NOW - 20_000, NOW, 'en', 'UTC')).toBe('now')
    expect(formatMessageTime(NOW + 5_000, NOW, 'en', 'UTC')).toBe('now')
  })

  it('says "now" for the last minute across midnight, and the date for a message before it', () => {
    const justAfter = Date.UTC(2026, 11, 4, 0, 0, 5)
    expect(formatMessageTime(Date.UTC(2026, 11, 3, 23, 59, 50), justAfter, 'en', 'UTC')).toBe('now')
    expect(formatMessageTime(Date.UTC(2026, 11, 3, 23, 58, 50), justAfter, 'en-GB', 'UTC')).toBe('3 Dec 2026, 23:58')
  })

  it('counts minutes, then hours, for earlier today', () => {
    expect(formatMessageTime(NOW - MIN, NOW, 'en', 'UTC')).toBe('1 minute ago')
    expect(formatMessageTime(NOW - 5 * MIN, NOW, 'en', 'UTC')).toBe('5 minutes ago')
    expect(formatMessageTime(NOW - 3 * 60 * MIN, NOW, 'en', 'UTC')).toBe('3 hours ago')
  })

  it('shows the date and time for a message of another day, in the locale', () => {
    const yesterday = Date.UTC(2026, 11, 2, 21, 5)
    expect(formatMessageTime(yesterday, NOW, 'en-GB', 'UTC')).toBe('2 Dec 2026, 21:05')
    expect(formatMessageTime(yesterday, NOW, 'en-US', 'UTC')).toMatch(/^Dec 2, 2026, 9:05\s?PM$/)
  })

  it("decides what is today in the reader's time zone", () => {
    // 23:30 UTC on the 2nd is already the 3rd in Tokyo (UTC+9), but still the 2nd in New York.
    const late = Date.UTC(2026, 11, 2, 23, 30)
    expect(isSameDay(late, NOW, 'en', 'Asia/Tokyo')).toBe(true)
    expect(formatMessageTime(late, NOW, 'en', 'Asia/Tokyo')).toBe('10 hours ago')
    expect(formatMessageTime(late, NOW, 'en-GB', 'America/New_York')).toBe('2 Dec 2026, 18:30')
  })

  it('speaks the widget language: Arabic relative times', () => {
    expect(formatMessageTime(NOW - 5 * MIN, NOW, 'ar', 'UTC')).toBe(new Intl.RelativeTimeFormat('ar', { numeric: 'auto' }).format(-5, 'minute'))
  })

  it('gives the full date and time for tooltips, and the date alone for dividers', () => {
    expect(formatFullTime(NOW, 'en-GB', 'UTC')).toMatch(/^Thursday,? 3 December 2026 at 10:00$/)
    expect(formatDate(NOW, 'en-GB', 'UTC')).toBe('3 Dec 2026')
  })
})
