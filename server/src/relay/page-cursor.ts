import type { PagePosition } from '../store/store.js'

// The cursors of paged lists (queue.list, conversation.list): a conversation's position in the
// order both lists use, (createdAt, convId). Clients treat them as opaque.

const CURSOR = /^(\d{1,16})\.([A-Za-z0-9_-]{1,64})$/

/** The cursor that continues a list just past `c`. */
export function encodeCursor(c: PagePosition): string {
  return `${c.createdAt}.${c.convId}`
}

/** The position a cursor names, or null when it is not one this relay made. */
export function decodeCursor(cursor: string): PagePosition | null {
  const m = CURSOR.exec(cursor)
  if (!m) return null
  const createdAt = Number(m[1])
  return Number.isSafeInteger(createdAt) ? { createdAt, convId: m[2]! } : null
}
