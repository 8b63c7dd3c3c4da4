// How long to wait before retrying a call. Pure: the caller passes the headers, the time and the
// random number. The relay's word wins (Retry-After on a 429 or 503, or a rate-limit reset);
// otherwise exponential backoff with jitter, as openai-node does: 0.5 s, 1 s, 2 s … up to 8 s, each
// shortened by up to a quarter so that clients refused together do not come back together.

/** The first backoff delay and its ceiling. */
const INITIAL_MS = 500
const MAX_BACKOFF_MS = 8_000
/** A relay asking for a longer wait than this is not waited for: the error goes to the caller. */
export const MAX_RETRY_AFTER_MS = 60_000

type Headers = { get(name: string): string | null }

/** A header value that is a plain non-negative decimal number, or null. */
function decimal(v: string | null): number | null {
  return v !== null && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : null
}

function seconds(v: string | null): number | null {
  const n = decimal(v)
  return n === null ? null : Math.round(n * 1000)
}

/**
 * The wait the relay asked for, in ms, or null when it asked none: `retry-after-ms`, `Retry-After`
 * (delta seconds or an HTTP date), then `ratelimit-reset` / `x-ratelimit-reset` (delta seconds; a
 * value past 10^9 is read as Unix seconds).
 */
export function retryAfterMs(headers: Headers, nowMs: number): number | null {
  const ms = decimal(headers.get('retry-after-ms'))
  if (ms !== null) return Math.round(ms)
  const after = headers.get('retry-after')
  if (after !== null) {
    const delta = seconds(after)
    if (delta !== null) return delta
    // An HTTP date names its weekday and month; Date.parse alone would take "-3" for a year.
    const date = /[a-z]{3}/i.test(after) ? Date.parse(after) : Number.NaN
    if (!Number.isNaN(date)) return Math.max(0, date - nowMs)
  }
  const reset = seconds(headers.get('ratelimit-reset') ?? headers.get('x-ratelimit-reset'))
  if (reset !== null) return reset > 1e12 ? Math.max(0, reset - nowMs) : reset
  return null
}

/** Backoff before retry number `retry` (1-based) when the relay asked for no wait; `random` in [0, 1). */
export function backoffMs(retry: number, random: number): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, INITIAL_MS * 2 ** Math.max(0, retry - 1))
  return Math.round(ceiling * (1 - 0.25 * Math.min(Math.max(random, 0), 1)))
}
