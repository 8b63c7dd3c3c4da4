import type { ConversationPage, MessagePage, StoredMessage } from '@parley/sdk/contract'
import { toChatMessage, type Action, type PastConversation, type WidgetState } from './state.js'

// The visitor's earlier conversations, read from the relay's transcript REST with the visitor's
// token (which the relay scopes to the visitor's own conversations). What the browser keeps is
// bounded; this fetches the rest, a few conversations at a time, when the visitor scrolls up.

/** Earlier conversations fetched per step (a scroll to the top, or the button). */
export const EARLIER_PAGE = 5
/** Messages fetched of one earlier conversation, at most (its first ones). */
export const EARLIER_MESSAGES = 1000

/** Earlier conversations the browser keeps at most; older ones come from the relay. */
export const KEEP_EARLIER = 10

/** What the browser keeps of `earlier` (oldest first): the newest conversations, whole, while their messages fit in `maxMessages`, KEEP_EARLIER at most. */
export function keptEarlier(earlier: readonly PastConversation[], maxMessages: number): PastConversation[] {
  const kept: PastConversation[] = []
  let n = 0
  for (let i = earlier.length - 1; i >= 0; i--) {
    const c = earlier[i]!
    if (kept.length >= KEEP_EARLIER || n + c.messages.length > maxMessages) break
    n += c.messages.length
    kept.unshift(c)
  }
  return kept
}

/** What one step needs. */
export interface EarlierRequest {
  /** The relay's REST origin (https://relay). */
  base: string
  token: string
  fetch: typeof fetch
  /** The listing's `next` from the last step; null for the newest. */
  cursor: string | null
  /** Conversations already on screen: skipped. */
  shown: ReadonlySet<string>
}

/** The next closed conversations not on screen, with their messages, and where the listing goes on (null: no more). */
export async function fetchEarlier(r: EarlierRequest): Promise<{ conversations: PastConversation[]; cursor: string | null }> {
  const get = getter(r)
  let cursor = r.cursor
  const found: PastConversation[] = []
  // Pages that hold only conversations already on screen are skipped, so every step shows something.
  for (;;) {
    const q = new URLSearchParams({ status: 'closed', limit: String(EARLIER_PAGE) })
    if (cursor) q.set('before', cursor)
    const page = await get<ConversationPage>(`/v1/conversations?${q}`)
    for (const c of page.conversations.filter((x) => !r.shown.has(x.convId))) {
      const messages = (await fetchTranscript(r, c.convId)).map((m) => toChatMessage(m))
      found.push({ convId: c.convId, messages, endedAt: c.closedAt })
    }
    cursor = page.next
    if (found.length > 0 || !cursor) return { conversations: found, cursor }
  }
}

/** Where and as whom the visitor's transcripts are read. */
export type Access = Pick<EarlierRequest, 'base' | 'token' | 'fetch'>

function getter(r: Access) {
  return async <T>(path: string): Promise<T> => {
    const res = await r.fetch(`${r.base}${path}`, { headers: { authorization: `Bearer ${r.token}` }, credentials: 'omit' })
    if (!res.ok) throw new Error(`earlier conversations: ${res.status}`)
    return (await res.json()) as T
  }
}

/** The first EARLIER_MESSAGES (or so) stored messages of one of the visitor's conversations, in order. */
export async function fetchTranscript(r: Access, convId: string): Promise<StoredMessage[]> {
  const get = getter(r)
  const messages: StoredMessage[] = []
  for (let after = 0; messages.length < EARLIER_MESSAGES;) {
    const p = await get<MessagePage>(`/v1/conversations/${encodeURIComponent(convId)}/messages?afterSeq=${after}&limit=500`)
    messages.push(...p.messages)
    if (!p.more || p.messages.length === 0) break
    after = p.messages.at(-1)!.seq
  }
  return messages
}

/** The relay's REST origin, from the live URL (wss://relay/v1/live?site=KEY → https://relay). */
export function restBase(liveUrl: string): string {
  const u = new URL(liveUrl)
  return `${u.protocol === 'wss:' ? 'https:' : 'http:'}//${u.host}`
}

/** The next step of `s`'s earlier conversations as an 'earlier' action, fetched with the visitor's token. */
export async function nextEarlier(s: WidgetState, access: Access): Promise<Action> {
  const shown = new Set(s.earlier.map((c) => c.convId))
  if (s.convId) shown.add(s.convId)
  const page = await fetchEarlier({ ...access, cursor: s.earlierCursor, shown })
  return { type: 'earlier', conversations: page.conversations, cursor: page.cursor, more: page.cursor !== null }
}
