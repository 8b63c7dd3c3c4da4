import fp from 'fastify-plugin'
import { startPeriodicJob } from '../periodic-job.js'
import { runDueErasures, type ErasureRequestDeps } from '../data-rights/erasure-request-runner.js'
import type { Scheduler } from '../routing/scheduler.js'

// Runs the scheduled erasure requests whose grace period is over (data-rights/erasure-request-runner.ts)
// every few minutes, and once shortly after start. Several nodes may run the same request at once:
// an erasure is idempotent, and only the first to complete it keeps its receipt. Shutdown stops
// after the current request and waits for it, so it never writes to a closed store.

/** How often due erasure requests are looked for, by default: every five minutes. */
export const DEFAULT_ERASURE_SWEEP_MS = 5 * 60 * 1000
/** When the first sweep runs after start, by default: 30 seconds. */
const FIRST_SWEEP_MS = 30 * 1000

/** What the sweep runs on. */
export interface ErasureSweepOptions {
  deps: ErasureRequestDeps
  scheduler: Scheduler
  everyMs?: number
}

/** Starts the sweep of due erasure requests. */
export const erasureSweepPlugin = fp<ErasureSweepOptions>(async (app, { deps, scheduler, everyMs }) => {
  const stop = new AbortController()
  const job = startPeriodicJob(everyMs ?? DEFAULT_ERASURE_SWEEP_MS, async () => {
    const ran = await runDueErasures(deps, stop.signal, (failed) => app.log.error(failed, 'scheduled erasure failed; retried next sweep'))
    if (ran > 0) app.log.info({ requests: ran }, 'scheduled erasures run')
  }, (err: unknown) => app.log.error({ err }, 'erasure sweep failed'))
  const cancelFirst = scheduler.at(deps.clock.now() + FIRST_SWEEP_MS, () => job.runNow())
  app.addHook('preClose', async () => {
    cancelFirst()
    stop.abort()
    await job.stop()
  })
}, { name: 'parley-erasure-sweep', fastify: '5.x' })
