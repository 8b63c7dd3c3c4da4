import type { LinkStatus, OutboxEntry } from '@parley/sdk/connection'
import type { AttachmentRef, StoredMessage } from '@parley/sdk/contract'
import { storedFiles, waitingFiles, type ShownFile } from '../ui/shown-files.js'
import { isNewCurrent } from './current-conversation.js'

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
  /** Its files (waiting ones with a null id). */
  files?: ShownFile[]
}

/** A conversation that ended before the one on screen, shown above it. */
export interface PastConversation {
  convId: string
  messages: ChatMessage[]
  /** When it was closed (null if the widget never heard). */
  endedAt: number | null
  /** Still open: it moved up because another conversation started at the same time (no "Chat ended"). */
  open?: boolean
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
  /** When the conversation on screen was closed, once it is. */
  endedAt: number | null
  /** The visitor's earlier conversations, oldest first. */
  earlier: PastConversation[]
  /** Whether the relay may hold earlier conversations the widget does not show yet. */
  earlierMore: boolean
  /** Where the relay's listing of earlier conversations goes on (its `next`), null from the start. */
  earlierCursor: string | null
  /** How far the agent has read the conversation on screen. */
  agentReadSeq: number
  /** Longest message the relay takes (welcome.limits), once connected. */
  maxText: number | null
  /** The page hid the widget with Parley('hide'). */
  hidden: boolean
  /** Failed fetches of earlier conversations in a row; scrolling retries only from `earlierRetryAt` (the button at once). */
  earlierFailures: number
  earlierRetryAt: number
  /** What masking hid from the visitor's last message, for a quiet notice (null: nothing). */
  masked: MaskNotice | null
  /** The invitation the visitor accepted on this page, shown as the brand's first bubble (not stored). */
  invitation: Invitation | null
  /** Survey answers and openings in the outbox, not yet stored by the relay (shown as waiting). */
  surveysWaiting: number
  /** The survey offered in the panel (post-chat, or one an agent sent), until answered or skipped. */
  survey: SurveyOffer | null
  /** What the last survey submission came to: stored (thanks) or refused (the form again). */
  surveyNote: 'thanks' | 'failed' | null
  /** The field the relay refused in the last submission, if it named one. */
  refusedField: string | null
  /**
   * Surveys the visitor answered, as answeredKey(convId, surveyId): sent (acked or still in the
   * outbox). One of them is never offered again: an agent's request, then the close, would ask twice.
   */
  surveysAnswered: string[]
  /** The visitor's place in the queue while nobody has answered (queue.position), for the conversation on screen. */
  queue: QueuePlace | null
  /** The conversation on screen closed itself after this many minutes without a visitor message (null: closed otherwise). */
  endedInactiveMin: number | null
}

/** Where the visitor waits: their place (1: next) and, when the relay can tell, about how long. */
export interface QueuePlace {
  convId: string
  position: number
  estimatedWaitSec?: number
}

/** How a survey answered in one conversation is kept in `surveysAnswered`. */
export const answeredKey = (convId: string, surveyId: string): string => `${convId}/${surveyId}`

/** A survey offered to the visitor in one of their conversations. */
export interface SurveyOffer {
  surveyId: string
  convId: string
}

/** A deployment rule's invitation message, and who signs it (null: the brand). */
export interface Invitation {
  text: string
  author: string | null
}

/** Which notice masking calls for: a card number, or another detail (e-mail, phone, a brand pattern…). */
export type MaskNotice = 'card' | 'other'

