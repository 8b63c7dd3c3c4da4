import { PRIORITIES, type OfflineContact, type Routing, type VisitorContext } from '@parley/sdk/contract'
import type { ConversationRecord } from '../store.js'

// A conversations row as the pg driver returns it (bigints as numbers, jsonb parsed), and its record.

/** A row of the conversations table (schema/001-core.ts). */
export interface ConversationRow {
  id: number; brand_id: string; conv_id: string; visitor_id: string; status: 'open' | 'closed'
  created_at: number; closed_at: number | null; last_seq: number; context: VisitorContext | null
  assigned_agent: string | null; assigned_at: number | null; taken_at: number | null; queued_at: number | null
  last_visitor_at: number | null; origin: 'chat' | 'offline'; contact: OfflineContact | null
  topic: string | null; skill: string | null; priority: number
}

/** The routing columns as a Routing: absent values left out, and priority 1 (normal, the default) too. */
function routingOf(r: ConversationRow): Routing {
  const routing: Routing = {}
  if (r.topic) routing.topic = r.topic
  if (r.skill) routing.skill = r.skill
  if (r.priority !== 1) routing.priority = PRIORITIES[r.priority]
  return routing
}

/** The Store's record of a conversations row. */
export function toConversation(r: ConversationRow): ConversationRecord {
  return {
    brandId: r.brand_id, convId: r.conv_id, visitorId: r.visitor_id, status: r.status,
    createdAt: r.created_at, closedAt: r.closed_at, lastSeq: r.last_seq, context: r.context,
    assignedAgentId: r.assigned_agent, origin: r.origin, contact: r.contact,
    routing: routingOf(r), assignedAt: r.assigned_at,
    ...(r.queued_at !== null ? { queuedAt: r.queued_at } : {}),
  }
}
