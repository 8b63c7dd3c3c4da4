// Wall-clock time in an IANA zone, from Intl alone (no time-zone database shipped): one
// Intl.DateTimeFormat per zone, kept, because building one costs far more than using it.

/** One day in ms. */
export const DAY_MS = 86_400_000

const formatters = new Map<string, Intl.DateTimeFormat>()

/**
 * The zone's formatter, made once. A zone this engine's Intl does not know (refused on save by
 * checkBusinessHours, but an older browser may lack a newer zone) reads as UTC rather than throwing.
 */
function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en', {
        timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric',
      })
    } catch {
      f = formatterOf('UTC')
    }
    formatters.set(timeZone, f)
  }
  return f
}

/** Whether Intl knows the zone (`Europe/Paris` yes, `Mars/Olympus` no). */
export function isKnownZone(timeZone: string): boolean {
  try {
    return !!new Intl.DateTimeFormat('en-US', { timeZone })
  } catch {
    return false
  }
}

/**
 * The zone's offset from UTC at instant `t` (local time minus UTC, in ms). `t` plus it is the wall
 * clock's reading written as a UTC instant, whose UTC date, weekday and time of day are the zone's.
 */
export function zoneOffset(t: number, timeZone: string): number {
  const v: Record<string, number> = {}
  for (const p of formatterOf(timeZone).formatToParts(t)) v[p.type] = +p.value
  // Offsets are whole minutes (since the 1970s), so the minute is enough. Some engines still write
  // midnight as hour 24 even with h23.
  return Date.UTC(v.year!, v.month! - 1, v.day!, v.hour! % 24, v.minute!) - (t - (t % 60_000))
}
