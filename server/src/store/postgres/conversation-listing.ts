import type { ConversationFilter, ConversationListing, ListedConversation, Store } from '../store.js'
import { searchTerms } from '../search-terms.js'
import { listingPage, parseListCursor } from '../conversation-pages.js'
import type { PgDb } from './db.js'
import { type ConversationRow, toConversation } from './rows.js'
import { FIRST_MESSAGE_JOIN, type FirstMessageColumns, previewOf } from './previews.js'
import { SqlParams } from './sql-params.js'

// GET /v1/conversations on PostgreSQL: the brand's conversations newest first, narrowed by any mix
// of status, visitor, agent, topic, opening time, post-chat CSAT and words. Every filter is a
// condition of one ordered statement, so a page cursor (createdAt.convId of the last row) stays
// exact under any of them. Words are looked up in every message's search column (migration 3),
// open and closed conversations alike: it is written with the message, so a message appended a
// moment ago is found, and a redacted or masked one only by its new words. The matching messages are
// read through the GIN index by a SECURITY DEFINER function for the transaction's brand (migration
// 5 says why), so a search costs what its matches cost, as the SQLite index does. conv_id ties are broken
// byte-wise (COLLATE "C"), as SQLite compares them, whatever the database's collation.

type ListedRow = ConversationRow & FirstMessageColumns & { csat: number | null }

/** The WHERE conditions of `query` over `conversations c` (`brand`: the brand's placeholder in `p`); null when its words hold none to search. */
function conditions(brand: string, query: ConversationFilter, p: SqlParams): string[] | null {
  const where = [`c.brand_id = ${brand}`]
  if (query.status) where.push(`c.status = ${p.add(query.status)}`)
  if (query.visitorId) where.push(`c.visitor_id = ${p.add(query.visitorId)}`)
  if (query.topic) where.push(`c.topic = ${p.add(query.topic)}`)
  if (query.from !== undefined) where.push(`c.created_at >= ${p.add(query.from)}`)
  if (query.to !== undefined) where.push(`c.created_at < ${p.add(query.to)}`)
  if (query.agentId) {
    // Took part: holds it, joined it, or wrote in it (an agent who handed it on is no longer a participant).
    const agent = p.add(query.agentId)
    where.push(`(c.assigned_agent = ${agent}
      OR c.conv_id IN (SELECT pa.conv_id FROM participants pa WHERE pa.brand_id = ${brand} AND pa.kind = 'agent' AND pa.participant_id = ${agent})
      OR c.conv_id IN (SELECT m.conv_id FROM messages m WHERE m.brand_id = ${brand} AND m.sender_kind = 'agent' AND m.sender_id = ${agent}))`)
  }
  if (query.participant) {
    // The agent role's own: holds it or takes part in it now, as the policy's read check counts it (isParticipant).
    const agent = p.add(query.participant)
    where.push(`(c.assigned_agent = ${agent}
      OR c.conv_id IN (SELECT pa.conv_id FROM participants pa WHERE pa.brand_id = ${brand} AND pa.kind = 'agent' AND pa.participant_id = ${agent}))`)
  }
  if (query.csatMin !== undefined || query.csatMax !== undefined) {
    where.push(`c.conv_id IN (SELECT r.conv_id FROM survey_responses r WHERE r.brand_id = ${brand} AND r.kind = 'post'
      AND r.csat BETWEEN ${p.add(query.csatMin ?? 1)} AND ${p.add(query.csatMax ?? 5)})`)
  }
  const cursor = query.before ? parseListCursor(query.before) : null
  if (cursor) {
    const at = p.add(cursor.createdAt)
    where.push(`(c.created_at < ${at} OR (c.created_at = ${at} AND c.conv_id < ${p.add(cursor.convId)} COLLATE "C"))`)
  }
  if (query.q !== undefined) {
    const terms = searchTerms(query.q)
    if (terms.length === 0) return null
    const match = `parley_search_query(${p.add(terms.map((t) => t.word))}::text[], ${p.add(terms.map((t) => t.prefix))}::boolean[])`
    where.push(`c.conv_id IN (SELECT h.conv_id FROM parley_search_conversations(${match}) AS h (conv_id))`)
  }
  return where
}

/** The statement of one page: the page's rows picked first, then each one's CSAT and preview. */
function pageSql(where: readonly string[], limit: string): string {
  return `SELECT c.*, first_message.*,
      (SELECT r.csat FROM survey_responses r WHERE r.brand_id = c.brand_id AND r.conv_id = c.conv_id
        AND r.kind = 'post' AND r.csat IS NOT NULL ORDER BY r.at DESC LIMIT 1) AS csat
    FROM (SELECT c.* FROM conversations c WHERE ${where.join(' AND ')}
      ORDER BY c.created_at DESC, c.conv_id COLLATE "C" DESC LIMIT ${limit}) c
    ${FIRST_MESSAGE_JOIN}
    ORDER BY c.created_at DESC, c.conv_id COLLATE "C" DESC`
}

/** The listConversations method of the PostgreSQL store. */
export function createConversationListing(db: PgDb): Store['listConversations'] {
  return (brandId, query) => db.tx(brandId, async (tx): Promise<ConversationListing> => {
    const limit = query.limit ?? 50
    const p = new SqlParams()
    const where = conditions(p.add(brandId), query, p)
    if (!where) return { conversations: [], next: null }
    const rows = await tx.rows<ListedRow>(pageSql(where, p.add(limit + 1)), p.values)
    return listingPage(rows, limit, (r): ListedConversation => ({ ...toConversation(r), csat: r.csat, preview: previewOf(r) }))
  })
}
