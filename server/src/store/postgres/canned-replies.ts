import { MAX_CANNED_REPLIES } from '@parley/sdk/contract'
import { matchesCannedQuery } from '@parley/sdk/canned'
import type { CannedReplyOwner, CannedReplyRecord, CannedReplyResult, Store } from '../store.js'
import { type ReplyRow, toReply } from '../canned-reply-rows.js'
import type { PgDb } from './db.js'

// Canned replies on PostgreSQL: brand-wide (owner NULL) and personal, a shortcut unique per owner
// (canned_replies_shortcut, over coalesce(owner, '')). `q` is matched in JS by the function the
// console's picker uses, as in SQLite; a brand keeps at most MAX_CANNED_REPLIES, read at once.

type CannedMethods = Pick<Store, 'listCannedReplies' | 'createCannedReply' | 'updateCannedReply' | 'deleteCannedReply'>

/** The advisory lock class that serialises a brand's creates (the key's second half is the brand's hash). */
const CREATE_LOCK = 0x63_61_6e_6e // "cann"

/** The unique index a taken shortcut violates. */
const SHORTCUT_INDEX = 'canned_replies_shortcut'

// `$2` null (the API key) sees the brand's only: `owner_agent_id = NULL` is never true.
const VISIBLE = 'brand_id = $1 AND (owner_agent_id IS NULL OR owner_agent_id = $2)'

/** Whether a stored reply is the one a create would store (fields compared as the record holds them). */
function isSameReply(x: CannedReplyRecord, y: CannedReplyRecord): boolean {
  return x.scope === y.scope && x.ownerAgentId === y.ownerAgentId && x.shortcut === y.shortcut && x.title === y.title
    && x.text === y.text && x.updatedAt === y.updatedAt
}

function isShortcutTaken(err: unknown): boolean {
  const e = err as { code?: unknown; constraint?: unknown }
  return e.code === '23505' && e.constraint === SHORTCUT_INDEX
}

/** The canned reply methods of the PostgreSQL store. */
export function createCannedReplies(db: PgDb): CannedMethods {
  return {
    // By shortcut in code-point order (COLLATE "C", as SQLite's BINARY), the agent's own before the brand's.
    async listCannedReplies(owner, query) {
      const rows = await db.tx(owner.brandId, (tx) => tx.rows<ReplyRow>(`SELECT * FROM canned_replies WHERE ${VISIBLE}
        ORDER BY shortcut COLLATE "C", owner_agent_id IS NULL`, [owner.brandId, owner.agentId]))
      return rows.map(toReply)
        .filter((r) => (query.scope === undefined || r.scope === query.scope) && (query.q === undefined || matchesCannedQuery(r, query.q)))
    },
    // Count and insert under one lock per brand, so two nodes' creates cannot both pass the limit. A
    // repeat of a create that committed (its COMMIT's answer lost, db.ts) finds the same reply and
    // answers it, before the count (which now holds it); another reply under its id is refused as the
    // plain insert refuses it (23505).
    async createCannedReply(reply) {
      const stored: CannedReplyRecord = { ...reply, ownerAgentId: reply.scope === 'brand' ? null : reply.ownerAgentId }
      return db.tx(reply.brandId, async (tx): Promise<CannedReplyResult> => {
        await tx.run('SELECT pg_advisory_xact_lock($1, hashtext($2))', [CREATE_LOCK, reply.brandId])
        const existing = await tx.one<ReplyRow>('SELECT * FROM canned_replies WHERE brand_id = $1 AND reply_id = $2', [stored.brandId, stored.replyId])
        if (existing && isSameReply(toReply(existing), stored)) return { ok: true, reply: stored }
        const count = await tx.one<{ n: number }>('SELECT count(*)::integer AS n FROM canned_replies WHERE brand_id = $1', [reply.brandId])
        if (count!.n >= MAX_CANNED_REPLIES) return { ok: false, code: 'PARLEY_ERR_CANNED_LIMIT' }
        const inserted = await tx.run(`INSERT INTO canned_replies (brand_id, reply_id, owner_agent_id, shortcut, title, text, created_at, updated_at)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (brand_id, coalesce(owner_agent_id, ''), shortcut) DO NOTHING`,
        [stored.brandId, stored.replyId, stored.ownerAgentId, stored.shortcut, stored.title, stored.text, stored.updatedAt])
        return inserted > 0 ? { ok: true, reply: stored } : { ok: false, code: 'PARLEY_ERR_CANNED_SHORTCUT_TAKEN' }
      })
    },
    // A personal reply only by its owner: another agent's is not visible, so not found.
    async updateCannedReply(owner, replyId, patch, at) {
      try {
        const r = await db.tx(owner.brandId, (tx) => tx.one<ReplyRow>(`UPDATE canned_replies
          SET shortcut = coalesce($4, shortcut), title = coalesce($5, title), text = coalesce($6, text), updated_at = $7
          WHERE ${VISIBLE} AND reply_id = $3 RETURNING *`,
        [owner.brandId, owner.agentId, replyId, patch.shortcut ?? null, patch.title ?? null, patch.text ?? null, at]))
        return r ? { ok: true, reply: toReply(r) } : { ok: false, code: 'PARLEY_ERR_CANNED_NOT_FOUND' }
      } catch (err) {
        if (isShortcutTaken(err)) return { ok: false, code: 'PARLEY_ERR_CANNED_SHORTCUT_TAKEN' }
        throw err
      }
    },
    async deleteCannedReply(owner: CannedReplyOwner, replyId) {
      return (await db.tx(owner.brandId, (tx) => tx.run(`DELETE FROM canned_replies WHERE ${VISIBLE} AND reply_id = $3`, [owner.brandId, owner.agentId, replyId]))) > 0
    },
  }
}
