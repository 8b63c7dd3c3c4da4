import type Database from 'better-sqlite3'
import type { IdempotencyClaim, IdempotencyScope, Store } from '../store.js'
import { hashKey, isLive, type KeyRow, toRecord } from '../idempotency-rows.js'

// The idempotency_keys table (migration 4). The key is stored as its sha-256, so a key a client
// built from something private stays out of the file; the fingerprint already is a hash.

type IdempotencyMethods = Pick<Store, 'claimIdempotencyKey' | 'completeIdempotencyKey' | 'releaseIdempotencyKey' | 'sweepIdempotencyKeys'>

/** The Store's Idempotency-Key methods over `db`. */
export function createIdempotencyKeys(db: Database.Database): IdempotencyMethods {
  const q = {
    get: db.prepare<[string, string, string], KeyRow>(
      'SELECT fingerprint, status, body, created_at FROM idempotency_keys WHERE brand_id = ? AND caller = ? AND key_hash = ?'),
    put: db.prepare(`INSERT INTO idempotency_keys (brand_id, caller, key_hash, fingerprint, status, body, created_at)
      VALUES (?, ?, ?, ?, NULL, NULL, ?)
      ON CONFLICT (brand_id, caller, key_hash) DO UPDATE SET
        fingerprint = excluded.fingerprint, status = NULL, body = NULL, created_at = excluded.created_at`),
    complete: db.prepare('UPDATE idempotency_keys SET status = ?, body = ? WHERE brand_id = ? AND caller = ? AND key_hash = ? AND status IS NULL'),
    release: db.prepare('DELETE FROM idempotency_keys WHERE brand_id = ? AND caller = ? AND key_hash = ? AND status IS NULL'),
    sweep: db.prepare('DELETE FROM idempotency_keys WHERE created_at <= ?'),
  }

  const claim = db.transaction((s: IdempotencyScope, keyHash: string, fingerprint: string, now: number, staleBefore: number, abandonedBefore: number): IdempotencyClaim => {
    const row = q.get.get(s.brandId, s.caller, keyHash)
    if (row !== undefined && isLive(row, staleBefore, abandonedBefore)) return { claimed: false, record: toRecord(row) }
    q.put.run(s.brandId, s.caller, keyHash, fingerprint, now)
    return { claimed: true }
  })

  return {
    async claimIdempotencyKey(scope, key, fingerprint, now, staleBefore, abandonedBefore) {
      return claim.immediate(scope, hashKey(key), fingerprint, now, staleBefore, abandonedBefore)
    },
    async completeIdempotencyKey(scope, key, status, body) {
      q.complete.run(status, body, scope.brandId, scope.caller, hashKey(key))
    },
    async releaseIdempotencyKey(scope, key) {
      q.release.run(scope.brandId, scope.caller, hashKey(key))
    },
    async sweepIdempotencyKeys(staleBefore) {
      return q.sweep.run(staleBefore).changes
    },
  }
}
