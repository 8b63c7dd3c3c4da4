import type { Clock } from '../../server/src/deps.js'

/** A clock that stands still until the test moves it (token expiry, rate-limit refill). */
export interface FakeClock extends Clock {
  /** Moves time forward by `ms`. */
  advance(ms: number): void
  /** Sets the time to `ms` since the epoch. */
  set(ms: number): void
}

/** A fake clock starting at `start` ms since the epoch. */
export function createFakeClock(start = Date.now()): FakeClock {
  let t = start
  return {
    now: () => t,
    advance(ms) { t += ms },
    set(ms) { t = ms },
  }
}
