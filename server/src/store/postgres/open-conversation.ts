import type { OpenConversationRequest, OpenConversationResult, Store } from '../store.js'
import { maySee } from '../../policy/conversation-policy.js'
import type { PgDb, PgTx } from './db.js'
import { type ConversationRow, toConversation } from './rows.js'
import { readConversation } from './conversation-lookup.js'
import { factsOf, routingColumns } from '../conversation-columns.js'
import { contactOf, insertConversations } from './conversation-insert.js'
import { writeSurveyResponse } from './survey-responses.js'

// A visitor opening a conversation explicitly (conversation.open) with the pre-chat answer, its
// routing and contact, all in one transaction. Idempotent: the insert does nothing when the
// conversation exists (opened by a retry of this open, or by the visitor's first message on another
// node, which the insert waits for), and the existing row is then read locked and judged instead.

/** Inserts the conversation (its visitor taking part) unless it exists; the new row, or null when it existed. */
async function insertConversation(tx: PgTx, req: OpenConversationRequest): Promise<ConversationRow | null> {
  const [row] = await insertConversations(tx, req.brandId, [{
    convId: req.convId, visitorId: req.visitorId, at: req.at, context: req.context, origin: 'chat', contact: req.contact, routing: req.routing,
  }])
  return row ?? null
}

/**
 * The open of a conversation that exists: another visitor's is not found; the visitor's own is
 * found, and gets the answer, routing and contact only if a first message opened it without this
 * survey's answer (the outbox sends both; the answers are still the visitor's, kept once).
 */
async function reopen(tx: PgTx, req: OpenConversationRequest): Promise<OpenConversationResult> {
  const existing = await readConversation(tx, req.brandId, req.convId, true)
  // Gone between the insert and this read cannot happen (conversations are never deleted); treated as not found.
  if (!existing || !maySee(factsOf(existing), { kind: 'visitor', id: req.visitorId }, false)) return { ok: false, code: 'PARLEY_ERR_CONV_NOT_FOUND' }
  if (!req.response || !await writeSurveyResponse(tx, req.brandId, req.convId, req.clientMsgId, req.response)) {
    return { ok: true, conversation: toConversation(existing), created: false }
  }
  const r = routingColumns(req.routing)
  const row = await tx.one<ConversationRow>(`UPDATE conversations SET topic = $3, skill = $4, priority = $5, contact = coalesce(contact, $6::jsonb)
    WHERE brand_id = $1 AND conv_id = $2 RETURNING *`, [req.brandId, req.convId, r.topic, r.skill, r.priority, contactOf(req.contact)])
  return { ok: true, conversation: toConversation(row!), created: false }
}

async function open(tx: PgTx, req: OpenConversationRequest): Promise<OpenConversationResult> {
  const created = await insertConversation(tx, req)
  if (!created) return reopen(tx, req)
  if (req.response) await writeSurveyResponse(tx, req.brandId, req.convId, req.clientMsgId, req.response)
  return { ok: true, conversation: toConversation(created), created: true }
}

/** The openConversation method of the PostgreSQL store over `db`. */
export function createOpenConversation(db: PgDb): Pick<Store, 'openConversation'> {
  return {
    async openConversation(req) { return db.tx(req.brandId, (tx) => open(tx, req)) },
  }
}
