import type { ApiKey } from '@parley/sdk/contract'

// How the key list reads a key's state, and the expiry the form's date picker means. Pure.

/**
 * "Active", "Revoked", "Expired", "Expires <date>", or "Retiring, expires <date>" for a key rotated
 * out and still in its grace, for `key` at `now`.
 */
export function keyStatus(key: ApiKey, now: number): string {
  if (key.revokedAt !== null) return 'Revoked'
  if (key.expiresAt !== null && key.expiresAt <= now) return 'Expired'
  // Rotation ends the old key by its expiry (the grace), not by revokedAt, which it sets only for a
  // grace of 0; replacedBy tells such an expiry from one the key was created with.
  if (key.expiresAt !== null) return `${key.replacedBy !== null ? 'Retiring, expires' : 'Expires'} ${new Date(key.expiresAt).toLocaleString()}`
  return 'Active'
}

/**
 * The expiry of a `date` input's value (YYYY-MM-DD): the end of that day in the browser's time
 * zone, so "expires on the 5th" works through the 5th. Null when empty, malformed or not in the future.
 */
export function expiryOf(day: string, now = Date.now()): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day.trim())
  if (!m) return null
  const t = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1).getTime() - 1
  return Number.isFinite(t) && t > now ? t : null
}
