import type { Participant } from '@parley/sdk/contract'
import type { CloseResult, PagePosition, Store } from '../store.js'
import { closeRefusal, maySee, needsMembership } from '../../policy/conversation-policy.js'
import type { PgDb, PgTx } from './db.js'
import { type ConversationRow, jsonb, toConversation } from './rows.js'
import { hasJoined, readConversation } from './conversation-lookup.js'
import { factsOf } from '../conversation-columns.js'
import { createAssignment } from './assignment.js'
import { createQueue } from './queue.js'
import { createOpenConversation } from './open-conversation.js'
import { withoutBehaviour } from '../behavioural-context.js'

// Conversations and who takes part in them: opening, joining, assigning, closing, the queue, read
// cursors. The visitor who opened a conversation has a participant row too (their read cursor), as
// in SQLite; agents have one from joining or taking it until they hand it on. Ties between
// conversations opened at the same millisecond are broken by conv_id in byte order (COLLATE "C"),
// as SQLite's BINARY collation does, whatever the database's collation.

/** The Store methods this part implements. */
export type ConversationsMethods = Pick<Store, 'countActiveChats' | 'getConversation' | 'listParticipantConversations' | 'joinConversation' | 'isParticipant' | 'listConversationAgents' | 'closeConversation' | 'assignConversation' | 'listQueue' | 'countQueue' | 'countWaitingChats' | 'updateVisitorContext' | 'openConversation' | 'markRead'>

/** A visitor's conversations, newest first, before a position (null: from the newest). */
const VISITOR_CONVERSATIONS = `SELECT * FROM conversations c
  WHERE c.brand_id = $1 AND c.visitor_id = $2
    AND ($3::bigint IS NULL OR c.created_at < $3 OR (c.created_at = $3 AND c.conv_id < $4 COLLATE "C"))
  ORDER BY c.created_at DESC, c.conv_id COLLATE "C" DESC LIMIT $5`

/** An agent's open conversations they take part in, newest first, before a position (null: from the newest). */
const AGENT_CONVERSATIONS = `SELECT c.* FROM participants p
  JOIN conversations c ON c.brand_id = p.brand_id AND c.conv_id = p.conv_id
  WHERE p.brand_id = $1 AND p.kind = 'agent' AND p.participant_id = $2 AND c.status = 'open'
    AND ($3::bigint IS NULL OR c.created_at < $3 OR (c.created_at = $3 AND c.conv_id < $4 COLLATE "C"))
  ORDER BY c.created_at DESC, c.conv_id COLLATE "C" DESC LIMIT $5`

/**
 * Joins an agent to a conversation in one statement: the participant row (idempotent) and both read
 * cursors. The insert's row is not visible to the statement's own reads (one snapshot), so the
 * agent's cursor is the inserted row's (0) or, when they had joined before, the stored one.
 */
const JOIN = `WITH c AS (SELECT * FROM conversations WHERE brand_id = $1 AND conv_id = $2),
    ins AS (INSERT INTO participants (brand_id, conv_id, kind, participant_id, joined_at)
      SELECT $1, conv_id, 'agent', $3, $4 FROM c ON CONFLICT DO NOTHING RETURNING read_seq)
  SELECT c.*,
    coalesce((SELECT read_seq FROM ins), (SELECT read_seq FROM participants
      WHERE brand_id = $1 AND conv_id = $2 AND kind = 'agent' AND participant_id = $3), 0) AS agent_read_seq,
    coalesce((SELECT read_seq FROM participants
      WHERE brand_id = $1 AND conv_id = $2 AND kind = 'visitor' AND participant_id = c.visitor_id), 0) AS visitor_read_seq
  FROM c`

/** Closes the conversation for `by` if the policy lets them, with the row locked; closing a closed one changes nothing. */
async function close(tx: PgTx, brandId: string, convId: string, by: Participant, at: number): Promise<CloseResult> {
  const conv = await readConversation(tx, brandId, convId, true)
  const joined = !!conv && needsMembership(by) && await hasJoined(tx, brandId, convId, by.id)
  const refusal = closeRefusal(conv ? factsOf(conv) : null, by, joined)
  if (refusal || !conv) return { ok: false, code: refusal ?? 'PARLEY_ERR_CONV_NOT_FOUND' }
  const closed = await tx.one<ConversationRow>(`UPDATE conversations SET status = 'closed', closed_at = $3
    WHERE brand_id = $1 AND conv_id = $2 AND status = 'open' RETURNING *`, [brandId, convId, at])
  return { ok: true, conversation: toConversation(closed ?? conv), alreadyClosed: closed === null }
}

