import type { FastifyBaseLogger } from 'fastify'
import type { Store } from '../store/store.js'
import { replayLedgers } from './erasure-replay.js'

// What a relay does with its erasure ledger before it serves.

/**
 * Erases again, before serving, what the ledger says was erased since the database's mark: a data
 * directory restored by copying files (or a database restored with pg_restore) may hold it. A relay
 * that cannot replay does not start, rather than serve data a visitor had erased. When the ledger
 * sits in the data directory (PARLEY_ERASURE_LEDGER unset), says so: losing that disk loses the
 * ledger with the database, and a backup restored then brings erased data back.
 */
export async function replayLedgerAtStart(log: FastifyBaseLogger, store: Store, path: string, env: NodeJS.ProcessEnv): Promise<void> {
  if (env.PARLEY_ERASURE_LEDGER === undefined || env.PARLEY_ERASURE_LEDGER === '') {
    log.warn({ ledger: path }, 'the erasure ledger sits beside the database: copy it off-site with the backups\' schedule, or set PARLEY_ERASURE_LEDGER to another disk (docs/operations.md, "The erasure ledger")')
  }
  const r = await replayLedgers(store, [path], { all: false })
  // The pages the replay freed must not stay readable in the WAL (a busy WAL is emptied later, by a checkpoint).
  if (r.conversations + r.visitors + r.consents > 0) await store.truncateWal()
  if (r.entries > 0) log.info({ entries: r.entries, conversations: r.conversations, visitors: r.visitors, consents: r.consents, durationMs: r.durationMs }, 'erasure ledger replayed')
}
