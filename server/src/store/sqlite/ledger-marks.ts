import type Database from 'better-sqlite3'
import type { LedgerMarkStore } from '../store.js'

// The erasure ledger replay's high-water marks (migration 18).

/** The ledger mark methods of the SQLite store. */
export function createLedgerMarks(db: Database.Database): LedgerMarkStore {
  const get = db.prepare<[string], { bytes: number; digest: string }>('SELECT bytes, digest FROM ledger_marks WHERE ledger_id = ?')
  const set = db.prepare(`INSERT INTO ledger_marks (ledger_id, bytes, digest) VALUES (?, ?, ?)
    ON CONFLICT (ledger_id) DO UPDATE SET bytes = excluded.bytes, digest = excluded.digest`)
  return {
    async getLedgerMark(ledgerId) {
      const row = get.get(ledgerId)
      return row ? { bytes: row.bytes, digest: row.digest } : null
    },
    async setLedgerMark(ledgerId, mark) {
      set.run(ledgerId, mark.bytes, mark.digest)
    },
  }
}
