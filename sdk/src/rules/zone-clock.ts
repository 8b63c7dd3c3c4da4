// Wall-clock time in an IANA zone, from Intl alone (no time-zone database shipped): one
// Intl.DateTimeFormat per zone, kept, because building one costs far more than using it.

/** A local date and time in some zone, and that zone's offset from UTC at that instant. */
export interface WallTime {
  /** `YYYY-MM-DD`, compared as a string. */
  date: string
  /** 0 = Monday … 6 = Sunday. */
  weekday: number
  /** Milliseconds since local midnight. */
  msOfDay: number
  /** Local time minus UTC, in ms. */
  offset: number
}

/** One day in ms. */
export const DAY_MS = 86_400_000

const formatters = new Map<string, Intl.DateTimeFormat>()

/** The zone's formatter, made once; an unknown zone throws a RangeError (see `isKnownZone`). */
function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    })
    formatters.set(timeZone, f)
  }
  return f
}

/** Whether Intl knows the zone (`Europe/Paris` yes, `Mars/Olympus` no). */
export function isKnownZone(timeZone: string): boolean {
  try {
    formatterOf(timeZone)
    return true
  } catch {
    return false
  }
}

const pad = (n: number): string => (n < 10 ? '0' : '') + n

/** The wall time at instant `t` (ms) in `timeZone`. */
export function wallTimeAt(t: number, timeZone: string): WallTime {
  const v: Record<string, number> = {}
  for (const p of formatterOf(timeZone).formatToParts(t)) v[p.type] = +p.value
  const y = v.year!, mo = v.month!, d = v.day!
  // Some engines still write midnight as hour 24 even with h23.
  const local = Date.UTC(y, mo - 1, d, v.hour! % 24, v.minute!, v.second!)
  const second = Math.floor(t / 1000) * 1000
  const offset = local - second
  const msOfDay = ((local % DAY_MS) + DAY_MS) % DAY_MS + (t - second)
  return { date: `${y}-${pad(mo)}-${pad(d)}`, weekday: (new Date(Date.UTC(y, mo - 1, d)).getUTCDay() + 6) % 7, msOfDay, offset }
}
