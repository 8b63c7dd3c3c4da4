import type { Store } from '../store.js'
import type { PgDb } from './db.js'

// Token ids refused until a time: a visitor session's `sid` after logout, and the identity tokens
// the visit verified with (recorded per visit as they are used, refused together when it ends).
// Pruned across brands by parley_prune_revoked_token_ids (schema/005-access.ts).

type RevokedTokenMethods = Pick<Store, 'revokeTokenIds' | 'isTokenIdRevoked' | 'pruneRevokedTokenIds' | 'recordIdentityToken' | 'endVisit'>

/** Serialises recording and ending one visit, so a token recorded as the visit ends is either refused with it or not recorded. */
const LOCK_VISIT = "SELECT pg_advisory_xact_lock(hashtext('parley-visit:' || $1 || '/' || $2))"

/** The Store's refused token id methods over `db`. */
export function createRevokedTokens(db: PgDb): RevokedTokenMethods {
  return {
    async revokeTokenIds(brandId, ids) {
      if (ids.length === 0) return
      // Refused again: the later of the two times holds, so a refusal is never shortened.
      await db.tx(brandId, (tx) => tx.run(`INSERT INTO revoked_token_ids (brand_id, token_id, until)
        SELECT $1, t.id, max(t.until) FROM unnest($2::text[], $3::bigint[]) AS t (id, until) GROUP BY t.id
        ON CONFLICT (brand_id, token_id) DO UPDATE SET until = greatest(revoked_token_ids.until, excluded.until)`,
      [brandId, ids.map((i) => i.id), ids.map((i) => i.until)]))
    },
    async isTokenIdRevoked(brandId, id, now) {
      return db.tx(brandId, async (tx) => (await tx.one('SELECT 1 FROM revoked_token_ids WHERE brand_id = $1 AND token_id = $2 AND until > $3',
        [brandId, id, now])) !== null)
    },
    async recordIdentityToken(brandId, sid, digest, until) {
      return db.tx(brandId, async (tx) => {
        await tx.run(LOCK_VISIT, [brandId, sid])
        if (await tx.one('SELECT 1 FROM revoked_token_ids WHERE brand_id = $1 AND token_id = $2', [brandId, sid]) !== null) return false
        await tx.run(`INSERT INTO visit_identity_tokens (brand_id, sid, digest, until) VALUES ($1, $2, $3, $4)
          ON CONFLICT (brand_id, sid, digest) DO UPDATE SET until = greatest(visit_identity_tokens.until, excluded.until)`, [brandId, sid, digest, until])
        return true
      })
    },
    async endVisit(brandId, sid, until) {
      await db.tx(brandId, async (tx) => {
        await tx.run(LOCK_VISIT, [brandId, sid])
        await tx.run(`INSERT INTO revoked_token_ids (brand_id, token_id, until)
          SELECT $1, $2, $3::bigint UNION ALL SELECT brand_id, digest, until FROM visit_identity_tokens WHERE brand_id = $1 AND sid = $2
          ON CONFLICT (brand_id, token_id) DO UPDATE SET until = greatest(revoked_token_ids.until, excluded.until)`, [brandId, sid, until])
      })
    },
    async pruneRevokedTokenIds(now, limit) {
      return db.tx(null, async (tx) => (await tx.one<{ n: number }>('SELECT parley_prune_revoked_token_ids($1, $2) AS n', [now, limit]))?.n ?? 0)
    },
  }
}
