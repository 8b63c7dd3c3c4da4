import type { IdempotencyClaim, IdempotencyScope, Store } from '../store.js'
import { hashKey, isLive, type KeyRow, toRecord } from '../idempotency-rows.js'
import type { PgDb, PgTx } from './db.js'

// Idempotency-Keys per brand and caller. The key is stored as its sha-256, so a key a client built
// from something private stays out of the database; the fingerprint already is a hash. Claims are
// atomic across relay nodes: the insert of a new key and the row lock on a stored one decide which
// of two claims at once wins.

type IdempotencyMethods = Pick<Store, 'claimIdempotencyKey' | 'completeIdempotencyKey' | 'releaseIdempotencyKey' | 'sweepIdempotencyKeys'>

/** How many times a claim looks again when the stored key it saw vanished under it (released, swept). */
const CLAIM_ATTEMPTS = 5

interface Claim { s: IdempotencyScope; keyHash: string; fingerprint: string; now: number; staleBefore: number; abandonedBefore: number }

/** One claim inside a transaction naming the scope's brand; null when the row it saw is gone (look again). */
async function claimOnce(tx: PgTx, c: Claim): Promise<IdempotencyClaim | null> {
  const key = [c.s.brandId, c.s.caller, c.keyHash]
  // A claim of the same new key by another node waits here until that one commits, then inserts nothing.
  const inserted = await tx.run(`INSERT INTO idempotency_keys (brand_id, caller, key_hash, fingerprint, status, body, created_at)
    VALUES ($1, $2, $3, $4, NULL, NULL, $5) ON CONFLICT DO NOTHING`, [...key, c.fingerprint, c.now])
  if (inserted > 0) return { claimed: true }
  // Stored: lock it, so of two claims replacing a stale or abandoned key one replaces it and the
  // other (READ COMMITTED reads the row again once the lock is free) finds it live.
  const row = await tx.one<KeyRow>(`SELECT fingerprint, status, body, created_at FROM idempotency_keys
    WHERE brand_id = $1 AND caller = $2 AND key_hash = $3 FOR UPDATE`, key)
  if (!row) return null
  if (isLive(row, c.staleBefore, c.abandonedBefore)) return { claimed: false, record: toRecord(row) }
  await tx.run(`UPDATE idempotency_keys SET fingerprint = $4, status = NULL, body = NULL, created_at = $5
    WHERE brand_id = $1 AND caller = $2 AND key_hash = $3`, [...key, c.fingerprint, c.now])
  return { claimed: true }
}

/** The Store's Idempotency-Key methods over `db`. */
export function createIdempotencyKeys(db: PgDb): IdempotencyMethods {
  return {
    async claimIdempotencyKey(s, key, fingerprint, now, staleBefore, abandonedBefore) {
      const c: Claim = { s, keyHash: hashKey(key), fingerprint, now, staleBefore, abandonedBefore }
      return db.tx(s.brandId, async (tx) => {
        for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
          const out = await claimOnce(tx, c)
          if (out) return out
        }
        throw new Error('Idempotency-Key claim: the key kept vanishing under the claim')
      })
    },
    async completeIdempotencyKey(s, key, status, body) {
      await db.tx(s.brandId, (tx) => tx.run(`UPDATE idempotency_keys SET status = $4, body = $5
        WHERE brand_id = $1 AND caller = $2 AND key_hash = $3 AND status IS NULL`, [s.brandId, s.caller, hashKey(key), status, body]))
    },
    async releaseIdempotencyKey(s, key) {
      await db.tx(s.brandId, (tx) => tx.run(`DELETE FROM idempotency_keys
        WHERE brand_id = $1 AND caller = $2 AND key_hash = $3 AND status IS NULL`, [s.brandId, s.caller, hashKey(key)]))
    },
    async sweepIdempotencyKeys(staleBefore) {
      // Every brand's keys: a cross-brand function (schema/002-tenancy.ts).
      return db.tx(null, async (tx) => (await tx.one<{ n: number }>('SELECT parley_sweep_idempotency_keys($1) AS n', [staleBefore]))?.n ?? 0)
    },
  }
}
