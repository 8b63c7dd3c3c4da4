// When a message was written, as the widget and the console show it: relative today ("5 minutes
// ago"), the date and time otherwise, in the reader's locale and time zone. Pure: "now" and the time
// zone come in, so tests pin both; views pass Date.now() and leave the zone to the browser.

const cache = new Map<string, Intl.DateTimeFormat | Intl.RelativeTimeFormat>()

function dateFormat(locale: string, timeZone: string | undefined, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${locale}|${timeZone ?? ''}|${JSON.stringify(opts)}`
  let f = cache.get(key) as Intl.DateTimeFormat | undefined
  if (!f) cache.set(key, (f = new Intl.DateTimeFormat(locale, timeZone ? { ...opts, timeZone } : opts)))
  return f
}

function relativeFormat(locale: string): Intl.RelativeTimeFormat {
  let f = cache.get(`r|${locale}`) as Intl.RelativeTimeFormat | undefined
  if (!f) cache.set(`r|${locale}`, (f = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })))
  return f
}

const DAY: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'numeric', day: 'numeric' }

/** Whether `a` and `b` fall on the same calendar day in `timeZone` (the browser's when undefined). */
export function isSameDay(a: number, b: number, locale: string, timeZone?: string): boolean {
  const f = dateFormat(locale, timeZone, DAY)
  return f.format(a) === f.format(b)
}

/** "now", "5 minutes ago", "3 hours ago" for a message of today; "3 Dec 2026, 09:41" (locale's own form) before. */
export function formatMessageTime(at: number, now: number, locale: string, timeZone?: string): string {
  const sec = Math.round((now - at) / 1000)
  // The last minute is "now" even across midnight; a skewed clock's message from the future is too.
  if (Math.abs(sec) < 60 || isSameDay(at, now, locale, timeZone)) {
    const rtf = relativeFormat(locale)
    return sec < 60 ? rtf.format(0, 'second') : sec < 3600 ? rtf.format(-Math.floor(sec / 60), 'minute') : rtf.format(-Math.floor(sec / 3600), 'hour')
  }
  return dateFormat(locale, timeZone, { dateStyle: 'medium', timeStyle: 'short' }).format(at)
}

/** The full date and time, for a tooltip and for screen readers. */
export function formatFullTime(at: number, locale: string, timeZone?: string): string {
  return dateFormat(locale, timeZone, { dateStyle: 'full', timeStyle: 'short' }).format(at)
}

/** A date alone ("3 Dec 2026"), for the divider under an ended conversation. */
export function formatDate(at: number, locale: string, timeZone?: string): string {
  return dateFormat(locale, timeZone, { dateStyle: 'medium' }).format(at)
}
