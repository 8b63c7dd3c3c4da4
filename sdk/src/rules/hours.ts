// Business hours: open or closed at an instant, in the brand's zone. Everything is wall time: an
// interval `09:00`-`17:00` opens when the zone's clocks read 09:00 and closes when they read 17:00,
// so on a DST change day it is still 8 hours long unless the jump falls inside it (then the interval
// is an hour shorter or longer in real time, as the clocks on the wall say).
import type { BusinessHours, OpenInterval } from '../contract/rules.js'
import { DAY_MS, isKnownZone, wallTimeAt, type WallTime } from './zone-clock.js'

/** Whether the brand's hours are open at `now`, whether `now` falls on a holiday, and when that next changes. */
export interface HoursState {
  open: boolean
  holiday: boolean
  /** The next instant `open` or `holiday` changes (ms), null when never (no hours: always open). */
  nextChangeAt: number | null
}

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
/** How far ahead `nextChangeAt` looks: a week and a day covers every weekly pattern. */
const HORIZON_MS = 8 * DAY_MS

/** Minutes since midnight of `HH:MM`; `24:00` is 1440. */
export function clockMinutes(clock: string): number {
  return +clock.slice(0, 2) * 60 + +clock.slice(3, 5)
}

/** The zone hours are read in; one Intl does not know (refused on save by checkBusinessHours) reads as UTC. */
function zoneOf(hours: BusinessHours): string {
  return isKnownZone(hours.timeZone) ? hours.timeZone : 'UTC'
}

/** Whether the local day `date` (`YYYY-MM-DD`) is in a holiday (a single day, or `from`..`to` inclusive). */
function isHoliday(hours: BusinessHours, date: string): boolean {
  for (const h of hours.holidays ?? []) if (date >= h.from && date <= (h.to ?? h.from)) return true
  return false
}

/** Whether `interval` is an overnight one: `to` before `from` (`22:00`-`02:00`) runs into the next day. */
const isOvernight = (i: OpenInterval): boolean => clockMinutes(i.to) <= clockMinutes(i.from)

/**
 * Open at this wall time: inside one of today's intervals, or in the after-midnight part of one of
 * yesterday's overnight intervals. A holiday closes its whole local day, including the part of an
 * overnight interval that runs into it from the day before; its own overnight interval's part past
 * midnight belongs to the next day, which is open unless it is a holiday too.
 */
function stateAt(hours: BusinessHours, wall: WallTime): { open: boolean; holiday: boolean } {
  if (isHoliday(hours, wall.date)) return { open: false, holiday: true }
  const m = Math.floor(wall.msOfDay / 60_000)
  for (const i of hours.weekly[DAYS[wall.weekday]!] ?? []) {
    const from = clockMinutes(i.from)
    if (m >= from && (isOvernight(i) || m < clockMinutes(i.to))) return { open: true, holiday: false }
  }
  for (const i of hours.weekly[DAYS[(wall.weekday + 6) % 7]!] ?? []) {
    if (isOvernight(i) && m < clockMinutes(i.to)) return { open: true, holiday: false }
  }
  return { open: false, holiday: false }
}

/** Open or closed at `now` in the brand's zone, without looking for the next change (what rule facts need). */
export function isOpenAt(hours: BusinessHours | null, now: number): { open: boolean; holiday: boolean } {
  return hours ? stateAt(hours, wallTimeAt(now, zoneOf(hours))) : { open: true, holiday: false }
}

/**
 * Open or closed at `now` in the brand's zone (DST and holidays included), and the next instant that
 * changes within about eight days (null: none, e.g. open all week with no holidays, or no hours at
 * all, which is always open). The search walks from one wall-clock boundary (an interval's ends,
 * midnight) to the next, and stops at a zone offset change on the way, so a DST jump is exact.
 */
export function hoursState(hours: BusinessHours | null, now: number): HoursState {
  if (!hours) return { open: true, holiday: false, nextChangeAt: null }
  const zone = zoneOf(hours)
  const first = stateAt(hours, wallTimeAt(now, zone))
  const bounds = new Set<number>([1440])
  for (const day of DAYS) for (const i of hours.weekly[day] ?? []) bounds.add(clockMinutes(i.from)).add(clockMinutes(i.to))
  const sorted = [...bounds].sort((a, b) => a - b)
  let t = now
  while (t < now + HORIZON_MS) {
    const wall = wallTimeAt(t, zone)
    const next = sorted.find((b) => b * 60_000 > wall.msOfDay)!
    let c = t + next * 60_000 - wall.msOfDay
    let there = wallTimeAt(c, zone)
    if (there.offset !== wall.offset) {
      c = offsetChange(t, c, wall.offset, zone)
      there = wallTimeAt(c, zone)
    }
    const s = stateAt(hours, there)
    if (s.open !== first.open || s.holiday !== first.holiday) return { ...first, nextChangeAt: c }
    t = c
  }
  return { ...first, nextChangeAt: null }
}

/** The first whole second after `from` and up to `to` whose zone offset is no longer `offset` (a DST change). */
function offsetChange(from: number, to: number, offset: number, zone: string): number {
  let lo = Math.floor(from / 1000) * 1000
  let hi = to
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000
    if (wallTimeAt(mid, zone).offset === offset) lo = mid
    else hi = mid
  }
  return hi
}
