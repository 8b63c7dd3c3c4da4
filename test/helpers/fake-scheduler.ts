import type { Scheduler } from '../../server/src/routing/scheduler.js'
import type { FakeClock } from './fake-clock.js'

/** A scheduler on a fake clock: timers run only when the test moves time with `advance`. */
export interface FakeScheduler extends Scheduler {
  /** Moves the clock forward by `ms` and runs every timer due by then, earliest first. */
  advance(ms: number): void
  /** Timers waiting. */
  readonly pending: number
}

/** A fake scheduler over `clock`. */
export function createFakeScheduler(clock: FakeClock): FakeScheduler {
  let timers: { time: number; run: () => void }[] = []
  return {
    at(time, run) {
      const t = { time, run }
      timers.push(t)
      return () => { timers = timers.filter((x) => x !== t) }
    },
    advance(ms) {
      clock.advance(ms)
      const due = timers.filter((t) => t.time <= clock.now()).sort((a, b) => a.time - b.time)
      timers = timers.filter((t) => t.time > clock.now())
      for (const t of due) t.run()
    },
    get pending() { return timers.length },
  }
}
