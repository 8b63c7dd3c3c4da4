import type Database from 'better-sqlite3'
import type { Store } from '../store.js'

// Token ids refused until a time (migration 15): a logged-out visitor session's `sid`, and the
// identity tokens the visit verified with (recorded per visit as they are used, refused together
// when it ends). A refusal given twice lasts until the later time.

type RevokedIdMethods = Pick<Store, 'revokeTokenIds' | 'isTokenIdRevoked' | 'pruneRevokedTokenIds' | 'recordIdentityToken' | 'endVisit'>

/** The refused token id methods of the SQLite store. */
export function createRevokedTokenIds(db: Database.Database): RevokedIdMethods {
  const q = {
    insert: db.prepare(`INSERT INTO revoked_token_ids (brand_id, id, until) VALUES (?, ?, ?)
      ON CONFLICT (brand_id, id) DO UPDATE SET until = max(until, excluded.until)`),
    revoked: db.prepare<[string, string, number], { one: number }>('SELECT 1 AS one FROM revoked_token_ids WHERE brand_id = ? AND id = ? AND until > ?'),
    prune: db.prepare(`DELETE FROM revoked_token_ids WHERE (brand_id, id) IN
      (SELECT brand_id, id FROM revoked_token_ids WHERE until <= ? ORDER BY until LIMIT ?)`),
    ended: db.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM revoked_token_ids WHERE brand_id = ? AND id = ?'),
    record: db.prepare(`INSERT INTO visit_identity_tokens (brand_id, sid, digest, until) VALUES (?, ?, ?, ?)
      ON CONFLICT (brand_id, sid, digest) DO UPDATE SET until = max(until, excluded.until)`),
    used: db.prepare<[string, string], { digest: string; until: number }>('SELECT digest, until FROM visit_identity_tokens WHERE brand_id = ? AND sid = ?'),
    pruneUsed: db.prepare(`DELETE FROM visit_identity_tokens WHERE (brand_id, sid, digest) IN
      (SELECT brand_id, sid, digest FROM visit_identity_tokens WHERE until <= ? ORDER BY until LIMIT ?)`),
  }
  const revokeTx = db.transaction((brandId: string, ids: readonly { id: string; until: number }[]) => {
    for (const r of ids) q.insert.run(brandId, r.id, r.until)
  })
  const recordTx = db.transaction((brandId: string, sid: string, digest: string, until: number): boolean => {
    if (q.ended.get(brandId, sid) !== undefined) return false
    q.record.run(brandId, sid, digest, until)
    return true
  })
  const endTx = db.transaction((brandId: string, sid: string, until: number) => {
    q.insert.run(brandId, sid, until)
    for (const u of q.used.all(brandId, sid)) q.insert.run(brandId, u.digest, u.until)
  })
  return {
    async revokeTokenIds(brandId, ids) { if (ids.length > 0) revokeTx.immediate(brandId, ids) },
    async isTokenIdRevoked(brandId, id, now) { return q.revoked.get(brandId, id, now) !== undefined },
    async pruneRevokedTokenIds(now, limit) { return q.prune.run(now, limit).changes + q.pruneUsed.run(now, limit).changes },
    async recordIdentityToken(brandId, sid, digest, until) { return recordTx.immediate(brandId, sid, digest, until) },
    async endVisit(brandId, sid, until) { endTx.immediate(brandId, sid, until) },
  }
}
