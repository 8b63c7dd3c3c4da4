import { requeueRefusal } from '../../policy/conversation-policy.js'
import type { Store } from '../store.js'
import type { PgDb } from './db.js'
import { toConversation, type ConversationRow } from './rows.js'
import { hasJoined, readConversation } from './conversation-lookup.js'
import { factsOf } from '../conversation-columns.js'

// Waiting visitors on PostgreSQL: sending a chat back to a skill's queue, how long recent chats
// waited (for estimates), and closing chats an agent holds whose visitor went quiet.

type WaitingMethods = Pick<Store, 'requeueConversation' | 'recentWaits' | 'closeIdleConversations' | 'listBrandsWithOpenChats'>

/** When a held chat went quiet: the later of the visitor's last message (or its opening) and its taking. */
const QUIET_SINCE = 'greatest(coalesce(last_visitor_at, created_at), coalesce(assigned_at, 0))'

/** QUIET_SINCE of a row read back. */
function quietSince(r: ConversationRow): number {
  return Math.max(r.last_visitor_at ?? r.created_at, r.assigned_at ?? 0)
}

/** The waiting methods of the PostgreSQL store. */
export function createWaiting(db: PgDb): WaitingMethods {
  return {
    // The chat's row is locked while the policy is asked and the chat moves, so an agent who took it
    // since the caller looked is not robbed of it: the leaver must still be one who may hand it on.
    // assigned_at stays: a retried transfer's note is told from a new one by it (relay/transfer-note.ts).
    async requeueConversation(brandId, convId, skill, leaving, at, reassigning = false) {
      return db.tx(brandId, async (tx) => {
        const conv = await readConversation(tx, brandId, convId, true)
        const joined = conv !== null && await hasJoined(tx, brandId, convId, leaving)
        const refusal = requeueRefusal(conv ? factsOf(conv) : null, joined || reassigning)
        if (refusal || !conv) return { ok: false, code: refusal ?? 'PARLEY_ERR_CONV_NOT_FOUND' } as const
        const row = (await tx.one<ConversationRow>(`UPDATE conversations SET assigned_agent = NULL, taken_at = NULL, skill = $3, queued_at = $4
          WHERE brand_id = $1 AND conv_id = $2 RETURNING *`, [brandId, convId, skill, at]))!
        await tx.run(`DELETE FROM participants WHERE brand_id = $1 AND conv_id = $2 AND kind = 'agent' AND participant_id = $3`, [brandId, convId, leaving])
        return { ok: true, conversation: toConversation(row) } as const
      })
    },
    // Only takes from a queue end a wait, measured from when the chat last entered it: a hand-over
    // keeps taken_at, a requeue clears it (conversations_taken).
    async recentWaits(brandId, since, limit) {
      const rows = await db.tx(brandId, (tx) => tx.rows<{ wait: number }>(`SELECT greatest(0, taken_at - coalesce(queued_at, created_at)) AS wait
        FROM conversations WHERE brand_id = $1 AND origin = 'chat' AND taken_at >= $2 AND taken_at >= coalesce(queued_at, created_at)
        ORDER BY taken_at DESC, id DESC LIMIT $3`, [brandId, since, Math.max(0, limit)]))
      return rows.map((r) => r.wait)
    },
    // Only chats an agent holds: a visitor waiting in the queue is waiting for us, not idle. The
    // quiet rows are locked as they are picked (their latest version checked again), and rows
    // another transaction holds are skipped: a visitor's append in flight (not quiet, then) or another
    // node's sweep (which closes them). So two nodes sweeping at once close each chat once, and a
    // message is stored either before the close (and the chat is not quiet) or refused after it.
    async closeIdleConversations(brandId, idleBefore, at, limit) {
      const rows = await db.tx(brandId, (tx) => tx.rows<ConversationRow>(`WITH quiet AS (
          SELECT id FROM conversations
          WHERE brand_id = $1 AND status = 'open' AND origin = 'chat' AND assigned_agent IS NOT NULL AND ${QUIET_SINCE} <= $2
          ORDER BY ${QUIET_SINCE}, id LIMIT $4
          FOR UPDATE SKIP LOCKED
        )
        UPDATE conversations c SET status = 'closed', closed_at = $3
        FROM quiet WHERE c.brand_id = $1 AND c.id = quiet.id AND c.status = 'open'
        RETURNING c.*`, [brandId, idleBefore, at, Math.max(0, limit)]))
      // RETURNING keeps no order: quietest first, as they were picked.
      return rows.sort((a, b) => quietSince(a) - quietSince(b) || a.id - b.id).map(toConversation)
    },
    async listBrandsWithOpenChats() {
      const rows = await db.tx(null, (tx) => tx.rows<{ brand_id: string }>('SELECT brand_id FROM parley_brands_with_open_chats() AS t(brand_id)'))
      return rows.map((r) => r.brand_id)
    },
  }
}
