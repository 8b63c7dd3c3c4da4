import type { AuditEntry, ConversationListQuery } from '@parley/sdk/contract'
import type { AuditedRequest, AuditLog } from './audit-log.js'

// What reading or searching transcripts leaves in the audit log: which conversation and which part
// of it was read; which filters a listing used and how many conversations it answered. Never the
// search words, nor any filter value (a visitor id in a filter is a person's id, kept out too).

/** A part of a conversation a request reads. */
export type TranscriptPart = 'header' | 'messages' | 'notes' | 'responses' | 'attachment'

// A visitor reading their own chat is not the access the log is for (the widget does it on every
// page view); the brand's people and keys are.
const audited = (req: AuditedRequest) => req.principal !== null && req.principal.kind !== 'visitor'

/** The detail of a conversation listing: the names of the filters used (sorted), whether it searched, the result count. */
export function searchDetail(query: ConversationListQuery, count: number): AuditEntry['detail'] {
  const filters = Object.keys(query).filter((k) => k !== 'limit' && k !== 'before' && k !== 'q' && (query as Record<string, unknown>)[k] !== undefined).sort()
  return { filters: filters.join(','), searched: query.q !== undefined, page: query.before !== undefined ? 'next' : 'first', count }
}

/** Records a read of `convId`'s `part` (conversation.read) by the brand's agent or key. */
export async function recordTranscriptRead(audit: AuditLog, req: AuditedRequest, convId: string, part: TranscriptPart): Promise<void> {
  if (!audited(req)) return
  await audit.recordRequest(req, { action: 'conversation.read', resource: { type: 'conversation', id: convId }, detail: { part } })
}

/** Records a listing or search of conversations (conversation.search) by the brand's agent or key. */
export async function recordTranscriptSearch(audit: AuditLog, req: AuditedRequest, query: ConversationListQuery, count: number): Promise<void> {
  if (!audited(req)) return
  await audit.recordRequest(req, { action: 'conversation.search', resource: null, detail: searchDetail(query, count) })
}