/** Every way the state changes. */
export type Action =
  | { type: 'restore'; convId: string | null; messages: ChatMessage[]; ended: boolean; agentName: string | null; endedAt?: number | null; earlier?: PastConversation[]; agentReadSeq?: number }
  | { type: 'open' } | { type: 'close' }
  | { type: 'visible'; visible: boolean }
  | { type: 'link'; link: LinkStatus }
  | { type: 'started'; convId: string }
  | { type: 'outbox'; entries: readonly OutboxEntry[] }
  | { type: 'message'; message: StoredMessage; mine: boolean; /** its conversation is closed */ ended?: boolean }
  | { type: 'refused'; id: string }
  | { type: 'remove'; id: string }
  | { type: 'typing'; typing: boolean; name?: string }
  | { type: 'assigned'; name: string }
  | { type: 'ended'; at?: number; /** an earlier conversation's, not the one on screen */ convId?: string; /** closed as quiet, after these minutes */ inactiveMin?: number }
  | { type: 'queue'; place: QueuePlace | null }
  | { type: 'new-chat' }
  | { type: 'earlier'; conversations: PastConversation[]; cursor: string | null; more: boolean }
  | { type: 'listed'; convIds: readonly string[] }
  | { type: 'read'; convId: string; seq: number }
  | { type: 'limits'; maxText: number }
  | { type: 'hidden'; hidden: boolean }
  | { type: 'earlier-failed'; at: number }
  | { type: 'masked'; notice: MaskNotice | null }
  | { type: 'invited'; invitation: Invitation }
  /** The relay masked a stored message further (a value split across two messages). */
  | { type: 'redacted'; convId: string; seq: number; text: string }
  /** A survey to offer in the panel (the conversation closed, or an agent sent one). */
  | { type: 'survey-offer'; offer: SurveyOffer }
  /** The offered survey was answered (`answered`) or skipped. */
  | { type: 'survey-done'; answered: boolean }
  /** The relay refused a pre-chat opening (the conversation never opened) or an answer (offered again). */
  | { type: 'survey-refused'; kind: 'open' | 'answer'; convId: string; surveyId: string | null; field: string | null }
  /** Surveys answered before this page (saved by survey-flow.ts), added to `surveysAnswered`. */
  | { type: 'surveys-answered'; keys: readonly string[] }
  /** The page's customer logged out (Parley('forget')): a fresh visitor, the window left as it was. */
  | { type: 'forgotten' }

/** The state before anything happened. */
export const INITIAL: WidgetState = {
  open: false, convId: null, messages: [], agentName: null, agentTyping: false, unread: 0, online: false, link: 'connecting', ended: false, visible: true,
  endedAt: null, earlier: [], earlierMore: false, earlierCursor: null, agentReadSeq: 0, maxText: null, hidden: false,
  earlierFailures: 0, earlierRetryAt: 0, masked: null, invitation: null, surveysWaiting: 0, survey: null, surveyNote: null, refusedField: null,
  surveysAnswered: [], queue: null, endedInactiveMin: null,
}

const startedAt = (c: PastConversation) => c.messages[0]?.at ?? c.endedAt ?? 0

/** `earlier` and `add` merged: one entry per conversation, never the one on screen, oldest first. */
function mergeEarlier(earlier: PastConversation[], add: PastConversation[], current: string | null): PastConversation[] {
  const byId = new Map(earlier.map((c) => [c.convId, c]))
  for (const c of add) if (c.convId !== current && c.messages.length > 0 && !byId.has(c.convId)) byId.set(c.convId, c)
  return [...byId.values()].sort((a, b) => startedAt(a) - startedAt(b))
}

/** `earlier` with the open ones of `convIds` marked closed (at `at`, when known). */
function closeEarlier(earlier: PastConversation[], convIds: readonly string[], at?: number): PastConversation[] {
  return earlier.map((c) => (c.open && convIds.includes(c.convId) ? { convId: c.convId, messages: c.messages, endedAt: at ?? c.endedAt } : c))
}

/** `s` with `keys` in its answered surveys (the same state when it held them all). */
function withAnswered(s: WidgetState, keys: readonly string[]): WidgetState {
  const add = keys.filter((k, i) => !s.surveysAnswered.includes(k) && keys.indexOf(k) === i)
  return add.length ? { ...s, surveysAnswered: [...s.surveysAnswered, ...add] } : s
}

