import type { Participant, Role, VisitorContext } from '@parley/sdk/contract'
import type { AgentRecord, ConversationRecord, LegalHoldRecord, MessageRecord, VisitorRecord } from '../store.js'
import { routingOf } from '../conversation-columns.js'

// Row shapes as SQLite returns them, and their mapping to the Store's records.

export interface ConversationRow {
  id: number; brand_id: string; conv_id: string; visitor_id: string; status: 'open' | 'closed'
  created_at: number; closed_at: number | null; last_seq: number; context: string | null
  assigned_agent: string | null; origin: 'chat' | 'offline'; contact: string | null
  /** Routing (migration 10); a query that selects only some columns may leave them out. */
  topic?: string | null; skill?: string | null; priority?: number
  /** Migration 11; a query that selects only some columns may leave it out. */
  assigned_at?: number | null
  /** Migration 11: when it last went back to a queue; null: its opening. */
  queued_at?: number | null
  /** Migration 16: erased stub, legal hold (JSON text); a query that selects only some columns may leave them out. */
  erased_at?: number | null
  legal_hold?: string | null
}
export interface MessageRow {
  /** The message_log row id, which is also the message's rowid in transcript_search. */
  id: number
  seq: number; client_msg_id: string; sender_kind: 'visitor' | 'agent'
  sender_id: string; sender_name: string | null; text: string; at: number
}
export interface AgentRow {
  brand_id: string; agent_id: string; email: string; name: string; password_hash: string; created_at: number
  capacity: number
  /** A JSON array of skills (migration 11). */
  skills: string
  /** Migration 14; `active` is 0 or 1. */
  role: Role; active: number
}
export interface VisitorRow {
  brand_id: string; visitor_id: string; created_at: number; last_seen_at: number; visit_count: number
  context: string | null
}

/** Context is stored as JSON text; null stays null. */
export function parseContext(text: string | null): VisitorContext | null {
  return text === null ? null : (JSON.parse(text) as VisitorContext)
}

/** The record for a conversations row. */
export function toConversation(r: ConversationRow): ConversationRecord {
  return {
    brandId: r.brand_id, convId: r.conv_id, visitorId: r.visitor_id, status: r.status,
    createdAt: r.created_at, closedAt: r.closed_at, lastSeq: r.last_seq, context: parseContext(r.context),
    assignedAgentId: r.assigned_agent, origin: r.origin ?? 'chat',
    contact: r.contact === null || r.contact === undefined ? null : (JSON.parse(r.contact) as ConversationRecord['contact']),
    routing: routingOf(r), assignedAt: r.assigned_at ?? null,
    ...(r.queued_at !== null && r.queued_at !== undefined ? { queuedAt: r.queued_at } : {}),
    ...(r.erased_at !== null && r.erased_at !== undefined ? { erasedAt: r.erased_at } : {}),
    ...(r.legal_hold !== null && r.legal_hold !== undefined ? { legalHold: JSON.parse(r.legal_hold) as LegalHoldRecord } : {}),
  }
}

/** The record for a message row of conversation `convId` in `brandId`. */
export function toMessage(brandId: string, convId: string, r: MessageRow): MessageRecord {
  const from: Participant = { kind: r.sender_kind, id: r.sender_id }
  if (r.sender_name !== null) from.name = r.sender_name
  return { brandId, convId, seq: r.seq, clientMsgId: r.client_msg_id, from, text: r.text, at: r.at }
}

/** The record for an agents row. */
export function toAgent(r: AgentRow): AgentRecord {
  return {
    brandId: r.brand_id, agentId: r.agent_id, email: r.email, name: r.name,
    passwordHash: r.password_hash, createdAt: r.created_at, capacity: r.capacity,
    skills: r.skills ? (JSON.parse(r.skills) as string[]) : [],
    role: r.role, active: r.active === 1,
  }
}

/** The record for a visitors row. */
export function toVisitor(r: VisitorRow): VisitorRecord {
  return {
    brandId: r.brand_id, visitorId: r.visitor_id, createdAt: r.created_at, lastSeenAt: r.last_seen_at,
    visitCount: r.visit_count, context: parseContext(r.context),
  }
}
