import type { OfflineContact, VisitorContext } from '@parley/sdk/contract'
import type { ConversationRecord, LegalHoldRecord } from '../store.js'
import { routingOf } from '../conversation-columns.js'

// Rows of the PostgreSQL store as `pg` returns them (jsonb parsed, bigint as number: db.ts), and their
// mapping to the Store's records. Shared by every part of the store that reads conversations.

/** A conversations row (`SELECT *`). */
export interface ConversationRow {
  id: number; brand_id: string; conv_id: string; visitor_id: string; status: 'open' | 'closed'
  created_at: number; closed_at: number | null; last_seq: number; context: VisitorContext | null
  assigned_agent: string | null; assigned_at: number | null; taken_at: number | null; queued_at: number | null
  last_visitor_at: number | null; origin: 'chat' | 'offline'; contact: OfflineContact | null
  topic: string | null; skill: string | null; priority: number
  /** Schema 006: erased stub and legal hold (absent before it). */
  erased_at?: number | null; legal_hold?: LegalHoldRecord | null
}

/** The record for a conversations row. */
export function toConversation(r: ConversationRow): ConversationRecord {
  return {
    brandId: r.brand_id, convId: r.conv_id, visitorId: r.visitor_id, status: r.status,
    createdAt: r.created_at, closedAt: r.closed_at, lastSeq: r.last_seq, context: r.context,
    assignedAgentId: r.assigned_agent, origin: r.origin, contact: r.contact,
    routing: routingOf(r), assignedAt: r.assigned_at,
    ...(r.queued_at !== null ? { queuedAt: r.queued_at } : {}),
    ...(r.erased_at !== null && r.erased_at !== undefined ? { erasedAt: r.erased_at } : {}),
    ...(r.legal_hold !== null && r.legal_hold !== undefined ? { legalHold: r.legal_hold } : {}),
  }
}

/**
 * A jsonb parameter: `pg` would send a JS array as a PostgreSQL array, so every document goes as JSON
 * text. jsonb cannot hold U+0000 nor a lone UTF-16 surrogate (JSON.stringify writes one as the escape
 * "\ud800", which PostgreSQL refuses), both of which SQLite stores: a string or key carrying one stores
 * U+FFFD in its place instead of failing the statement, and with it a whole group commit (db.ts does
 * the same for text).
 */
export function jsonb(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value, storable)
}

/** `v` with its strings, and its keys, made storable (the replacer sees each value once, keys through their object). */
function storable(_key: string, v: unknown): unknown {
  if (typeof v === 'string') return storableText(v)
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v
  if (Object.keys(v).every((k) => !isUnstorable(k))) return v
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [storableText(k), x]))
}

/** A U+0000, or a surrogate that is not half of a pair (matched by code unit: no `u` flag). */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** Whether `text` holds a U+0000 or a lone surrogate. */
export function isUnstorable(text: string): boolean {
  UNSTORABLE.lastIndex = 0
  return UNSTORABLE.test(text)
}

/** `text` with each U+0000 and each lone surrogate replaced by U+FFFD (itself when it has neither). */
export function storableText(text: string): string {
  return isUnstorable(text) ? text.replace(UNSTORABLE, '\uFFFD') : text
}
