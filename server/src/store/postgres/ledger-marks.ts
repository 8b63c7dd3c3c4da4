import type { LedgerMarkStore } from '../store.js'
import type { PgDb } from './db.js'

// The erasure ledger replay's high-water marks (schema/008-ledger-marks.ts): no brand's rows, so
// read and written through the owner's functions.

/** The ledger mark methods over `db`. */
export function createLedgerMarks(db: PgDb): LedgerMarkStore {
  return {
    async getLedgerMark(ledgerId) {
      const row = await db.tx(null, (tx) => tx.one<{ bytes: string; digest: string }>('SELECT bytes, digest FROM parley_get_ledger_mark($1)', [ledgerId]))
      return row ? { bytes: Number(row.bytes), digest: row.digest } : null
    },
    async setLedgerMark(ledgerId, mark) {
      await db.tx(null, (tx) => tx.run('SELECT parley_set_ledger_mark($1, $2, $3)', [ledgerId, mark.bytes, mark.digest]))
    },
  }
}
