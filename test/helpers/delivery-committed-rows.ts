import Database from 'better-sqlite3'
import { databaseFile } from '../../server/src/data-dir.js'
import type { TestRelay } from './start-relay.js'

// A second, read-only SQLite connection to a test relay's database. It sees only committed
// transactions, so a row found through it is durable, not merely queued or half-written. Reads are
// synchronous: a test can check the database at the very moment a frame arrives.

/** One committed message row, as far as delivery tests care. */
export interface CommittedMessage {
  seq: number
  clientMsgId: string
  text: string
}

/** A read-only view of the relay's committed messages; close it when done. */
export interface CommittedRows {
  /** Committed messages of a conversation with this clientMsgId (0 or 1 rows). */
  byClientMsgId(brandId: string, convId: string, clientMsgId: string): CommittedMessage[]
  close(): void
}

/** Opens a second connection to the relay's database file. */
export function openCommittedRows(relay: TestRelay): CommittedRows {
  const db = new Database(databaseFile(relay.dataDir), { readonly: true, fileMustExist: true })
  const q = db.prepare<[string, string, string], { seq: number; client_msg_id: string; text: string }>(
    'SELECT seq, client_msg_id, text FROM messages WHERE brand_id = ? AND conv_id = ? AND client_msg_id = ?')
  return {
    byClientMsgId(brandId, convId, clientMsgId) {
      return q.all(brandId, convId, clientMsgId).map((r) => ({ seq: r.seq, clientMsgId: r.client_msg_id, text: r.text }))
    },
    close() { db.close() },
  }
}
