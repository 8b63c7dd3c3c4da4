import type Database from 'better-sqlite3'
import type { ConversationFilter, ConversationListing, ConversationRecord, ListedConversation } from '../store.js'
import type { ConversationRow } from './rows.js'
import type { SenderKeys } from './senders.js'
import { searchExpression } from './search.js'
import { listingPage, parseListCursor } from '../conversation-pages.js'
import { createOpenTranscriptSearch, type OpenCandidate, type UnindexedIds } from './open-transcript-search.js'

// GET /v1/conversations: the brand's conversations newest first, narrowed by any mix of status,
// visitor, agent, topic, opening time, post-chat CSAT and words. Every filter is a condition of one
// ordered query, so a page cursor (createdAt.convId of the last row) stays exact under any of them.
// Words are looked up in transcript_search for closed conversations and, for open ones, by reading
// them as the search runs (open-transcript-search.ts); the hits of both go into that one query. The
// open ones are read in slices with appends let through between them, so a conversation may open
// or close meanwhile: one that closes is found through transcript_search (indexed at its close),
// one that opens after the slices were cut is not searched this time.

interface ListedRow extends ConversationRow { csat: number | null }

/** What the listing needs from the store around it. */
export interface ListingDeps {
  senders: SenderKeys
  /** The preview of a conversation's first message (as the queue shows it: its files when it holds only files). */
  firstPreview: (r: ConversationRow) => string
  conversation: (r: ConversationRow) => ConversationRecord
  /** Conversations in which a sender wrote a message not yet in message_by_client_id. */
  unindexedConvsOf: (sender: number) => number[]
  /** A conversation's rows not yet in message_by_seq. */
  unindexed: UnindexedIds
}

/** The listConversations method of the SQLite store. */
export function createConversationListing(db: Database.Database, deps: ListingDeps): (brandId: string, query: ConversationFilter) => Promise<ConversationListing> {
  const searchOpen = createOpenTranscriptSearch(db, deps.unindexed)
  const statements = new Map<string, Database.Statement<unknown[]>>()
  const prepared = (sql: string) => {
    let s = statements.get(sql)
    // A handful of shapes (one per combination of filters in use); cached so each is compiled once.
    if (!s) statements.set(sql, (s = db.prepare<unknown[]>(sql)))
    return s
  }

  return async (brandId, query) => {
    const limit = query.limit ?? 50
    const where = ['c.brand_id = ?']
    const args: (string | number)[] = [brandId]
    if (query.status) { where.push('c.status = ?'); args.push(query.status) }
    if (query.visitorId) { where.push('c.visitor_id = ?'); args.push(query.visitorId) }
    if (query.topic) { where.push('c.topic = ?'); args.push(query.topic) }
    if (query.from !== undefined) { where.push('c.created_at >= ?'); args.push(query.from) }
    if (query.to !== undefined) { where.push('c.created_at < ?'); args.push(query.to) }
    if (query.agentId) {
      // Took part: holds it, joined it, or wrote in it (an agent who handed it on is no longer a participant).
      const sender = deps.senders.find(brandId, 'agent', query.agentId)
      if (sender === undefined) { where.push('c.assigned_agent = ?'); args.push(query.agentId) } else {
        where.push(`(c.assigned_agent = ? OR c.id IN (SELECT conv FROM participants WHERE sender = ?)
          OR c.id IN (SELECT m.conv FROM message_by_client_id b JOIN message_log m ON m.id = b.id WHERE b.sender = ?)
          OR c.id IN (SELECT value FROM json_each(?)))`)
        args.push(query.agentId, sender, sender, JSON.stringify(deps.unindexedConvsOf(sender)))
      }
    }
    if (query.participant) {
      // The agent role's own: holds it or takes part in it now, as the policy's read check counts it (isParticipant).
      const sender = deps.senders.find(brandId, 'agent', query.participant)
      if (sender === undefined) { where.push('c.assigned_agent = ?'); args.push(query.participant) } else {
        where.push('(c.assigned_agent = ? OR c.id IN (SELECT conv FROM participants WHERE sender = ?))')
        args.push(query.participant, sender)
      }
    }
    if (query.csatMin !== undefined || query.csatMax !== undefined) {
      where.push(`c.conv_id IN (SELECT conv_id FROM survey_responses WHERE brand_id = ? AND kind = 'post' AND csat BETWEEN ? AND ?)`)
      args.push(brandId, query.csatMin ?? 1, query.csatMax ?? 5)
    }
    const cursor = query.before ? parseListCursor(query.before) : null
    if (cursor) {
      where.push('(c.created_at < ? OR (c.created_at = ? AND c.conv_id < ?))')
      args.push(cursor.createdAt, cursor.createdAt, cursor.convId)
    }
    if (query.q !== undefined) {
      const match = searchExpression(query.q)
      if (!match) return { conversations: [], next: null }
      // Closed conversations are in transcript_search; the open ones the other filters leave are searched now.
      const open = query.status === 'closed' ? [] : prepared(`SELECT c.id, c.last_seq AS indexed FROM conversations c
        WHERE ${where.join(' AND ')} AND c.status = 'open'`).all(...args) as OpenCandidate[]
      const openHits = await searchOpen(open, match)
      where.push('(c.id IN (SELECT conv FROM transcript_search WHERE transcript_search MATCH ?) OR c.id IN (SELECT value FROM json_each(?)))')
      args.push(match, JSON.stringify(openHits))
    }
    const rows = prepared(`SELECT c.*, (SELECT r.csat FROM survey_responses r WHERE r.brand_id = c.brand_id AND r.conv_id = c.conv_id
        AND r.kind = 'post' AND r.csat IS NOT NULL ORDER BY r.at DESC LIMIT 1) AS csat
      FROM conversations c WHERE ${where.join(' AND ')} ORDER BY c.created_at DESC, c.conv_id DESC LIMIT ?`)
      .all(...args, limit + 1) as ListedRow[]
    return listingPage(rows, limit, (r): ListedConversation => ({ ...deps.conversation(r), csat: r.csat, preview: deps.firstPreview(r) }))
  }
}
