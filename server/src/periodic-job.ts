// A job the relay runs on an interval (a sweep): never two runs at once, a timer that keeps no
// process alive, and a stop that waits for the run in flight, so that a sweep started just before
// shutdown finishes before the store it writes to closes, instead of failing against it.

/** A started periodic job. */
export interface PeriodicJob {
  /** Runs the job now, unless a run is already in flight. */
  runNow(): void
  /** Stops the interval and resolves once the run in flight (if any) has ended. */
  stop(): Promise<void>
}

/** Runs `run` every `everyMs` (a slow run is not overlapped by the next); a rejection goes to `onError`. */
export function startPeriodicJob(everyMs: number, run: () => Promise<void>, onError: (err: unknown) => void): PeriodicJob {
  let inFlight: Promise<void> | null = null
  let stopped = false
  const runNow = () => {
    if (inFlight || stopped) return
    inFlight = run().catch(onError).finally(() => { inFlight = null })
  }
  const timer = setInterval(runNow, everyMs)
  timer.unref()
  return {
    runNow,
    async stop() {
      stopped = true
      clearInterval(timer)
      await inFlight
    },
  }
}
