import type { ConversationList, ConversationSummary } from '@parley/sdk/contract'
import type { ConversationRecord, PagePosition } from '../store/store.js'
import type { SessionPort } from './session-port.js'
import { decodeCursor, encodeCursor } from './page-cursor.js'
import { withRef } from './with-ref.js'

// The conversations a connection's identity takes part in, a page at a time, newest first. welcome
// carries the first page; an agent's connection follows the open conversations of each page it is
// given, so what it follows grows with what it asked for, not with everything it ever joined.

/** The largest page, and what welcome carries for an agent. */
export const CONVERSATION_PAGE = 200

/** A page of the caller's conversations and, when there are more, the cursor to the next. */
export interface SummaryPage {
  conversations: ConversationSummary[]
  next?: string
}

/**
 * Reads a page of the caller's conversations; an agent's connection follows them. Agents follow
 * first and then read again, so a message committed meanwhile is either in lastSeq or delivered live.
 */
export async function readConversationPage(s: SessionPort, limit: number, before: PagePosition | null): Promise<SummaryPage> {
  const { store } = s.ctx.deps
  let rows = await store.listParticipantConversations(s.brandId, s.who, limit + 1, before)
  if (s.who.kind === 'agent') {
    for (const c of rows.slice(0, limit)) s.ctx.fanout.follow(s, c.convId)
    rows = await store.listParticipantConversations(s.brandId, s.who, limit + 1, before)
    for (const c of rows.slice(0, limit)) s.ctx.fanout.follow(s, c.convId)
  }
  const page = rows.length > limit ? rows.slice(0, limit) : rows
  const last: ConversationRecord | undefined = page.at(-1)
  return {
    conversations: page.map((c) => ({ convId: c.convId, lastSeq: c.lastSeq, status: c.status })),
    ...(rows.length > limit && last ? { next: encodeCursor(last) } : {}),
  }
}

/** Answers conversation.list with the page after the cursor. */
export async function handleConversationList(s: SessionPort, frame: ConversationList): Promise<boolean> {
  const before = frame.cursor === undefined ? null : decodeCursor(frame.cursor)
  // A cursor of the queue's priority order is not a position in this list.
  if (frame.cursor !== undefined && (!before || before.priority !== undefined)) {
    s.reject('PARLEY_ERR_FRAME_INVALID', [frame.type, '/cursor is not a cursor this relay gave'], frame.ref)
    return false
  }
  const page = await readConversationPage(s, frame.limit ?? CONVERSATION_PAGE, before)
  if (s.isClosed) return false
  s.send({ type: 'conversation.listed', ...page, ...withRef(frame.ref) })
  return true
}
