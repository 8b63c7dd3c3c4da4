import type { PagePosition, Store } from '../store.js'
import type { PgDb } from './db.js'
import { type ConversationRow, toConversation } from './rows.js'
import { FIRST_MESSAGE_JOIN, type FirstMessageColumns, previewOf } from './previews.js'

// The queue (open conversations no agent holds) and the counts the availability reads, each served
// by a partial index of 001-core over open conversations only.

type QueueMethods = Pick<Store, 'listQueue' | 'countQueue' | 'countWaitingChats' | 'countActiveChats'>

type QueueOrder = 'oldest' | 'newest' | 'priority'

const WAITING = `c.brand_id = $1 AND c.status = 'open' AND c.assigned_agent IS NULL`

/**
 * Each order's WHERE (past the position: $2 created_at, $3 conv_id, and for the priority
 * order $5 priority; null $2: from the start) and ORDER BY; $4 is the page's size. Priority:
 * highest first, then the longest waiting.
 */
const ORDERS: Record<QueueOrder, { past: string; orderBy: string }> = {
  oldest: {
    past: `($2::bigint IS NULL OR c.created_at > $2 OR (c.created_at = $2 AND c.conv_id > $3 COLLATE "C"))`,
    orderBy: `c.created_at, c.conv_id COLLATE "C"`,
  },
  newest: {
    past: `($2::bigint IS NULL OR c.created_at < $2 OR (c.created_at = $2 AND c.conv_id < $3 COLLATE "C"))`,
    orderBy: `c.created_at DESC, c.conv_id COLLATE "C" DESC`,
  },
  priority: {
    past: `($2::bigint IS NULL OR c.priority < $5 OR (c.priority = $5 AND (c.created_at > $2 OR (c.created_at = $2 AND c.conv_id > $3 COLLATE "C"))))`,
    orderBy: `c.priority DESC, c.created_at, c.conv_id COLLATE "C"`,
  },
}

/** The statement of a queue page in `order`, with or without the first messages' previews. */
function queueSql(order: QueueOrder, previews: boolean): string {
  const { past, orderBy } = ORDERS[order]
  return `SELECT c.*${previews ? ', first_message.*' : ''} FROM conversations c${previews ? FIRST_MESSAGE_JOIN : ''}
    WHERE ${WAITING} AND ${past} ORDER BY ${orderBy} LIMIT $4`
}

/** The statement's parameters; a position without a priority is a normal (1) conversation's. */
function queueParams(brandId: string, limit: number, order: QueueOrder, after: PagePosition | null | undefined): unknown[] {
  const params: unknown[] = [brandId, after?.createdAt ?? null, after?.convId ?? '', limit]
  if (order === 'priority') params.push(after?.priority ?? 1)
  return params
}

/** The queue methods of the PostgreSQL store over `db`. */
export function createQueue(db: PgDb): QueueMethods {
  const count = async (brandId: string, sql: string) =>
    (await db.tx(brandId, (tx) => tx.one<{ n: number }>(sql, [brandId])))!.n
  return {
    async listQueue(brandId, limit, page) {
      const previews = page?.previews !== false
      const order = page?.order ?? 'oldest'
      const params = queueParams(brandId, limit, order, page?.after)
      const rows = await db.tx(brandId, (tx) => tx.rows<ConversationRow & FirstMessageColumns>(queueSql(order, previews), params))
      return rows.map((r) => ({ conversation: toConversation(r), preview: previews ? previewOf(r) : '' }))
    },
    async countQueue(brandId) {
      return count(brandId, `SELECT count(*)::int AS n FROM conversations c WHERE ${WAITING}`)
    },
    async countWaitingChats(brandId) {
      return count(brandId, `SELECT count(*)::int AS n FROM conversations c WHERE ${WAITING} AND c.origin = 'chat'`)
    },
    async countActiveChats(brandId) {
      const rows = await db.tx(brandId, (tx) => tx.rows<{ agent: string; n: number }>(`SELECT assigned_agent AS agent, count(*)::int AS n
        FROM conversations WHERE brand_id = $1 AND status = 'open' AND assigned_agent IS NOT NULL AND origin = 'chat'
        GROUP BY assigned_agent`, [brandId]))
      const out: Record<string, number> = {}
      for (const r of rows) out[r.agent] = r.n
      return out
    },
  }
}