/** A stored message (live, replayed or fetched) as the visitor sees it; `mine` when this visitor sent it. */
export function toChatMessage(m: StoredMessage & { attachments?: AttachmentRef[] }, mine = false): ChatMessage {
  return {
    id: m.clientMsgId, seq: m.seq, text: m.text, mine: mine || m.from.kind === 'visitor', status: 'sent', at: m.at,
    ...(m.from.kind === 'agent' && m.from.name ? { author: m.from.name } : {}),
    ...(m.attachments?.length ? { files: storedFiles(m.attachments)! } : {}),
  }
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

/** Whether the visitor can see the conversation: open, on a visible page, not hidden by the page's Parley('hide'). */
export function isReading(s: WidgetState): boolean {
  return s.open && s.visible && !s.hidden
}

/** The next state. */
export function reduce(s: WidgetState, a: Action): WidgetState {
  switch (a.type) {
    case 'restore':
      return {
        ...s, convId: a.convId, messages: ordered(a.messages), ended: a.ended, agentName: a.agentName,
        endedAt: a.endedAt ?? null, earlier: mergeEarlier([], a.earlier ?? [], a.convId), agentReadSeq: a.agentReadSeq ?? 0,
      }
    case 'forgotten':
      return { ...INITIAL, open: s.open, visible: s.visible, hidden: s.hidden }
    case 'open':
      return { ...s, open: true, unread: s.visible && !s.hidden ? 0 : s.unread }
    case 'close':
      return { ...s, open: false }
    case 'visible':
      return { ...s, visible: a.visible, unread: a.visible && s.open && !s.hidden ? 0 : s.unread }
    case 'link': {
      const online = a.link === 'connected'
      return { ...s, link: a.link, online, agentTyping: online && s.agentTyping }
    }
    case 'started':
      return { ...s, convId: a.convId, ended: false }
    case 'outbox': {
      const waiting = a.entries.filter((e) => e.kind).length
      const pending = a.entries.flatMap((e) => (e.kind === 'answer' && e.survey ? [answeredKey(e.convId, e.survey.surveyId)] : []))
      const u = withAnswered(s, pending)
      const t = waiting === u.surveysWaiting ? u : { ...u, surveysWaiting: waiting }
      if (!t.convId) return t
      // Messages of this conversation not yet stored show as sending; failed ones stay failed.
      const have = new Set(t.messages.map((m) => m.id))
      const add = a.entries.filter((e) => !e.kind && e.convId === t.convId && !have.has(e.clientMsgId))
        .map((e): ChatMessage => ({
          id: e.clientMsgId, seq: null, text: e.text, mine: true, status: 'sending', at: e.createdAt,
          ...(e.files?.length ? { files: waitingFiles(e.files)! } : {}),
        }))
      return add.length ? { ...t, messages: ordered([...t.messages, ...add]) } : t
    }
    case 'survey-offer': {
      const { convId, surveyId } = a.offer
      if (s.surveysAnswered.includes(answeredKey(convId, surveyId)) || (s.survey?.convId === convId && s.survey.surveyId === surveyId)) return s
      return { ...s, survey: a.offer, surveyNote: null, refusedField: null }
    }
    case 'survey-done': {
      const t = a.answered && s.survey ? withAnswered(s, [answeredKey(s.survey.convId, s.survey.surveyId)]) : s
      return { ...t, survey: null, surveyNote: a.answered ? 'thanks' : null, refusedField: null }
    }
    case 'surveys-answered':
      return withAnswered(s, a.keys)
    case 'survey-refused': {
      const note = { surveyNote: 'failed' as const, refusedField: a.field }
      if (a.kind === 'answer') {
        // Refused for good: not answered after all, so it is offered again to fix.
        const key = a.surveyId ? answeredKey(a.convId, a.surveyId) : null
        return { ...s, ...note, survey: a.surveyId ? { surveyId: a.surveyId, convId: a.convId } : null, surveysAnswered: s.surveysAnswered.filter((k) => k !== key) }
      }
      // The conversation never opened: the pre-chat form shows again, unless the chat went on meanwhile.
      if (a.convId !== s.convId || s.messages.some((m) => m.seq !== null)) return s
      return { ...s, ...note, convId: null, messages: [] }
    }
    case 'message': {
      const m = a.message
      if (m.convId !== s.convId) {
        // A replay of an earlier conversation (a resume after the widget moved on) completes it.
        const past = s.earlier.find((c) => c.convId === m.convId)
        if (!past) {
          // A conversation this tab does not show: another tab opened it, or a reload listed it.
          // It becomes current (the one on screen moves up, above it) or an earlier one; never lost.
          const current = s.convId ? { convId: s.convId, startedAt: s.messages.find((x) => x.seq !== null)?.at ?? Infinity, ended: s.ended } : null
          if (isNewCurrent(current, { convId: m.convId, startedAt: m.at, ended: !!a.ended })) return reduce({ ...reduce(s, { type: 'new-chat' }), convId: m.convId }, a)
          return { ...s, earlier: mergeEarlier(s.earlier, [{ convId: m.convId, messages: [toChatMessage(m, a.mine)], endedAt: null, ...(a.ended ? {} : { open: true }) }], s.convId) }
        }
        if (past.messages.some((x) => x.seq === m.seq)) return s
        const messages = ordered([...past.messages, toChatMessage(m, a.mine)])
        return { ...s, earlier: s.earlier.map((c) => (c === past ? { ...c, messages } : c)) }
      }
      const existing = s.messages.find((x) => x.id === m.clientMsgId)
      if (existing?.seq !== null && existing !== undefined) return s
      const msg = toChatMessage(m, a.mine)
      const rest = s.messages.filter((x) => x.id !== m.clientMsgId)
      const fromAgent = m.from.kind === 'agent'
      return {
        ...s,
        messages: ordered([...rest, msg]),
        agentTyping: fromAgent ? false : s.agentTyping,
        agentName: fromAgent && m.from.name ? m.from.name : s.agentName,
        unread: fromAgent && !isReading(s) ? s.unread + 1 : s.unread,
      }
    }
    case 'refused':
      return { ...s, messages: s.messages.map((m) => (m.id === a.id ? { ...m, status: 'failed' } : m)) }
    case 'remove':
      return { ...s, messages: s.messages.filter((m) => m.id !== a.id) }
    case 'typing':
      return { ...s, agentTyping: a.typing, agentName: a.name ?? s.agentName }
    case 'assigned':
      return { ...s, agentName: a.name, queue: null }
    case 'queue':
      // A place means nobody holds the chat (a transfer to a skill's queue): the agent's name goes too.
      if (!a.place) return { ...s, queue: null }
      return a.place.convId === s.convId ? { ...s, queue: a.place, agentName: null } : s
    case 'ended':
      if (a.convId !== undefined && a.convId !== s.convId) return { ...s, earlier: closeEarlier(s.earlier, [a.convId], a.at) }
      return { ...s, ended: true, agentTyping: false, endedAt: a.at ?? s.endedAt, queue: null, endedInactiveMin: a.inactiveMin ?? s.endedInactiveMin }
    case 'new-chat': {
      // The ended conversation stays on screen, above the new one.
      const past: PastConversation = { convId: s.convId ?? '', messages: s.messages.filter((m) => m.seq !== null), endedAt: s.endedAt, ...(s.ended ? {} : { open: true }) }
      return {
        ...s, convId: null, messages: [], ended: false, agentName: null, agentTyping: false, unread: 0, endedAt: null, agentReadSeq: 0, invitation: null,
        surveyNote: null, refusedField: null, queue: null, endedInactiveMin: null,
        earlier: s.convId ? mergeEarlier(s.earlier, [past], null) : s.earlier,
      }
    }
    case 'earlier':
      return { ...s, earlier: mergeEarlier(s.earlier, a.conversations, s.convId), earlierCursor: a.cursor, earlierMore: a.more, earlierFailures: 0, earlierRetryAt: 0 }
    case 'earlier-failed':
      // Refused (429) or offline: every scroll near the top would ask again at once; wait 1 s, 2 s, … 30 s.
      return { ...s, earlierFailures: s.earlierFailures + 1, earlierRetryAt: a.at + Math.min(30_000, 1000 * 2 ** s.earlierFailures) }
    case 'listed': {
      // The relay lists conversations this browser does not show: there is history to fetch.
      const shown = new Set([s.convId, ...s.earlier.map((c) => c.convId)])
      return { ...s, earlier: closeEarlier(s.earlier, a.convIds), earlierMore: s.earlierMore || a.convIds.some((id) => !shown.has(id)) }
    }
    case 'read':
      return a.convId === s.convId && a.seq > s.agentReadSeq ? { ...s, agentReadSeq: a.seq } : s
    case 'limits':
      return s.maxText === a.maxText ? s : { ...s, maxText: a.maxText }
    case 'masked':
      return s.masked === a.notice ? s : { ...s, masked: a.notice }
    case 'invited':
      return { ...s, invitation: a.invitation }
    case 'redacted': {
      const redact = (list: ChatMessage[]) => (list.some((m) => m.seq === a.seq && m.text !== a.text) ? list.map((m) => (m.seq === a.seq ? { ...m, text: a.text } : m)) : list)
      if (a.convId === s.convId) return redact(s.messages) === s.messages ? s : { ...s, messages: redact(s.messages) }
      const past = s.earlier.find((c) => c.convId === a.convId)
      if (!past || redact(past.messages) === past.messages) return s
      return { ...s, earlier: s.earlier.map((c) => (c === past ? { ...c, messages: redact(c.messages) } : c)) }
    }
    case 'hidden':
      return s.hidden === a.hidden ? s : { ...s, hidden: a.hidden, unread: !a.hidden && s.open && s.visible ? 0 : s.unread }
  }
}
