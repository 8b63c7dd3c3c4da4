import { createHash } from 'node:crypto'
import type { IdempotencyRecord } from './store.js'

// An idempotency_keys row as both stores' tables hold it, the hash a key is stored under, and when
// a stored key still counts: pure but for the hash, no database in it.

/** The columns of an idempotency_keys row a claim reads. */
export interface KeyRow { fingerprint: string; status: number | null; body: string | null; created_at: number }

/** The key as stored: its sha-256, so a key a client built from something private stays out of the database. */
export const hashKey = (key: string): string => createHash('sha256').update(key).digest('base64url')

/** Whether a stored key still counts: not stale, and finished or still within its lease. */
export function isLive(r: KeyRow, staleBefore: number, abandonedBefore: number): boolean {
  return r.created_at > staleBefore && (r.status !== null || r.created_at > abandonedBefore)
}

/** The record of an idempotency_keys row. */
export function toRecord(r: KeyRow): IdempotencyRecord {
  return { fingerprint: r.fingerprint, status: r.status, body: r.body, createdAt: r.created_at }
}
