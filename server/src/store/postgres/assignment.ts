import type { AssignResult, Store } from '../store.js'
import { assignRefusal } from '../../policy/conversation-policy.js'
import type { PgDb, PgTx } from './db.js'
import { type ConversationRow, toConversation } from './rows.js'
import { addParticipant, readConversation } from './conversation-lookup.js'
import { factsOf } from '../conversation-columns.js'

// Assigning a conversation: an agent accepting it from the queue (onlyIfWaiting), or someone handing
// it to an agent. The row is read FOR UPDATE, so of agents on several nodes accepting the same
// waiting chat at once, the first takes it and the others find it held (CONV_ASSIGNED), and a close
// racing an assign sees the assign done or not begun.

/** Options of assignConversation. */
interface AssignOptions {
  onlyIfWaiting: boolean
  /** The agent handing it on (stops taking part in it unless it goes to them); null: none. */
  leaving: string | null
}

/** Whether the brand has this agent. */
async function agentExists(tx: PgTx, brandId: string, agentId: string): Promise<boolean> {
  return (await tx.one('SELECT 1 FROM agents WHERE brand_id = $1 AND agent_id = $2', [brandId, agentId])) !== null
}

/**
 * Writes the new holder: taken from the queue (nobody held it) sets taken_at too, the end of a wait
 * as recentWaits counts them.
 */
async function setHolder(tx: PgTx, conv: ConversationRow, agentId: string, at: number): Promise<ConversationRow> {
  const taken = conv.assigned_agent === null
  return (await tx.one<ConversationRow>(`UPDATE conversations SET assigned_agent = $3, assigned_at = $4${taken ? ', taken_at = $4' : ''}
    WHERE brand_id = $1 AND conv_id = $2 RETURNING *`, [conv.brand_id, conv.conv_id, agentId, at]))!
}

async function assign(tx: PgTx, brandId: string, convId: string, agentId: string, at: number, opts: AssignOptions): Promise<AssignResult> {
  const conv = await readConversation(tx, brandId, convId, true)
  const known = conv !== null && conv.status === 'open' && await agentExists(tx, brandId, agentId)
  const refusal = assignRefusal(conv ? factsOf(conv) : null, { id: agentId, known }, opts.onlyIfWaiting)
  if (refusal || !conv) return { ok: false, code: refusal ?? 'PARLEY_ERR_CONV_NOT_FOUND' }
  const changed = conv.assigned_agent !== agentId
  const row = changed ? await setHolder(tx, conv, agentId, at) : conv
  await addParticipant(tx, brandId, convId, 'agent', agentId, at)
  if (opts.leaving !== null && opts.leaving !== agentId) {
    await tx.run(`DELETE FROM participants WHERE brand_id = $1 AND conv_id = $2 AND kind = 'agent' AND participant_id = $3`, [brandId, convId, opts.leaving])
  }
  return { ok: true, conversation: toConversation(row), changed }
}

/** The assignConversation method of the PostgreSQL store over `db`. */
export function createAssignment(db: PgDb): Pick<Store, 'assignConversation'> {
  return {
    async assignConversation(brandId, convId, agentId, at, opts) {
      return db.tx(brandId, (tx) => assign(tx, brandId, convId, agentId, at, { onlyIfWaiting: opts.onlyIfWaiting, leaving: opts.leaving ?? null }))
    },
  }
}
