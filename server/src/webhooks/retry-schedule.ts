// When a failed delivery is tried again: soon at first, then less and less often, for a day. The
// delays grow as Standard Webhooks and the large senders suggest; a little jitter keeps an endpoint
// that was down from getting every brand's retries in the same second when it comes back.

/** Delays after the 1st, 2nd, … failed attempt (ms); the last repeats. */
const DELAYS_MS = [5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000]

/** How long after it was queued a delivery is given up: a day. */
export const WEBHOOK_RETRY_WINDOW_MS = 24 * 3_600_000

/** Share of a delay added or taken at random. */
const JITTER = 0.1

/**
 * When to try again after `attempts` failed attempts of a delivery queued at `createdAt` (now
 * `now`), or null when the next try would fall past the retry window: the delivery has failed.
 * `random` is in [0, 1).
 */
export function nextAttemptAt(attempts: number, createdAt: number, now: number, random: number): number | null {
  const base = DELAYS_MS[Math.min(Math.max(attempts, 1), DELAYS_MS.length) - 1]!
  const at = now + Math.round(base * (1 + JITTER * (2 * random - 1)))
  return at - createdAt > WEBHOOK_RETRY_WINDOW_MS ? null : at
}