/** The PostgreSQL store's conversation methods over `db`. */
export function createConversations(db: PgDb): ConversationsMethods {
  return {
    ...createQueue(db),
    ...createAssignment(db),
    ...createOpenConversation(db),

    async getConversation(brandId, convId) {
      const r = await db.tx(brandId, (tx) => readConversation(tx, brandId, convId, false))
      return r ? toConversation(r) : null
    },

    async listParticipantConversations(brandId, who, limit, before?: PagePosition | null) {
      const sql = who.kind === 'visitor' ? VISITOR_CONVERSATIONS : AGENT_CONVERSATIONS
      const rows = await db.tx(brandId, (tx) => tx.rows<ConversationRow>(sql, [brandId, who.id, before?.createdAt ?? null, before?.convId ?? '', limit]))
      return rows.map(toConversation)
    },

    async joinConversation(brandId, convId, agentId, at) {
      const r = await db.tx(brandId, (tx) => tx.one<ConversationRow & { agent_read_seq: number; visitor_read_seq: number }>(JOIN, [brandId, convId, agentId, at]))
      return r ? { ...toConversation(r), readSeq: r.agent_read_seq, visitorReadSeq: r.visitor_read_seq } : null
    },

    async isParticipant(brandId, convId, who) {
      return db.tx(brandId, async (tx) => {
        const conv = await readConversation(tx, brandId, convId, false)
        if (!conv) return false
        return maySee(factsOf(conv), who, needsMembership(who) && await hasJoined(tx, brandId, convId, who.id))
      })
    },

    async listConversationAgents(brandId, convId) {
      const rows = await db.tx(brandId, (tx) => tx.rows<{ participant_id: string }>(`SELECT participant_id FROM participants
        WHERE brand_id = $1 AND conv_id = $2 AND kind = 'agent' ORDER BY joined_at, participant_id COLLATE "C"`, [brandId, convId]))
      return rows.map((r) => r.participant_id)
    },

    async closeConversation(brandId, convId, by, at) {
      return db.tx(brandId, (tx) => close(tx, brandId, convId, by, at))
    },

    async updateVisitorContext(brandId, visitorId, context) {
      const rows = await db.tx(brandId, async (tx) => {
        // The conversations, then the visitor's row (shared), in the order recordConsent locks them:
        // a denial committing meanwhile is seen here, so no behavioural value is written after it.
        await tx.run(`SELECT 1 FROM conversations WHERE brand_id = $1 AND visitor_id = $2 AND status = 'open' ORDER BY conv_id FOR UPDATE`, [brandId, visitorId])
        const visitor = await tx.one<{ consent: string | null }>('SELECT consent FROM visitors WHERE brand_id = $1 AND visitor_id = $2 FOR SHARE', [brandId, visitorId])
        const stored = visitor?.consent === 'denied' ? withoutBehaviour(context) : context
        return tx.rows<ConversationRow>(`UPDATE conversations SET context = $3::jsonb
          WHERE brand_id = $1 AND visitor_id = $2 AND status = 'open' RETURNING *`, [brandId, visitorId, jsonb(stored)])
      })
      return rows.map(toConversation)
    },

    async markRead(brandId, convId, who, seq) {
      // No participant row (an agent who never joined, an unknown conversation): nothing to move.
      const r = await db.tx(brandId, (tx) => tx.one<{ read_seq: number }>(`UPDATE participants SET read_seq = greatest(read_seq, $5)
        WHERE brand_id = $1 AND conv_id = $2 AND kind = $3 AND participant_id = $4 RETURNING read_seq`, [brandId, convId, who.kind, who.id, seq]))
      return r?.read_seq ?? 0
    },
  }
}
