import { textPreview } from '@parley/sdk/contract'
import type { ConsoleState } from './state.js'
import { visitorLabel } from './visitor-label.js'

// What deserves a sound and a desktop notification, found by comparing the console's state before
// and after a change: a chat newly offered to me, a new waiting chat when the brand routes by hand,
// and a visitor's message in a chat that is not on screen (or while the tab is hidden). Pure.

/** One thing to tell the agent about. */
export interface Notice {
  kind: 'offer' | 'waiting' | 'message'
  convId: string
  title: string
  body: string
}

/** Longest text a notification shows of a message (whole characters, never half an emoji). */
const BODY_CHARS = 120

/** The start of `text` for a notification, cut between whole characters so an emoji sequence is never split. */
export function noticeBody(text: string, max = BODY_CHARS): string {
  return text.length <= max ? text : `${textPreview(text, max)}…`
}

/** Who a chat is with, as the console names them. */
function who(s: ConsoleState, convId: string, visitorId: string): string {
  return s.names[convId] ?? visitorLabel(visitorId)
}

/**
 * The notices the change from `prev` to `next` calls for. `manual`: the brand routes by hand, so a
 * new waiting chat is news for everyone (in automatic routing only the offer is).
 */
export function noticesBetween(prev: ConsoleState, next: ConsoleState, manual: boolean): Notice[] {
  const out: Notice[] = []
  if (next.desk !== prev.desk) {
    for (const o of next.desk.offers) {
      if (prev.desk.offers.some((p) => p.convId === o.convId)) continue
      out.push({ kind: 'offer', convId: o.convId, title: `New chat offered: ${who(next, o.convId, o.entry.visitorId)}`, body: noticeBody(o.entry.preview || 'Pre-chat form answered') })
    }
  }
  // A first listing (page load, reconnect) is not news: only chats arriving while the queue was known.
  if (manual && prev.queueListed && next.queue !== prev.queue && next.queueTotal > prev.queueTotal) {
    for (const q of next.queue) {
      // A chat I held a moment ago is one I handed back myself: not news to me.
      if (prev.queue.some((p) => p.convId === q.convId) || prev.chats[q.convId] || next.desk.offers.some((o) => o.convId === q.convId)) continue
      out.push({ kind: 'waiting', convId: q.convId, title: `New chat waiting: ${who(next, q.convId, q.visitorId)}`, body: noticeBody(q.preview || 'Pre-chat form answered') })
    }
  }
  if (next.chats !== prev.chats) {
    // Unread counts only visitors' lines not on screen (or with the tab hidden) that I had not seen.
    for (const id of next.order) {
      const c = next.chats[id]!
      const before = prev.chats[id]
      if (!before || c.unread <= before.unread) continue
      const line = c.lines.filter((l) => l.fromVisitor && l.seq !== null).at(-1)
      if (line) out.push({ kind: 'message', convId: id, title: `New message from ${who(next, id, c.visitorId)}`, body: noticeBody(line.text) })
    }
  }
  return out
}
