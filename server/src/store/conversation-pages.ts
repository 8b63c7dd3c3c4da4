import type { ConversationListing, ListedConversation } from './store.js'

// The page arithmetic of listConversations, for both stores: pure, no database in it. A store reads
// one row past the page; that row only says whether a next page exists.

/** Where a listing page starts: below this conversation in (createdAt, convId) order, newest first. */
export interface ListCursor {
  createdAt: number
  convId: string
}

/** A page cursor (`createdAt.convId`), or null when it is not one (the listing then starts at the top). */
export function parseListCursor(s: string): ListCursor | null {
  const dot = s.indexOf('.')
  const createdAt = Number(s.slice(0, dot))
  if (dot < 1 || !Number.isSafeInteger(createdAt)) return null
  return { createdAt, convId: s.slice(dot + 1) }
}

/** The page of `rows` (read with a limit of `limit + 1`) and the cursor of the next one, null at the end. */
export function listingPage<R>(rows: readonly R[], limit: number, toListed: (r: R) => ListedConversation): ConversationListing {
  const page = rows.slice(0, limit).map(toListed)
  const last = page[page.length - 1]
  return { conversations: page, next: rows.length > limit && last ? `${last.createdAt}.${last.convId}` : null }
}
