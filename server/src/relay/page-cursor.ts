import type { PagePosition } from '../store/store.js'

// The cursors of paged lists (queue.list, conversation.list): a conversation's position in the
// order the list uses, (createdAt, convId), led by its priority in the queue's priority order
// (`p2.…`). Clients treat them as opaque.

const CURSOR = /^(?:p([0-3])\.)?(\d{1,16})\.([A-Za-z0-9_-]{1,64})$/

/** The cursor that continues a list just past `c` (its priority kept when it has one). */
export function encodeCursor(c: PagePosition): string {
  return `${c.priority !== undefined ? `p${c.priority}.` : ''}${c.createdAt}.${c.convId}`
}

/** The position a cursor names, or null when it is not one this relay made. */
export function decodeCursor(cursor: string): PagePosition | null {
  const m = CURSOR.exec(cursor)
  if (!m) return null
  const createdAt = Number(m[2])
  if (!Number.isSafeInteger(createdAt)) return null
  return m[1] !== undefined ? { createdAt, convId: m[3]!, priority: Number(m[1]) } : { createdAt, convId: m[3]! }
}
