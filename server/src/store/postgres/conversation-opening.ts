import type { Survey, SurveyResponse } from '@parley/sdk/contract'
import type { AppendRequest, ConversationRecord } from '../store.js'
import { routingOf } from '../sqlite/rows.js'
import { routingColumns, scoresOf } from '../sqlite/survey-rows.js'
import type { PgTx } from './db.js'

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

/** Stores an answer given with the opening message, its csat/nps read off the survey version it answers. */
async function insertResponse(tx: PgTx, req: AppendRequest, r: SurveyResponse): Promise<void> {
  const stored = await tx.one<{ definition: Survey }>('SELECT definition FROM survey_versions WHERE brand_id = $1 AND survey_id = $2 AND version = $3',
    [req.brandId, r.surveyId, r.version])
  const { csat, nps } = scoresOf(stored?.definition ?? null, r.answers)
  await tx.run(`INSERT INTO survey_responses (brand_id, conv_id, survey_id, version, kind, client_msg_id, language, answers, consents, labels, csat, nps, at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10::jsonb, $11, $12, $13)`, [
    req.brandId, req.convId, r.surveyId, r.version, r.kind, req.clientMsgId, r.language ?? null, JSON.stringify(r.answers),
    r.consents ? JSON.stringify(r.consents) : null, r.labels ? JSON.stringify(r.labels) : null, csat, nps, r.at,
  ])
}

/**
 * Opens the conversation `req` writes to, with its visitor taking part; the transaction must act for
 * req.brandId. Throws BatchRacedError when another transaction opened the same id first.
 */
export async function openConversationFor(tx: PgTx, req: AppendRequest): Promise<ConversationRecord> {
  const origin = req.contact ? 'offline' : 'chat'
  const contact = req.contact ? { name: req.contact.name, email: req.contact.email } : null
  const routing = routingColumns(req.routing ?? {})
  // One statement for both rows; DO NOTHING waits for a concurrent opener and then inserts nothing.
  const opened = await tx.one<{ conv_id: string }>(`WITH c AS (
      INSERT INTO conversations (brand_id, conv_id, visitor_id, status, created_at, context, origin, contact, last_visitor_at, topic, skill, priority)
      VALUES ($1, $2, $3, 'open', $4, $5::jsonb, $6, $7::jsonb, $4, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING conv_id)
    INSERT INTO participants (brand_id, conv_id, kind, participant_id, joined_at)
    SELECT $1, conv_id, 'visitor', $3, $4 FROM c RETURNING conv_id`, [
    req.brandId, req.convId, req.from.id, req.at, req.context ? JSON.stringify(req.context) : null, origin,
    contact ? JSON.stringify(contact) : null, routing.topic, routing.skill, routing.priority,
  ])
  if (!opened) throw new BatchRacedError(`conversation ${req.convId}`)
  if (req.response) await insertResponse(tx, req, req.response)
  return {
    brandId: req.brandId, convId: req.convId, visitorId: req.from.id, status: 'open', createdAt: req.at, closedAt: null,
    lastSeq: 0, context: req.context, assignedAgentId: null, origin, contact, routing: routingOf(routing), assignedAt: null,
  }
}
