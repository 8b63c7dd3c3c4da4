import type { AppendRequest, ConversationRecord } from '../store.js'
import type { PgTx } from './db.js'
import { type ConversationRow, jsonb, routingColumns, toConversation } from './rows.js'
import { writeSurveyResponse } from './survey-responses.js'

// A visitor's first message to a fresh id opens that conversation, inside the group commit: the
// conversation row with its context, origin, contact and routing, the visitor as its participant,
// and an offline survey's answer. The policy has already said the visitor may (writeRefusal).

/**
 * Another transaction wrote a row this batch decided could not exist (a conversation opened or a
 * client id stored by another node between our reads and our writes). The batch is run again from
 * the start, and then finds that row.
 */
export class BatchRacedError extends Error {
  constructor(what: string) {
    super(`a concurrent transaction stored ${what} first`)
    this.name = 'BatchRacedError'
  }
}

/**
 * Opens the conversation `req` writes to, with its visitor taking part; the transaction must act for
 * req.brandId. Throws BatchRacedError when another transaction opened the same id first.
 */
export async function openConversationFor(tx: PgTx, req: AppendRequest): Promise<ConversationRecord> {
  const contact = req.contact ? { name: req.contact.name, email: req.contact.email } : null
  const routing = routingColumns(req.routing ?? {})
  // One statement for both rows; DO NOTHING waits for a concurrent opener and then inserts nothing.
  const opened = await tx.one<ConversationRow>(`WITH c AS (
      INSERT INTO conversations (brand_id, conv_id, visitor_id, status, created_at, context, origin, contact, last_visitor_at, topic, skill, priority)
      VALUES ($1, $2, $3, 'open', $4, $5::jsonb, $6, $7::jsonb, $4, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING *),
    p AS (INSERT INTO participants (brand_id, conv_id, kind, participant_id, joined_at) SELECT $1, conv_id, 'visitor', $3, $4 FROM c)
    SELECT * FROM c`, [
    req.brandId, req.convId, req.from.id, req.at, jsonb(req.context), contact ? 'offline' : 'chat', jsonb(contact),
    routing.topic, routing.skill, routing.priority,
  ])
  if (!opened) throw new BatchRacedError(`conversation ${req.convId}`)
  if (req.response) await writeSurveyResponse(tx, req.brandId, req.convId, req.clientMsgId, req.response)
  return toConversation(opened)
}
