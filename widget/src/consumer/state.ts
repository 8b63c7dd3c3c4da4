import type { LinkStatus, OutboxEntry } from '@parley/sdk/connection'
import type { MessageNew } from '@parley/sdk/contract'

// The consumer widget's view state and how events change it. Pure: the connection, storage and
// DOM feed actions in; views render what comes out.

/** One message as the visitor sees it. */
export interface ChatMessage {
  /** The client id: stable from "sending" to "sent". */
  id: string
  seq: number | null
  text: string
  mine: boolean
  status: 'sending' | 'sent' | 'failed'
  at: number
  author?: string
}

/** Everything the widget shows. */
export interface WidgetState {
  open: boolean
  convId: string | null
  messages: ChatMessage[]
  agentName: string | null
  agentTyping: boolean
  unread: number
  online: boolean
  /** The connection as the visitor is told about it (`online` is `link === 'connected'`). */
  link: LinkStatus
  ended: boolean
  /** The page is visible (unread counts only what arrives while hidden or closed). */
  visible: boolean
}

/** Every way the state changes. */
export type Action =
  | { type: 'restore'; convId: string | null; messages: ChatMessage[]; ended: boolean; agentName: string | null }
  | { type: 'open' } | { type: 'close' }
  | { type: 'visible'; visible: boolean }
  | { type: 'online'; online: boolean }
  | { type: 'link'; link: LinkStatus }
  | { type: 'started'; convId: string }
  | { type: 'outbox'; entries: readonly OutboxEntry[] }
  | { type: 'message'; message: MessageNew; mine: boolean }
  | { type: 'refused'; id: string }
  | { type: 'remove'; id: string }
  | { type: 'typing'; typing: boolean; name?: string }
  | { type: 'assigned'; name: string }
  | { type: 'ended' }
  | { type: 'new-chat' }

/** The state before anything happened. */
export const INITIAL: WidgetState = {
  open: false, convId: null, messages: [], agentName: null, agentTyping: false, unread: 0, online: false, link: 'connecting', ended: false, visible: true,
}

/** Stored messages by seq, then those still waiting, oldest first. */
function ordered(messages: ChatMessage[]): ChatMessage[] {
  const stored = messages.filter((m) => m.seq !== null).sort((a, b) => a.seq! - b.seq!)
  const waiting = messages.filter((m) => m.seq === null).sort((a, b) => a.at - b.at)
  return [...stored, ...waiting]
}

/**
 * Whether to show "Connection lost": the socket was lost or the browser is offline (not merely
 * connecting for the first time), while there is a conversation or a message waiting to go.
 */
export function isConnectionLost(s: WidgetState): boolean {
  if (s.link !== 'offline' && s.link !== 'reconnecting') return false
  return (s.convId !== null && !s.ended) || s.messages.some((m) => m.status === 'sending')
}

/** The next state. */
export function reduce(s: WidgetState, a: Action): WidgetState {
  switch (a.type) {
    case 'restore':
      return { ...s, convId: a.convId, messages: ordered(a.messages), ended: a.ended, agentName: a.agentName }
    case 'open':
      return { ...s, open: true, unread: s.visible ? 0 : s.unread }
    case 'close':
      return { ...s, open: false }
    case 'visible':
      return { ...s, visible: a.visible, unread: a.visible && s.open ? 0 : s.unread }
    case 'online':
      return { ...s, online: a.online, agentTyping: a.online && s.agentTyping }
    case 'link': {
      const online = a.link === 'connected'
      return { ...s, link: a.link, online, agentTyping: online && s.agentTyping }
    }
    case 'started':
      return { ...s, convId: a.convId, ended: false }
    case 'outbox': {
      if (!s.convId) return s
      // Entries of this conversation not yet stored show as sending; failed ones stay failed.
      const have = new Set(s.messages.map((m) => m.id))
      const add = a.entries.filter((e) => e.convId === s.convId && !have.has(e.clientMsgId))
        .map((e): ChatMessage => ({ id: e.clientMsgId, seq: null, text: e.text, mine: true, status: 'sending', at: e.createdAt }))
      return add.length ? { ...s, messages: ordered([...s.messages, ...add]) } : s
    }
    case 'message': {
      const m = a.message
      if (m.convId !== s.convId) return s
      const existing = s.messages.find((x) => x.id === m.clientMsgId)
      if (existing?.seq !== null && existing !== undefined) return s
      const msg: ChatMessage = {
        id: m.clientMsgId, seq: m.seq, text: m.text, mine: a.mine || m.from.kind === 'visitor', status: 'sent', at: m.at,
        ...(m.from.kind === 'agent' && m.from.name ? { author: m.from.name } : {}),
      }
      const rest = s.messages.filter((x) => x.id !== m.clientMsgId)
      const fromAgent = m.from.kind === 'agent'
      return {
        ...s,
        messages: ordered([...rest, msg]),
        agentTyping: fromAgent ? false : s.agentTyping,
        agentName: fromAgent && m.from.name ? m.from.name : s.agentName,
        unread: fromAgent && !(s.open && s.visible) ? s.unread + 1 : s.unread,
      }
    }
    case 'refused':
      return { ...s, messages: s.messages.map((m) => (m.id === a.id ? { ...m, status: 'failed' } : m)) }
    case 'remove':
      return { ...s, messages: s.messages.filter((m) => m.id !== a.id) }
    case 'typing':
      return { ...s, agentTyping: a.typing, agentName: a.name ?? s.agentName }
    case 'assigned':
      return { ...s, agentName: a.name }
    case 'ended':
      return { ...s, ended: true, agentTyping: false }
    case 'new-chat':
      return { ...s, convId: null, messages: [], ended: false, agentName: null, agentTyping: false, unread: 0 }
  }
}
