import type Database from 'better-sqlite3'
import { MAX_CANNED_REPLIES } from '@parley/sdk/contract'
import { matchesCannedQuery } from '@parley/sdk/canned'
import type { CannedReplyRecord, CannedReplyResult, Store } from '../store.js'
import { type ReplyRow, toReply } from '../canned-reply-rows.js'

// Canned replies in SQLite (migration 11): brand-wide (owner NULL) and personal, unique shortcut per
// owner (the unique index over coalesce(owner, '')). `q` is matched in JS by the same function the
// console's picker uses, not by LIKE: SQLite folds the case of ASCII letters only, so "ÉTÉ" would
// miss "été"; a brand keeps at most MAX_CANNED_REPLIES, which one indexed read returns at once.

type CannedMethods = Pick<Store, 'listCannedReplies' | 'createCannedReply' | 'updateCannedReply' | 'deleteCannedReply'>

function isUniqueViolation(e: unknown): boolean {
  return (e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE'
}

/** The canned reply methods of the SQLite store. */
export function createCannedReplies(db: Database.Database): CannedMethods {
  // `@agent` null (the API key) sees the brand's only: `owner_agent_id = NULL` is never true.
  const visible = `brand_id = @brand AND (owner_agent_id IS NULL OR owner_agent_id = @agent)`
  const q = {
    list: db.prepare<{ brand: string; agent: string | null }, ReplyRow>(`SELECT * FROM canned_replies WHERE ${visible} ORDER BY shortcut, owner_agent_id IS NULL`),
    count: db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM canned_replies WHERE brand_id = ?'),
    insert: db.prepare(`INSERT INTO canned_replies (brand_id, reply_id, owner_agent_id, shortcut, title, text, created_at, updated_at)
      VALUES (@brandId, @replyId, @ownerAgentId, @shortcut, @title, @text, @updatedAt, @updatedAt)`),
    update: db.prepare<{ brand: string; agent: string | null; reply: string; shortcut: string | null; title: string | null; text: string | null; at: number }, ReplyRow>(
      `UPDATE canned_replies SET shortcut = coalesce(@shortcut, shortcut), title = coalesce(@title, title), text = coalesce(@text, text), updated_at = @at
      WHERE ${visible} AND reply_id = @reply RETURNING *`),
    delete: db.prepare<{ brand: string; agent: string | null; reply: string }>(`DELETE FROM canned_replies WHERE ${visible} AND reply_id = @reply`),
  }
  // Count and insert in one write transaction, so two relays' creates cannot both pass the limit.
  const createTx = db.transaction((reply: CannedReplyRecord): CannedReplyResult => {
    if (q.count.get(reply.brandId)!.n >= MAX_CANNED_REPLIES) return { ok: false, code: 'PARLEY_ERR_CANNED_LIMIT' }
    try {
      q.insert.run({ ...reply, ownerAgentId: reply.scope === 'brand' ? null : reply.ownerAgentId })
    } catch (e) {
      if (isUniqueViolation(e)) return { ok: false, code: 'PARLEY_ERR_CANNED_SHORTCUT_TAKEN' }
      throw e
    }
    return { ok: true, reply: { ...reply, ownerAgentId: reply.scope === 'brand' ? null : reply.ownerAgentId } }
  })
  return {
    async listCannedReplies(owner, query) {
      const rows = q.list.all({ brand: owner.brandId, agent: owner.agentId }).map(toReply)
      return rows.filter((r) => (query.scope === undefined || r.scope === query.scope) && (query.q === undefined || matchesCannedQuery(r, query.q)))
    },
    async createCannedReply(reply) { return createTx.immediate(reply) },
    async updateCannedReply(owner, replyId, patch, at) {
      try {
        const r = q.update.get({
          brand: owner.brandId, agent: owner.agentId, reply: replyId, at,
          shortcut: patch.shortcut ?? null, title: patch.title ?? null, text: patch.text ?? null,
        })
        return r ? { ok: true, reply: toReply(r) } : { ok: false, code: 'PARLEY_ERR_CANNED_NOT_FOUND' }
      } catch (e) {
        if (isUniqueViolation(e)) return { ok: false, code: 'PARLEY_ERR_CANNED_SHORTCUT_TAKEN' }
        throw e
      }
    },
    async deleteCannedReply(owner, replyId) {
      return q.delete.run({ brand: owner.brandId, agent: owner.agentId, reply: replyId }).changes > 0
    },
  }
}
