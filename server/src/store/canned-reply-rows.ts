import type { CannedReplyRecord } from './store.js'

// A canned_replies row as both stores' tables hold it (the same columns), and its record: pure.

/** A canned_replies row (owner NULL: brand-wide). */
export interface ReplyRow {
  brand_id: string; reply_id: string; owner_agent_id: string | null; shortcut: string; title: string; text: string; updated_at: number
}

/** The record of a canned_replies row. */
export function toReply(r: ReplyRow): CannedReplyRecord {
  return {
    brandId: r.brand_id, replyId: r.reply_id, scope: r.owner_agent_id === null ? 'brand' : 'personal', ownerAgentId: r.owner_agent_id,
    shortcut: r.shortcut, title: r.title, text: r.text, updatedAt: r.updated_at,
  }
}
