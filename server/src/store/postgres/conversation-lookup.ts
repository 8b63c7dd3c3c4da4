import type { PgTx } from './db.js'
import type { ConversationRow } from './rows.js'

// Reading one conversation row, and whether an agent takes part in it: the facts the policy module
// decides on (policy/conversation-policy.ts). A decision that leads to a write reads them with the
// row locked, so a racing close, assign or append on another node waits until this transaction ends.

/** The conversation's row, or null; `lock`: held FOR UPDATE until the transaction ends. */
export async function readConversation(tx: PgTx, brandId: string, convId: string, lock: boolean): Promise<ConversationRow | null> {
  return tx.one<ConversationRow>(
    `SELECT * FROM conversations WHERE brand_id = $1 AND conv_id = $2${lock ? ' FOR UPDATE' : ''}`, [brandId, convId])
}

/** Whether the agent has a participant row in the conversation (joined and not handed it on). */
export async function hasJoined(tx: PgTx, brandId: string, convId: string, agentId: string): Promise<boolean> {
  const r = await tx.one(
    `SELECT 1 FROM participants WHERE brand_id = $1 AND conv_id = $2 AND kind = 'agent' AND participant_id = $3`, [brandId, convId, agentId])
  return r !== null
}

/** Adds a participant (idempotent). */
export async function addParticipant(tx: PgTx, brandId: string, convId: string, kind: 'visitor' | 'agent', id: string, at: number): Promise<void> {
  await tx.run(`INSERT INTO participants (brand_id, conv_id, kind, participant_id, joined_at) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT DO NOTHING`, [brandId, convId, kind, id, at])
}
