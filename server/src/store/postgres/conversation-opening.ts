import type { AppendRequest, ConversationRecord } from '../store.js'
import type { PgTx } from './db.js'
import { toConversation } from './rows.js'
import { insertConversations } from './conversation-insert.js'
import { writeSurveyResponse } from './survey-responses.js'

// A visitor's first message to a fresh id opens that conversation, inside the group commit: the
// conversation row with its context, origin, contact and routing, the visitor as its participant,
// and an offline survey's answer. A batch's first messages open theirs together, one statement per
// brand. The policy has already said the visitor may (writeRefusal).

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
 * Opens the conversations the requests (first messages to fresh ids, one per id, all of `brandId`)
 * write to, each with its visitor taking part, in one statement; the records by conv_id. The
 * transaction must act for `brandId`. Throws BatchRacedError when another transaction opened one of
 * the ids first.
 */
export async function openConversationsFor(tx: PgTx, brandId: string, reqs: readonly AppendRequest[]): Promise<Map<string, ConversationRecord>> {
  const rows = await insertConversations(tx, brandId, reqs.map((req) => ({
    convId: req.convId, visitorId: req.from.id, at: req.at, context: req.context, origin: req.contact ? 'offline' : 'chat',
    contact: req.contact, routing: req.routing ?? {},
  })))
  if (rows.length !== reqs.length) throw new BatchRacedError(`one of the batch's ${reqs.length} new conversations`)
  // An offline survey's answer comes with its first message: rare, one statement each.
  for (const req of reqs) if (req.response) await writeSurveyResponse(tx, brandId, req.convId, req.clientMsgId, req.response)
  return new Map(rows.map((r) => [r.conv_id, toConversation(r)]))
}
