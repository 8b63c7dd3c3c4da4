// Reconnect delays: exponential with full jitter, so a relay restart is not met by every client
// reconnecting in the same millisecond. Pure: the caller supplies the random number.

/** Backoff settings; every field has a default. */
export interface BackoffOptions {
  initialMs?: number
  maxMs?: number
  factor?: number
}

/** The delay before reconnect attempt `attempt` (1-based): uniform in [0, min(max, initial × factor^(attempt-1))]. */
export function backoffDelay(attempt: number, random: number, opts: BackoffOptions = {}): number {
  const initial = opts.initialMs ?? 500
  const max = opts.maxMs ?? 30_000
  const factor = opts.factor ?? 2
  const ceiling = Math.min(max, initial * factor ** Math.max(0, attempt - 1))
  return Math.floor(ceiling * Math.min(Math.max(random, 0), 1))
}
