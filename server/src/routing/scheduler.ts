import type { Clock } from '../deps.js'

// Timers at a moment on the injected clock, so a test can move time and see offers expire.

/** Runs callbacks at a time of the clock; `at` returns a function that cancels the timer. */
export interface Scheduler {
  at(time: number, run: () => void): () => void
}

/** Real timers, measured against `clock` (a callback due already runs on the next turn). */
export function createTimerScheduler(clock: Clock): Scheduler {
  return {
    at(time, run) {
      const t = setTimeout(run, Math.max(0, time - clock.now()))
      // A pending offer never keeps the process alive: on restart the store still holds it.
      t.unref()
      return () => clearTimeout(t)
    },
  }
}
