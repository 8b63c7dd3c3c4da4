import fp from 'fastify-plugin'
import { startPeriodicJob } from '../periodic-job.js'
import { purgeExpiredConversations, type RetentionPurgeDeps, type RetentionPurgeOptions } from '../data-rights/retention-purge.js'
import type { Scheduler } from '../routing/scheduler.js'

// Runs the transcript retention purge (data-rights/retention-purge.ts) on an interval, and once
// shortly after start, like the audit log's: a relay restarted more often than the interval would
// otherwise never purge. Shutdown stops the pass after its current batch and waits for it.

/** How often transcripts are purged, by default: hourly (a conversation leaves within the hour of its day). */
export const DEFAULT_RETENTION_PURGE_MS = 60 * 60 * 1000
/** When the first pass runs after start, by default: two minutes (after the audit log's first). */
export const DEFAULT_RETENTION_FIRST_PURGE_MS = 2 * 60 * 1000

/** What the purge runs on: the pass's deps, and the scheduler (on the injected clock) of the first pass. */
export interface RetentionPurgePluginOptions {
  deps: Omit<RetentionPurgeDeps, 'onBlobError'>
  scheduler: Scheduler
  everyMs?: number
  firstAfterMs?: number
  /** Batch size and the WAL's retry (tests). */
  pass?: Pick<RetentionPurgeOptions, 'batch' | 'walRetry'>
}

/** Starts the retention purge: once `firstAfterMs` after start, then every `everyMs`. */
export const retentionPurgePlugin = fp<RetentionPurgePluginOptions>(async (app, { deps, scheduler, everyMs, firstAfterMs, pass }) => {
  const stop = new AbortController()
  const onBlobError = (key: string, err: unknown) => app.log.warn({ err, key }, 'purged attachment file not deleted')
  const job = startPeriodicJob(everyMs ?? DEFAULT_RETENTION_PURGE_MS, async () => {
    const r = await purgeExpiredConversations({ ...deps, onBlobError }, { ...pass, signal: stop.signal })
    if (r.conversations > 0) app.log.info({ brands: r.brands, conversations: r.conversations, messages: r.messages, batches: r.batches }, 'transcripts purged')
  }, (err: unknown) => app.log.error({ err }, 'retention purge failed'))
  const cancelFirst = scheduler.at(deps.clock.now() + (firstAfterMs ?? DEFAULT_RETENTION_FIRST_PURGE_MS), () => job.runNow())
  app.addHook('preClose', async () => {
    cancelFirst()
    stop.abort()
    await job.stop()
  })
}, { name: 'parley-retention-purge', fastify: '5.x' })
