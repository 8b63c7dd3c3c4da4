import type { ReportQuery } from '@parley/sdk/contract'

// A report's period: UTC days `from` to `to`, both included. Checked once here, so the REST route
// and the store refuse the same periods with the same words.

/** The longest period a report covers, in days (a leap year). */
export const MAX_REPORT_DAYS = 366

const MS_PER_DAY = 86_400_000

/** A checked period: its bounds in ms (`endMs` excluded) and every day in it, oldest first. */
export interface ReportPeriod {
  startMs: number
  endMs: number
  days: string[]
}

/** The ms at 00:00 UTC of `day` (`YYYY-MM-DD`), or null for a day the calendar does not have (2026-02-30). */
function dayStart(day: string): number | null {
  const ms = Date.parse(`${day}T00:00:00Z`)
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === day ? ms : null
}

/** The period of `query`, or why it is refused (the PARLEY_ERR_REPORT_RANGE reason). */
export function reportPeriod(query: Pick<ReportQuery, 'from' | 'to'>): ReportPeriod | { problem: string } {
  const start = dayStart(query.from)
  const last = dayStart(query.to)
  if (start === null) return { problem: `from ${query.from} is not a calendar day` }
  if (last === null) return { problem: `to ${query.to} is not a calendar day` }
  if (start > last) return { problem: `from ${query.from} is after to ${query.to}` }
  const count = (last - start) / MS_PER_DAY + 1
  if (count > MAX_REPORT_DAYS) return { problem: `${count} days is more than ${MAX_REPORT_DAYS}` }
  const days: string[] = []
  for (let ms = start; ms <= last; ms += MS_PER_DAY) days.push(new Date(ms).toISOString().slice(0, 10))
  return { startMs: start, endMs: last + MS_PER_DAY, days }
}
