import type { OfflineContact, Routing, VisitorContext } from '@parley/sdk/contract'
import type { PgTx } from './db.js'
import { type ConversationRow, jsonb } from './rows.js'
import { routingColumns } from '../conversation-columns.js'
import { BEHAVIOURAL_KEYS, gatedContextSql } from './consent.js'

// The one writer of new conversation rows: a visitor's explicit open (open-conversation.ts) and the
// first messages of a group commit (conversation-opening.ts). One statement inserts any number of a
// brand's conversations, each with its visitor as a participant (their read cursor), so a batch of
// first messages opens its conversations in one round trip, not one each. A visitor who denied
// consent (consent.ts) gets the context without its behavioural values.

/** A conversation to open. */
export interface NewConversation {
  convId: string
  visitorId: string
  at: number
  context: VisitorContext | null
  origin: 'chat' | 'offline'
  /** The offline form's contact: only its name and e-mail are kept. */
  contact: OfflineContact | null | undefined
  routing: Routing
}

/** The contact as stored: the name and e-mail only, as jsonb text. */
export function contactOf(contact: OfflineContact | null | undefined): string | null {
  return contact ? jsonb({ name: contact.name, email: contact.email }) : null
}

/**
 * Inserts the brand's conversations (and their visitors as participants) that do not exist; the new
 * rows, in no particular order. An id that exists (or that a concurrent transaction inserts: DO
 * NOTHING waits for it) gets no row back. The transaction must act for `brandId`.
 */
export async function insertConversations(tx: PgTx, brandId: string, convs: readonly NewConversation[]): Promise<ConversationRow[]> {
  if (convs.length === 0) return []
  // The visitors' rows first (shared), as recordConsent and updateVisitorContext lock them after
  // the conversations: a denial committing meanwhile is seen by the insert, a statement of its own.
  await tx.run('SELECT 1 FROM visitors WHERE brand_id = $1 AND visitor_id = ANY($2) ORDER BY visitor_id FOR SHARE',
    [brandId, [...new Set(convs.map((c) => c.visitorId))]])
  const routing = convs.map((c) => routingColumns(c.routing))
  return tx.rows<ConversationRow>(`WITH c AS (
      INSERT INTO conversations (brand_id, conv_id, visitor_id, status, created_at, context, origin, contact, last_visitor_at, topic, skill, priority)
      SELECT $1, n.conv_id, n.visitor_id, 'open', n.at, ${gatedContextSql('n.context::jsonb', '$1', 'n.visitor_id', '$11')}, n.origin, n.contact::jsonb, n.at, n.topic, n.skill, n.priority
      FROM unnest($2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::int[])
        AS n(conv_id, visitor_id, at, context, origin, contact, topic, skill, priority)
      ON CONFLICT DO NOTHING RETURNING *),
    p AS (INSERT INTO participants (brand_id, conv_id, kind, participant_id, joined_at)
      SELECT $1, conv_id, 'visitor', visitor_id, created_at FROM c ON CONFLICT DO NOTHING)
    SELECT * FROM c`, [
    brandId, convs.map((c) => c.convId), convs.map((c) => c.visitorId), convs.map((c) => c.at), convs.map((c) => jsonb(c.context)),
    convs.map((c) => c.origin), convs.map((c) => contactOf(c.contact)),
    routing.map((r) => r.topic), routing.map((r) => r.skill), routing.map((r) => r.priority), BEHAVIOURAL_KEYS,
  ])
}
