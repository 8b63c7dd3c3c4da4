import fp from 'fastify-plugin'
import { startPeriodicJob } from '../periodic-job.js'
import { purgeExpiredAudit, type AuditRetentionDeps } from '../audit/audit-retention.js'
import type { Scheduler } from '../routing/scheduler.js'

// Runs the audit log's retention pass (audit/audit-retention.ts) on an interval, and once shortly
// after start: a relay restarted more often than the interval would otherwise never purge. Shutdown
// stops the pass after its current batch and waits for it, so it never writes to a closed store.

/** How often the audit log is purged, by default: hourly (a day's entries leave within the hour). */
export const DEFAULT_AUDIT_RETENTION_SWEEP_MS = 60 * 60 * 1000
/** When the first pass runs after start, by default: a minute (start-up itself is not slowed). */
export const DEFAULT_AUDIT_RETENTION_FIRST_SWEEP_MS = 60 * 1000

/** What the sweep runs on: the pass's deps, and the scheduler (on the injected clock) of the first pass. */
export interface AuditRetentionPluginOptions {
  deps: AuditRetentionDeps
  scheduler: Scheduler
  everyMs?: number
  firstAfterMs?: number
}

/** Starts the audit retention sweep: once `firstAfterMs` after start, then every `everyMs`. */
export const auditRetentionPlugin = fp<AuditRetentionPluginOptions>(async (app, { deps, scheduler, everyMs, firstAfterMs }) => {
  const stop = new AbortController()
  const job = startPeriodicJob(everyMs ?? DEFAULT_AUDIT_RETENTION_SWEEP_MS, async () => {
    const r = await purgeExpiredAudit(deps, { signal: stop.signal })
    if (r.entries > 0 || r.tokenIds > 0) app.log.info({ brands: r.brands, entries: r.entries, tokenIds: r.tokenIds }, 'audit log purged')
  }, (err: unknown) => app.log.error({ err }, 'audit retention sweep failed'))
  const cancelFirst = scheduler.at(deps.clock.now() + (firstAfterMs ?? DEFAULT_AUDIT_RETENTION_FIRST_SWEEP_MS), () => job.runNow())
  app.addHook('preClose', async () => {
    cancelFirst()
    stop.abort()
    await job.stop()
  })
}, { name: 'parley-audit-retention', fastify: '5.x' })
