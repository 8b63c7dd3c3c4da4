// Business hours: open or closed at an instant, in the brand's zone. Everything is wall time: an
// interval `09:00`-`17:00` opens when the zone's clocks read 09:00 and closes when they read 17:00,
// so on a DST change day it is still 8 hours long unless the jump falls inside it (then the interval
// is an hour shorter or longer in real time, as the clocks on the wall say).
import type { BusinessHours, OpenInterval } from '../contract/rules.js'
import { DAY_MS, zoneOffset } from './zone-clock.js'

/** Whether the brand's hours are open at `now`, whether `now` falls on a holiday, and when that next changes. */
export interface HoursState {
  open: boolean
  holiday: boolean
  /** The next instant `open` or `holiday` changes (ms), null when never (no hours: always open). */
  nextChangeAt: number | null
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const
/** How far ahead `nextChangeAt` looks: a week and a day covers every weekly pattern. */
const HORIZON_MS = 8 * DAY_MS

/** Minutes since midnight of `HH:MM`; `24:00` is 1440. */
export function clockMinutes(clock: string): number {
  return +clock.slice(0, 2) * 60 + +clock.slice(3)
}

/** What the hours say at an instant: closed (0), open (1), or closed for a holiday (2). */
export type Hours = 0 | 1 | 2
/** Hours: open. */
export const OPEN = 1
/** Hours: closed for a holiday. */
export const HOLIDAY = 2

/**
 * Open at this wall time: inside one of today's intervals, or in the after-midnight part of one of
 * yesterday's overnight intervals (`to` before `from`, e.g. `22:00`-`02:00`). A holiday (a single
 * day, or `from`..`to` inclusive) closes its whole local day, including the part of an overnight
 * interval that runs into it from the day before; its own overnight interval's part past midnight
 * belongs to the next day, which is open unless it is a holiday too.
 */
function stateAt(hours: BusinessHours, wall: number): Hours {
  const day = new Date(wall)
  const date = day.toISOString().slice(0, 10)
  if (hours.holidays?.some((h) => date >= h.from && date <= (h.to ?? h.from))) return HOLIDAY
  const m = Math.floor((wall % DAY_MS) / 60_000)
  const overnight = (i: OpenInterval): boolean => clockMinutes(i.to) <= clockMinutes(i.from)
  const today = hours.weekly[DAYS[day.getUTCDay()]!]?.some((i) => m >= clockMinutes(i.from) && (overnight(i) || m < clockMinutes(i.to)))
  const yesterday = hours.weekly[DAYS[(day.getUTCDay() + 6) % 7]!]?.some((i) => overnight(i) && m < clockMinutes(i.to))
  return today || yesterday ? OPEN : 0
}

/** The wall clock's reading at `t` in `zone`, written as a UTC instant (instants after 1970). */
const wallAt = (t: number, zone: string): number => t + zoneOffset(t, zone)

/** Open, closed or a holiday at `now` in the brand's zone, without looking for the next change (what rule facts need). */
export function hoursAt(hours: BusinessHours | null, now: number): Hours {
  return hours ? stateAt(hours, wallAt(now, hours.timeZone)) : OPEN
}

/**
 * Open or closed at `now` in the brand's zone (DST and holidays included), and the next instant that
 * changes within about eight days (null: none, e.g. open all week with no holidays, or no hours at
 * all, which is always open). The search walks from one wall-clock boundary (an interval's ends,
 * midnight) to the next, and stops at a zone offset change on the way, so a DST jump is exact.
 */
export function hoursState(hours: BusinessHours | null, now: number): HoursState {
  const first = hoursAt(hours, now)
  const result = (nextChangeAt: number | null): HoursState => ({ open: first === OPEN, holiday: first === HOLIDAY, nextChangeAt })
  if (!hours) return result(null)
  const zone = hours.timeZone
  const bounds = [1440]
  for (const day of DAYS) for (const i of hours.weekly[day] ?? []) bounds.push(clockMinutes(i.from), clockMinutes(i.to))
  for (let t = now; t < now + HORIZON_MS;) {
    const offset = zoneOffset(t, zone)
    const ms = (t + offset) % DAY_MS
    let c = t + Math.min(...bounds.filter((b) => b * 60_000 > ms)) * 60_000 - ms
    if (zoneOffset(c, zone) !== offset) c = offsetChange(t, c, offset, zone)
    if (stateAt(hours, wallAt(c, zone)) !== first) return result(c)
    t = c
  }
  return result(null)
}

/** The first whole minute after `from` and up to `to` whose zone offset is no longer `offset` (a DST change). */
function offsetChange(from: number, to: number, offset: number, zone: string): number {
  let lo = from - (from % 60_000)
  let hi = to
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000
    if (zoneOffset(mid, zone) === offset) lo = mid
    else hi = mid
  }
  return hi
}
