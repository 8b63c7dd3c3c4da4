import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { performance } from 'node:perf_hooks'
import type { Store } from '../store/store.js'
import { parseLedger, replayErasures } from '../data-rights/erasure-ledger.js'

// Erased data stays erased after a restore: the ledger of erasures lives outside the database and
// its backups, so a database restored from before an erasure is erased again by replaying it, at
// restore and at every relay start. The ledger is never truncated, so a start replays only what
// follows the database's own high-water mark for that ledger (Store.getLedgerMark): the ledger's
// first bytes already replayed, and their digest. The mark lives in the database, so a restored
// older one comes back with its older mark (or none) and the start replays from there; a ledger
// whose first bytes differ from the mark's (another file, a rewritten one) is replayed whole.

/** What replaying the ledgers did. */
export interface ReplayReport {
  ledgers: number
  /** Ledger entries read and replayed (each an erasure request or a consent withdrawal). */
  entries: number
  /** Conversations erased now: in the store whole again, typically restored from before the erasure. */
  conversations: number
  /** Visitor records erased now. */
  visitors: number
  /** Visitors whose consent was withdrawn again. */
  consents: number
  durationMs: number
}

/**
 * Replays each ledger (a missing file has none) on `store`: every entry when `all`, else only the
 * entries after the store's mark for it. Either way the mark then moves to the ledger's end.
 */
export async function replayLedgers(store: Store, paths: readonly string[], opts: { all: boolean }): Promise<ReplayReport> {
  const started = performance.now()
  const report = { ledgers: paths.length, entries: 0, conversations: 0, visitors: 0, consents: 0 }
  for (const path of paths) {
    const text = await readLedger(path)
    // Up to the last line's end: a torn tail is not marked as replayed.
    const end = text.lastIndexOf(0x0a) + 1
    if (end === 0) continue
    const ledgerId = digest(text.subarray(0, text.indexOf(0x0a) + 1))
    const from = opts.all ? 0 : await replayedUpTo(store, ledgerId, text.subarray(0, end))
    const entries = parseLedger(text.subarray(from, end).toString('utf8'))
    const done = await replayErasures(store, entries)
    await store.setLedgerMark(ledgerId, { bytes: end, digest: digest(text.subarray(0, end)) })
    report.entries += entries.length
    report.conversations += done.conversations
    report.visitors += done.visitors
    report.consents += done.consents
  }
  return { ...report, durationMs: Math.round(performance.now() - started) }
}

/** How many of the ledger's first bytes the store says it replayed; 0 when its mark is not of these bytes. */
async function replayedUpTo(store: Store, ledgerId: string, whole: Buffer): Promise<number> {
  const mark = await store.getLedgerMark(ledgerId)
  if (!mark || mark.bytes > whole.length) return 0
  return digest(whole.subarray(0, mark.bytes)) === mark.digest ? mark.bytes : 0
}

async function readLedger(path: string): Promise<Buffer> {
  try {
    return await readFile(path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0)
    throw err
  }
}

function digest(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex')
}
