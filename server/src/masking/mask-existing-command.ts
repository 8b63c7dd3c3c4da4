import type { Deps } from '../deps.js'
import type { MaskingRunRecord } from '../store/store.js'
import { emptyWal, runCounts, runMaskingRun, type WalRetry } from './mask-existing.js'

// `parley mask-existing`: runs (or resumes) a masking run on the data dir's database from the
// command line, printing progress on stderr and a summary on stdout (one JSON line with --json).
// It works on the SQLite file directly, beside a running relay or without one (docs/operations.md).

/** What the command was asked to do, and where it writes. */
export interface MaskExistingCommand {
  brandId: string
  json: boolean
  batchSize?: number | undefined
  pauseMs?: number | undefined
  /** After a finished run, rebuild the database file (Store.vacuum). */
  vacuum?: boolean
  /** How long a finished run tries to empty the WAL (default about 10 s). */
  walRetry?: WalRetry
  out: { write(s: string): unknown }
  err: { write(s: string): unknown }
  signal?: AbortSignal
}

/** How often at most a progress line is printed. */
const PROGRESS_EVERY_MS = 1000

/** The command may wait: about 10 s of tries at emptying the WAL before it warns. */
const CLI_WAL_RETRY: WalRetry = { attempts: 100, intervalMs: 100 }

/** Runs the command; resolves with the process exit code (0 done, 1 interrupted). */
export async function maskExisting(deps: Pick<Deps, 'store' | 'clock' | 'ids'>, c: MaskExistingCommand): Promise<number> {
  const walRetry = c.walRetry ?? CLI_WAL_RETRY
  const started = await deps.store.startMaskingRun(c.brandId, deps.ids.next('mr_'), deps.clock.now())
  const resumed = started.phase !== 'messages' || started.position > 0
  c.err.write(`${resumed ? 'resuming' : 'starting'} masking run ${started.runId} for brand ${c.brandId}\n`)
  let printedAt = 0
  const run = await runMaskingRun(deps, c.brandId, started.runId, {
    ...(c.batchSize !== undefined ? { batchSize: c.batchSize } : {}),
    ...(c.pauseMs !== undefined ? { pauseMs: c.pauseMs } : {}),
    ...(c.signal ? { signal: c.signal } : {}),
    walRetry,
    onProgress: (r) => {
      const now = Date.now()
      if (now - printedAt < PROGRESS_EVERY_MS) return
      printedAt = now
      c.err.write(`  ${progressLine(r)}\n`)
    },
  })
  const done = run.status === 'done'
  let vacuumed = false
  let walEmptied = run.walEmptied
  if (done && c.vacuum) {
    c.err.write('rebuilding the database file (VACUUM); the relay\'s writes wait until it ends\n')
    await deps.store.vacuum()
    vacuumed = true
    // VACUUM writes the whole file through the WAL: empty it again.
    walEmptied = await emptyWal(deps.store, walRetry)
  }
  if (walEmptied === false) {
    c.err.write(`warning: the WAL file (parley.db-wal) was not emptied: something kept reading the database for ${
      Math.round(walRetry.attempts * walRetry.intervalMs / 1000)} s (a long query or a backup; the relay's own reads are short).\n` +
      '  It may still hold the original texts. Run the command again when that has ended, or stop the relay and run it again.\n')
  }
  const summary = {
    runId: run.runId, brandId: run.brandId, status: run.status, phase: run.phase, ...runCounts(run),
    startedAt: run.startedAt, finishedAt: run.finishedAt, vacuumed, walEmptied,
  }
  const state = !done ? 'interrupted (run the command again to resume)' : walEmptied ? 'done, WAL emptied' : 'done, but the WAL was NOT emptied (see the warning)'
  c.out.write(c.json ? JSON.stringify(summary) + '\n' : `masking run ${run.runId} ${state}\n  ${progressLine(run)}\n`)
  return done ? 0 : 1
}

function progressLine(r: MaskingRunRecord): string {
  return `messages: ${r.scanned} scanned, ${r.changed} changed; contexts: ${r.contextsScanned} scanned, ${r.contextsChanged} changed; ` +
    `notes: ${r.notesScanned} scanned, ${r.notesChanged} changed; file names: ${r.filesScanned} scanned, ${r.filesChanged} changed; at ${r.phase}`
}
