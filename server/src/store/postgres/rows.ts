import { PRIORITIES, type OfflineContact, type Routing, type VisitorContext } from '@parley/sdk/contract'
import type { ConversationRecord } from '../store.js'

// Rows of the PostgreSQL store as `pg` returns them (jsonb parsed, bigint as number: db.ts), and their
// mapping to the Store's records. Shared by every part of the store that reads conversations.

/** A conversations row (`SELECT *`). */
export interface ConversationRow {
  id: number; brand_id: string; conv_id: string; visitor_id: string; status: 'open' | 'closed'
  created_at: number; closed_at: number | null; last_seq: number; context: VisitorContext | null
  assigned_agent: string | null; assigned_at: number | null; taken_at: number | null; queued_at: number | null
  last_visitor_at: number | null; origin: 'chat' | 'offline'; contact: OfflineContact | null
  topic: string | null; skill: string | null; priority: number
}

/** The record for a conversations row. */
export function toConversation(r: ConversationRow): ConversationRecord {
  return {
    brandId: r.brand_id, convId: r.conv_id, visitorId: r.visitor_id, status: r.status,
    createdAt: r.created_at, closedAt: r.closed_at, lastSeq: r.last_seq, context: r.context,
    assignedAgentId: r.assigned_agent, origin: r.origin, contact: r.contact,
    routing: routingOf(r), assignedAt: r.assigned_at,
    ...(r.queued_at !== null ? { queuedAt: r.queued_at } : {}),
  }
}

/** The routing columns as a Routing: absent values left out; priority 1 (normal, the default) too. */
export function routingOf(r: Pick<ConversationRow, 'topic' | 'skill' | 'priority'>): Routing {
  const routing: Routing = {}
  if (r.topic) routing.topic = r.topic
  if (r.skill) routing.skill = r.skill
  if (r.priority !== 1) routing.priority = PRIORITIES[r.priority]
  return routing
}

/** The routing columns' values for a Routing: priority as its index (0 low … 3 urgent), normal when unset. */
export function routingColumns(routing: Routing): { topic: string | null; skill: string | null; priority: number } {
  return { topic: routing.topic ?? null, skill: routing.skill ?? null, priority: PRIORITIES.indexOf(routing.priority ?? 'normal') }
}

/**
 * A jsonb parameter: `pg` would send a JS array as a PostgreSQL array, so every document goes as JSON
 * text. jsonb cannot hold U+0000 (SQLite can): a string value carrying one stores U+FFFD in its place
 * instead of failing the statement, and with it a whole group commit (db.ts does the same for text).
 */
export function jsonb(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value, withoutNul)
}

function withoutNul(_key: string, v: unknown): unknown {
  return typeof v === 'string' && v.includes('\u0000') ? v.replaceAll('\u0000', '\uFFFD') : v
}
