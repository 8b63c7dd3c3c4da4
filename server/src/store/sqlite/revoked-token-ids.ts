import type Database from 'better-sqlite3'
import type { Store } from '../store.js'

// Token ids refused until a time (migration 15): a logged-out visitor session's `sid`, a spent
// identity token's digest. A refusal given twice lasts until the later time.

type RevokedIdMethods = Pick<Store, 'revokeTokenIds' | 'isTokenIdRevoked' | 'pruneRevokedTokenIds'>

/** The refused token id methods of the SQLite store. */
export function createRevokedTokenIds(db: Database.Database): RevokedIdMethods {
  const q = {
    insert: db.prepare(`INSERT INTO revoked_token_ids (brand_id, id, until) VALUES (?, ?, ?)
      ON CONFLICT (brand_id, id) DO UPDATE SET until = max(until, excluded.until)`),
    revoked: db.prepare<[string, string, number], { one: number }>('SELECT 1 AS one FROM revoked_token_ids WHERE brand_id = ? AND id = ? AND until > ?'),
    prune: db.prepare(`DELETE FROM revoked_token_ids WHERE (brand_id, id) IN
      (SELECT brand_id, id FROM revoked_token_ids WHERE until <= ? ORDER BY until LIMIT ?)`),
  }
  const revokeTx = db.transaction((brandId: string, ids: readonly { id: string; until: number }[]) => {
    for (const r of ids) q.insert.run(brandId, r.id, r.until)
  })
  return {
    async revokeTokenIds(brandId, ids) { if (ids.length > 0) revokeTx.immediate(brandId, ids) },
    async isTokenIdRevoked(brandId, id, now) { return q.revoked.get(brandId, id, now) !== undefined },
    async pruneRevokedTokenIds(now, limit) { return q.prune.run(now, limit).changes },
  }
}
