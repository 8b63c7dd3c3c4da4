import { performance } from 'node:perf_hooks'
import type { Store } from '../store/store.js'
import { readErasures, replayErasures } from '../data-rights/erasure-ledger.js'

// Erased data stays erased after a restore: the ledger of erasures lives outside the database and
// its backups, so a database restored from before an erasure is erased again by replaying it, at
// restore and at every relay start (replaying what is already erased changes nothing).

/** What replaying the ledgers did. */
export interface ReplayReport {
  ledgers: number
  /** Ledger entries read (each an erasure request). */
  entries: number
  /** Conversations erased now: in the store whole again, typically restored from before the erasure. */
  conversations: number
  /** Visitor records erased now. */
  visitors: number
  durationMs: number
}

/** Replays every entry of each ledger (a missing file has none) on `store`. */
export async function replayLedgers(store: Store, paths: readonly string[]): Promise<ReplayReport> {
  const started = performance.now()
  const report = { ledgers: paths.length, entries: 0, conversations: 0, visitors: 0 }
  for (const path of paths) {
    const entries = await readErasures(path)
    const done = await replayErasures(store, entries)
    report.entries += entries.length
    report.conversations += done.conversations
    report.visitors += done.visitors
  }
  return { ...report, durationMs: Math.round(performance.now() - started) }
}
