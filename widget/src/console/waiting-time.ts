// How long a visitor has waited, as the queue shows it: seconds, then minutes, hours and days, so a
// visitor left overnight reads "2 days" and not "2892 min". Intl picks the plural form ("1 hour",
// "2 hours") in the locale given. Pure: "now" comes in, so tests pin it.

const UNITS = [['day', 86_400], ['hour', 3_600], ['minute', 60]] as const

const cache = new Map<string, Intl.NumberFormat>()

function unitFormat(locale: string, unit: string): Intl.NumberFormat {
  const key = `${locale}|${unit}`
  let f = cache.get(key)
  if (!f) cache.set(key, (f = new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' })))
  return f
}

/** The time from `since` to `now` in its largest whole unit, up to days: "45 seconds", "1 minute", "3 hours", "2 days". */
export function formatWaiting(since: number, now: number, locale = 'en'): string {
  const sec = Math.max(0, Math.floor((now - since) / 1000))
  for (const [unit, size] of UNITS) if (sec >= size) return unitFormat(locale, unit).format(Math.floor(sec / size))
  return unitFormat(locale, 'second').format(sec)
}
