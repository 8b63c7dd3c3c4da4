// What the BusinessHours schema cannot say, checked on save so hoursState never meets it.
import type { BusinessHours } from '../contract/rules.js'
import { clockMinutes } from './hours.js'
import type { RuleProblem } from './rule-problem.js'
import { isKnownZone } from './zone-clock.js'

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
const CLOCK = /^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/

/** Whether `date` is `YYYY-MM-DD` and a real day (no 2026-02-30). */
function isRealDay(date: string): boolean {
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(date)) return false
  const t = Date.parse(date + 'T00:00:00Z')
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === date
}

/**
 * The zone exists (Intl knows it), intervals and holiday ranges are well formed; null when fine, else
 * the first problem. An interval runs `from` < `to`, or to `24:00`, or overnight with `to` < `from`
 * (`22:00`-`02:00`: into the next day). `from` equal to `to` is refused, being either empty or a
 * whole day by accident: write `00:00`-`24:00`. `from` cannot be `24:00`. A holiday's `to` is on or
 * after its `from`, and both are real days.
 */
export function checkBusinessHours(hours: BusinessHours): RuleProblem | null {
  if (!isKnownZone(hours.timeZone)) return { path: 'timeZone', message: `unknown time zone "${hours.timeZone}"` }
  for (const day of DAYS) {
    const list = hours.weekly[day] ?? []
    for (let i = 0; i < list.length; i++) {
      const { from, to } = list[i]!
      const at = `weekly/${day}/${i}`
      if (!CLOCK.test(from) || from === '24:00') return { path: `${at}/from`, message: `"${from}" is not a time from 00:00 to 23:59` }
      if (!CLOCK.test(to)) return { path: `${at}/to`, message: `"${to}" is not a time from 00:00 to 24:00` }
      if (clockMinutes(from) === clockMinutes(to)) return { path: `${at}/to`, message: `${from}-${to} is empty; a whole day is 00:00-24:00` }
    }
  }
  const holidays = hours.holidays ?? []
  for (let i = 0; i < holidays.length; i++) {
    const { from, to } = holidays[i]!
    if (!isRealDay(from)) return { path: `holidays/${i}/from`, message: `"${from}" is not a date` }
    if (to !== undefined && !isRealDay(to)) return { path: `holidays/${i}/to`, message: `"${to}" is not a date` }
    if (to !== undefined && to < from) return { path: `holidays/${i}/to`, message: `${to} is before ${from}` }
  }
  return null
}
