import type Database from 'better-sqlite3'
import type { ConversationRecord, Store } from '../store.js'
import type { ConversationRow } from './rows.js'

// Waiting visitors in SQLite (migration 11): how long recent chats waited (for estimates), and
// closing chats an agent holds whose visitor went quiet.

type WaitingMethods = Pick<Store, 'recentWaits' | 'closeIdleConversations' | 'listBrandsWithOpenChats'>

/** What the waiting methods need of the rest of the store. */
export interface WaitingDeps {
  /** When the visitor last wrote among a conversation row's messages not indexed yet (0: never). */
  lastVisitorAt(conv: number): number
  /** Closes an open conversation row inside the caller's transaction (status, caches, search index); false when it was closed already. */
  closeRow(conv: ConversationRow, at: number): boolean
  /** The record of a row, its lastSeq counting messages not indexed yet. */
  conversation(r: ConversationRow): ConversationRecord
}

/** The waiting methods of the SQLite store. */
export function createWaiting(db: Database.Database, deps: WaitingDeps): WaitingMethods {
  const q = {
    // Through conversations_taken (migration 12): only takes from a queue end a wait, measured from
    // when the chat last entered it; a hand-over keeps taken_at, a requeue clears it.
    waits: db.prepare<[{ brand: string; since: number; limit: number }], { wait: number }>(`SELECT
      max(0, taken_at - coalesce(queued_at, created_at)) AS wait
      FROM conversations WHERE brand_id = @brand AND origin = 'chat' AND taken_at >= @since
      AND taken_at >= coalesce(queued_at, created_at)
      ORDER BY taken_at DESC LIMIT @limit`),
    // Only chats an agent holds: a visitor waiting in the queue is waiting for us, not idle. Quiet
    // since the later of their last message and the agent taking it (an answer owed from then).
    // Rows from before migration 11 have no last_visitor_at: their opening stands in for it.
    // Walks conversations_held_quiet (migration 12) quietest first, a page after (quiet, id).
    idle: db.prepare<[{ brand: string; before: number; quiet: number; id: number; limit: number }], ConversationRow & { last_visitor_at: number | null }>(`SELECT * FROM conversations
      WHERE brand_id = @brand AND status = 'open' AND origin = 'chat' AND assigned_agent IS NOT NULL
      AND max(coalesce(last_visitor_at, created_at), coalesce(assigned_at, 0)) BETWEEN @quiet AND @before
      AND (max(coalesce(last_visitor_at, created_at), coalesce(assigned_at, 0)), id) > (@quiet, @id)
      ORDER BY max(coalesce(last_visitor_at, created_at), coalesce(assigned_at, 0)), id LIMIT @limit`),
    brands: db.prepare<[], { brand_id: string }>(`SELECT DISTINCT brand_id FROM conversations WHERE status = 'open' AND origin = 'chat'`),
  }

  // One IMMEDIATE transaction for the check and the close: the appender runs between transactions,
  // so a visitor's message is either stored before it (and seen here: on disk or among the rows not
  // indexed yet) or after it (and refused, the conversation being closed), never into a closed chat.
  // Ordered and paged past the rows it skips: chats whose visitor wrote lately in messages not
  // indexed yet look quiet on disk, and must not fill every batch and hold back the quiet ones.
  const closeIdle = db.transaction((brandId: string, idleBefore: number, at: number, limit: number): ConversationRecord[] => {
    const closed: ConversationRecord[] = []
    let after = { quiet: Number.MIN_SAFE_INTEGER, id: 0 }
    for (;;) {
      const page = q.idle.all({ brand: brandId, before: idleBefore, ...after, limit })
      for (const row of page) {
        after = { quiet: Math.max(row.last_visitor_at ?? row.created_at, row.assigned_at ?? 0), id: row.id }
        if (deps.lastVisitorAt(row.id) > idleBefore) continue
        if (deps.closeRow(row, at)) closed.push(deps.conversation({ ...row, status: 'closed', closed_at: at }))
        if (closed.length === limit) return closed
      }
      if (page.length < limit) return closed
    }
  })

  return {
    async recentWaits(brandId, since, limit) {
      return q.waits.all({ brand: brandId, since, limit }).map((r) => r.wait)
    },
    async closeIdleConversations(brandId, idleBefore, at, limit) {
      return closeIdle.immediate(brandId, idleBefore, at, limit)
    },
    async listBrandsWithOpenChats() {
      return q.brands.all().map((r) => r.brand_id)
    },
  }
}
