import fp from 'fastify-plugin'
import { startPeriodicJob } from '../periodic-job.js'
import { purgeExpiredAudit, type AuditRetentionDeps } from '../audit/audit-retention.js'

// Runs the audit log's retention pass (audit/audit-retention.ts) on an interval. Shutdown stops the
// pass after its current batch and waits for it, so it never writes to a closed store.

/** How often the audit log is purged, by default: hourly (a day's entries leave within the hour). */
export const DEFAULT_AUDIT_RETENTION_SWEEP_MS = 60 * 60 * 1000

/** Starts the audit retention sweep every `everyMs`. */
export const auditRetentionPlugin = fp<{ deps: AuditRetentionDeps; everyMs?: number }>(async (app, { deps, everyMs }) => {
  const stop = new AbortController()
  const job = startPeriodicJob(everyMs ?? DEFAULT_AUDIT_RETENTION_SWEEP_MS, async () => {
    const r = await purgeExpiredAudit(deps, { signal: stop.signal })
    if (r.entries > 0 || r.tokenIds > 0) app.log.info({ brands: r.brands, entries: r.entries, tokenIds: r.tokenIds }, 'audit log purged')
  }, (err: unknown) => app.log.error({ err }, 'audit retention sweep failed'))
  app.addHook('preClose', async () => {
    stop.abort()
    await job.stop()
  })
}, { name: 'parley-audit-retention', fastify: '5.x' })
