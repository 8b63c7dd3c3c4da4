import type { AgentPresence, MessageNew, OfflineContact, QueueEntry, Role, Routing, Survey, SurveyResponse, SurveysConfig, VerifiedCustomer, VisitorContext } from '@parley/sdk/contract'
import type { LinkStatus, OutboxEntry } from '@parley/sdk/connection'
import { storedFiles, waitingFiles, type ShownFile } from '../ui/shown-files.js'
import { sortQueue } from './queue-order.js'
import { mergeResponses, versionKey } from './survey-answers.js'
import { reduceNotes, type NoteChange, type NotesByChat } from './note-state.js'
import { EMPTY_DESK, reduceOffers, type OfferAction, type OfferDesk } from './offer-state.js'

// The console's view state: the queue, the agent's open chats and the one on screen. Pure.

/** A line of a chat as the agent sees it. */
export interface Line {
  id: string
  seq: number | null
  text: string
  fromVisitor: boolean
  author: string
  at: number
  pending: boolean
  /** Its files (waiting ones with a null id). */
  files?: ShownFile[] | undefined
}

/** One conversation the agent holds. */
export interface Chat {
  convId: string
  visitorId: string
  context: VisitorContext | null
  lines: Line[]
  visitorTyping: boolean
  unread: number
  closed: boolean
  /** Closed by the relay after this many minutes without a visitor message (heard live; absent otherwise). */
  inactiveMin?: number
  /** When its content was erased (heard live or in the join answer; absent otherwise): the transcript shows "Erased on DATE". */
  erasedAt?: number
  /** The agent who holds it; someone other than me once I handed it on. */
  assignedAgentId: string | null
  /** Lines up to this seq the agent had read before this page joined (after a reload): not unread. */
  seenSeq: number
  /** How far the visitor has read (joined.visitorReadSeq, then their message.read): "Seen" goes under my last line up to it. */
  visitorReadSeq: number
  /** Accepted and on screen, but the relay has not yet handed it over with its history: no replies yet. */
  loading?: boolean
  /** What masking hid from my last reply here, for a quiet notice ('card' or another detail). */
  masked?: 'card' | 'other' | null
  /** Topic, skill and priority the pre-chat answers set (null: none set). */
  routing?: Routing | null
  /** The survey answers given in the conversation so far, oldest first. */
  responses?: SurveyResponse[]
  /** The survey an agent last sent the visitor here (survey.requested), until its answer arrives. */
  surveyRequested?: { surveyId: string; at: number } | null
  /** The customer the brand verified for the visitor (conversation.joined); absent or null: anonymous. */
  customer?: VerifiedCustomer | null
}

/** Everything the console shows. */
export interface ConsoleState {
  agentId: string | null
  agentName: string
  /** My role as the relay's welcome said (null until then, or from a relay that does not say). */
  role: Role | null
  /** Why the relay ended my session (revoked, deactivated, expired): the console goes back to sign-in; null while signed in. */
  signedOut: string | null
  /** The connection as the badge shows it. */
  link: LinkStatus
  queue: QueueEntry[]
  /** How many wait in all (the relay's count at the last listing, kept up as they come and go); the list may hold fewer. */
  queueTotal: number
  /** Where the next page of the queue starts, when the list holds fewer than wait. */
  queueNext: string | null
  /** The queue lists the newest waiting first (the relay's `order: 'newest'`), not the highest priority and longest waiting first (`order: 'priority'`). */
  queueNewest: boolean
  /** Whether a queue listing has arrived since the page loaded: until then the queue is unknown, not empty. */
  queueListed: boolean
  chats: Record<string, Chat>
  order: string[]
  active: string | null
  error: string | null
  /** Whether the console's tab is on screen: lines arriving while it is hidden are unread, even in the chat shown. */
  visible: boolean
  /** Longest message the relay takes (welcome.limits), once connected. */
  maxText: number | null
  /** Conversations left through the offline form, by id: the name and e-mail to answer. */
  contacts: Record<string, OfflineContact>
  /** The visitor's name, by conversation id, when the offline form or the pre-chat answers gave one: shown instead of "Visitor xxxxxx". */
  names: Record<string, string>
  /** Every agent's availability (me included), by agent id: the presence list, then agent.status frames. */
  team: Record<string, AgentPresence>
  /** Survey versions read so far (site surveys and GET …/versions/:version), by `surveyId@version`. */
  surveys: Record<string, Survey>
  /** The brand's post-chat survey: its id, null when it has none, undefined until the surveys are read. */
  postSurvey?: string | null
  /** The agents' internal notes of each chat (note-state.ts): never among its lines. */
  notes: NotesByChat
  /** Chats offered to me (automatic routing), missed offers, and colleagues' transfer notes (offer-state.ts). */
  desk: OfferDesk
}

/** Every way the console state changes. */
export type Action =
  | { type: 'welcome'; agentId: string; agentName: string; role?: Role }
  /** The relay closed the connection for an authentication reason (the error code): no reconnecting helps. */
  | { type: 'signed-out'; code: string }
  | { type: 'link'; link: LinkStatus }
  /** A page of the queue: the first (replacing the list) or, with `more`, the next one. */
  | { type: 'queue'; entries: QueueEntry[]; total?: number; next?: string | null; more?: boolean; newest?: boolean }
  | { type: 'queued'; entry: QueueEntry }
  /** The first message of a waiting conversation that opened without one. */
  | { type: 'previewed'; convId: string; preview: string }
  /** `waiting`: the relay said it left the queue (an agent accepted it), listed here or not. */
  | { type: 'dequeued'; convId: string; waiting?: boolean }
  /** The relay's count of waiting conversations, asked again when an unlisted one may have left. */
  | { type: 'queue-total'; total: number }
  /** Accepting a waiting conversation: it goes on screen at once, loading, so the reply box is never another chat's. */
  | { type: 'opening'; convId: string }
  /** The chat's history has arrived: replies may go. */
  | { type: 'loaded'; convId: string }
  | { type: 'chat'; convId: string; visitorId: string; context: VisitorContext | null; closed: boolean; assignedAgentId?: string | null; seenSeq?: number; visitorReadSeq?: number; routing?: Routing | null; responses?: SurveyResponse[]; customer?: VerifiedCustomer | null }
  /** Survey answers of a chat: a join's, a stored conversation's (REST), or one survey.response frame. */
  | { type: 'responses'; convId: string; responses: readonly SurveyResponse[] }
  /** An agent sent the visitor a survey (survey.requested). */
  | { type: 'survey-requested'; convId: string; surveyId: string; at: number }
  /** The brand's surveys as the console could read them (null: it has none, or they could not be read). */
  | { type: 'surveys'; config: SurveysConfig | null }
  /** One survey version, read to show old answers by their option labels. */
  | { type: 'survey-version'; survey: Survey }
  | { type: 'assigned'; convId: string; agentId: string }
  | { type: 'message'; message: MessageNew; mine: boolean }
  | { type: 'outbox'; entries: readonly OutboxEntry[] }
  | { type: 'typing'; convId: string; typing: boolean }
  | { type: 'context'; convId: string; context: VisitorContext }
  | { type: 'closed'; convId: string; inactiveMin?: number }
  | { type: 'erased'; convId: string; erasedAt: number }
  | { type: 'select'; convId: string | null }
  | { type: 'dismiss'; convId: string }
  /** I handed a chat back to a skill's queue: it leaves my list and waits again, in one change (so it is not news to me). */
  | { type: 'handed-back'; entry: QueueEntry }
  | { type: 'error'; message: string | null }
  | { type: 'visible'; visible: boolean }
  | { type: 'read'; convId: string; seq: number }
  | { type: 'limits'; maxText: number }
  /** The relay masked a stored message further (a value split across two messages). */
  | { type: 'redacted'; convId: string; seq: number; text: string }
  /** The console masked the end of one of my lines itself (a card split across two replies). */
  | { type: 'masked'; convId: string; notice: 'card' | 'other' | null }
  /** The conversation came through the offline form, with this contact. */
  | { type: 'contact'; convId: string; contact: OfflineContact }
  /** The visitor gave this name (offline form or pre-chat answers). */
  | { type: 'name'; convId: string; name: string }
  /** The brand's agents' availability, as GET /v1/agents/presence listed it. */
  | { type: 'team'; agents: readonly AgentPresence[] }
  /** One agent's availability changed (an agent.status frame, or my own status as the relay answered). */
  | { type: 'agent-status'; agent: AgentPresence }
  /** A chat's internal notes changed (note-state.ts). */
  | { type: 'notes'; convId: string; change: NoteChange }
  /** An offer came or ended, or a colleague's transfer note arrived (offer-state.ts). */
  | { type: 'desk'; action: OfferAction }

/** The state before login. */
export const INITIAL: ConsoleState = {
  agentId: null, agentName: '', role: null, signedOut: null, link: 'connecting', queue: [], queueTotal: 0, queueNext: null, queueNewest: false, queueListed: false, chats: {}, order: [], active: null, error: null, visible: true, maxText: null, contacts: {}, names: {}, team: {}, surveys: {}, notes: {}, desk: EMPTY_DESK,
}

/** `next`, unless the status `known` began after it did. */
function newer(known: AgentPresence | undefined, next: AgentPresence): AgentPresence {
  return known && known.since > next.since ? known : next
}

function sortLines(lines: Line[]): Line[] {
  const stored = lines.filter((l) => l.seq !== null).sort((a, b) => a.seq! - b.seq!)
  return [...stored, ...lines.filter((l) => l.seq === null).sort((a, b) => a.at - b.at)]
}

function withChat(s: ConsoleState, convId: string, f: (c: Chat) => Chat): ConsoleState {
  const c = s.chats[convId]
  const next = c && f(c)
  // Unchanged stays the same object: nothing re-renders.
  return next && next !== c ? { ...s, chats: { ...s.chats, [convId]: next } } : s
}

/** `s` without `convId` in its queue (someone took it, or it ended); one fewer waits if it was listed or `waiting` says it waited. */
function dequeue(s: ConsoleState, convId: string, waiting = false): ConsoleState {
  const queue = s.queue.filter((q) => q.convId !== convId)
  // A chat I hold already left the count when I took it.
  const left = queue.length < s.queue.length || (waiting && !s.chats[convId])
  return left ? { ...s, queue, queueTotal: Math.max(queue.length, s.queueTotal - 1) } : s
}

/** `s` with the survey versions of `config` cached and its post-chat survey known. */
function withSurveys(s: ConsoleState, config: SurveysConfig | null): ConsoleState {
  const surveys = { ...s.surveys }
  for (const v of config?.surveys ?? []) if (v.version !== undefined) surveys[versionKey(v.id, v.version)] = v
  return { ...s, surveys, postSurvey: config?.post ?? null }
}

/** A chat with `responses` added; the request of a survey now answered is done. */
function withResponses(c: Chat, responses: readonly SurveyResponse[]): Chat {
  const merged = mergeResponses(c.responses ?? [], responses)
  if (merged.length === (c.responses ?? []).length) return c
  const sent = c.surveyRequested
  const answered = sent && merged.some((r) => r.surveyId === sent.surveyId && r.at >= sent.at)
  return { ...c, responses: merged, ...(answered ? { surveyRequested: null } : {}) }
}

/** What wants the agent's attention: visitors waiting in the queue (all of them, not just the page listed) plus unread lines in my chats. */
export function attentionCount(s: ConsoleState): number {
  let n = s.queueTotal
  for (const id of s.order) {
    const c = s.chats[id]!
    if (!c.closed && !handedOff(s, c)) n += c.unread
  }
  return n
}

/** The console's page title: the count first while anything wants attention, so a background tab shows it. */
export function consoleTitle(s: ConsoleState, base = 'Parley console'): string {
  const n = attentionCount(s)
  return n > 0 ? `(${n}) ${base}` : base
}

/** Whether I handed this chat to a colleague (it stays readable here until removed). */
export function handedOff(s: ConsoleState, c: Chat): boolean {
  return c.assignedAgentId !== null && s.agentId !== null && c.assignedAgentId !== s.agentId
}

/** The next state. */
export function reduce(s: ConsoleState, a: Action): ConsoleState {
  switch (a.type) {
    case 'welcome': return { ...s, agentId: a.agentId, agentName: a.agentName, role: a.role ?? s.role }
    case 'signed-out': return s.signedOut === a.code ? s : { ...s, signedOut: a.code }
    case 'link': return { ...s, link: a.link }
    case 'queue': {
      const held = a.more ? s.queue : []
      const entries = [...held, ...a.entries.filter((e) => !held.some((q) => q.convId === e.convId))]
      const newest = a.more ? s.queueNewest : a.newest ?? false
      return {
        ...s, queue: sortQueue(entries, newest ? 'newest' : 'priority'), queueNewest: newest,
        queueTotal: Math.max(entries.length, a.total ?? entries.length), queueNext: a.next ?? null, queueListed: true,
      }
    }
    case 'queued':
      return s.queue.some((q) => q.convId === a.entry.convId) || s.chats[a.entry.convId] ? s
        : { ...s, queue: sortQueue([...s.queue, a.entry], s.queueNewest ? 'newest' : 'priority'), queueTotal: s.queueTotal + 1 }
    case 'previewed': return s.queue.some((q) => q.convId === a.convId && !q.preview)
      ? { ...s, queue: s.queue.map((q) => (q.convId === a.convId ? { ...q, preview: a.preview } : q)) } : s
    case 'dequeued': return dequeue(s, a.convId, a.waiting)
    case 'queue-total': return { ...s, queueTotal: Math.max(s.queue.length, a.total) }
    case 'opening': {
      // An offered chat may never have been listed in the queue here.
      const q = s.queue.find((e) => e.convId === a.convId) ?? s.desk.offers.find((o) => o.convId === a.convId)?.entry
      if (!q || s.chats[a.convId]) return s
      const chat: Chat = { convId: a.convId, visitorId: q.visitorId, context: q.context ?? null, lines: [], visitorTyping: false, unread: 0, closed: false, assignedAgentId: null, seenSeq: 0, visitorReadSeq: 0, loading: true, routing: q.routing ?? null, responses: [] }
      return { ...dequeue(s, a.convId), chats: { ...s.chats, [a.convId]: chat }, order: [...s.order, a.convId], active: a.convId }
    }
    case 'loaded': return withChat(s, a.convId, (c) => (c.loading ? { ...c, loading: false } : c))
    case 'chat': {
      const existing = s.chats[a.convId]
      const chat: Chat = existing
        ? {
            ...existing, context: a.context ?? existing.context, closed: a.closed, assignedAgentId: a.assignedAgentId ?? existing.assignedAgentId,
            visitorReadSeq: Math.max(existing.visitorReadSeq, a.visitorReadSeq ?? 0),
            routing: a.routing ?? existing.routing ?? null,
            customer: a.customer !== undefined ? a.customer : existing.customer ?? null,
          }
        : {
            convId: a.convId, visitorId: a.visitorId, context: a.context, lines: [], visitorTyping: false, unread: 0, closed: a.closed, assignedAgentId: a.assignedAgentId ?? null, seenSeq: a.seenSeq ?? 0, visitorReadSeq: a.visitorReadSeq ?? 0,
            routing: a.routing ?? null, responses: [], customer: a.customer ?? null,
          }
      const answered = a.responses ? withResponses(chat, a.responses) : chat
      return {
        ...dequeue(s, a.convId),
        chats: { ...s.chats, [a.convId]: answered },
        order: s.order.includes(a.convId) ? s.order : [...s.order, a.convId],
        active: s.active ?? a.convId,
      }
    }
    case 'message': {
      const m = a.message
      return withChat(s, m.convId, (c) => {
        if (c.lines.some((l) => l.id === m.clientMsgId && l.seq !== null)) return c
        const line: Line = {
          id: m.clientMsgId, seq: m.seq, text: m.text, fromVisitor: m.from.kind === 'visitor',
          author: m.from.kind === 'visitor' ? 'Visitor' : m.from.name ?? 'Agent', at: m.at, pending: false, files: storedFiles(m.attachments),
        }
        const unread = m.from.kind === 'visitor' && (s.active !== m.convId || !s.visible) && m.seq > c.seenSeq ? c.unread + 1 : c.unread
        return { ...c, lines: sortLines([...c.lines.filter((l) => l.id !== m.clientMsgId), line]), unread, visitorTyping: m.from.kind === 'visitor' ? false : c.visitorTyping }
      })
    }
    case 'outbox': {
      let next = s
      for (const e of a.entries) {
        next = withChat(next, e.convId, (c) => (c.lines.some((l) => l.id === e.clientMsgId) ? c : {
          ...c, lines: sortLines([...c.lines, { id: e.clientMsgId, seq: null, text: e.text, fromVisitor: false, author: s.agentName, at: e.createdAt, pending: true, files: waitingFiles(e.files) }]),
        }))
      }
      return next
    }
    case 'assigned': return withChat(dequeue(s, a.convId), a.convId, (c) => ({ ...c, assignedAgentId: a.agentId }))
    case 'typing': return withChat(s, a.convId, (c) => ({ ...c, visitorTyping: a.typing }))
    case 'context': return withChat(s, a.convId, (c) => ({ ...c, context: a.context }))
    // Its content is gone: the transcript goes too, and the chat says when (a stub, closed).
    case 'erased': return withChat(dequeue(s, a.convId), a.convId, (c) => ({ ...c, lines: [], closed: true, visitorTyping: false, erasedAt: a.erasedAt }))
    case 'closed': return withChat(dequeue(s, a.convId), a.convId, (c) => ({ ...c, closed: true, visitorTyping: false, ...(a.inactiveMin ? { inactiveMin: a.inactiveMin } : {}) }))
    case 'select': return { ...(a.convId ? withChat(s, a.convId, (c) => ({ ...c, unread: 0 })) : s), active: a.convId }
    case 'dismiss': {
      const chats = { ...s.chats }
      delete chats[a.convId]
      const order = s.order.filter((id) => id !== a.convId)
      // Its handover note goes too: should it come back, a new handover brings its own.
      return { ...s, chats, order, active: s.active === a.convId ? order[0] ?? null : s.active, desk: reduceOffers(s.desk, { type: 'forget', convId: a.convId }) }
    }
    case 'handed-back': return reduce(reduce(s, { type: 'dismiss', convId: a.entry.convId }), { type: 'queued', entry: a.entry })
    case 'error': return { ...s, error: a.message }
    case 'notes': { const notes = reduceNotes(s.notes, a.convId, a.change); return notes === s.notes ? s : { ...s, notes } }
    case 'responses': return withChat(s, a.convId, (c) => withResponses(c, a.responses))
    case 'survey-requested': return withChat(s, a.convId, (c) => (c.surveyRequested?.at === a.at ? c : { ...c, surveyRequested: { surveyId: a.surveyId, at: a.at } }))
    case 'surveys': return withSurveys(s, a.config)
    case 'survey-version': {
      const key = versionKey(a.survey.id, a.survey.version ?? 0)
      return s.surveys[key] ? s : { ...s, surveys: { ...s.surveys, [key]: a.survey } }
    }
    case 'read': return withChat(s, a.convId, (c) => (a.seq > c.visitorReadSeq ? { ...c, visitorReadSeq: a.seq } : c))
    case 'limits': return s.maxText === a.maxText ? s : { ...s, maxText: a.maxText }
    case 'redacted': return withChat(s, a.convId, (c) => (c.lines.some((l) => l.seq === a.seq && l.text !== a.text)
      ? { ...c, lines: c.lines.map((l) => (l.seq === a.seq ? { ...l, text: a.text } : l)) } : c))
    case 'masked': return withChat(s, a.convId, (c) => ((c.masked ?? null) === a.notice ? c : { ...c, masked: a.notice }))
    case 'contact': {
      const known = s.contacts[a.convId]
      return known && known.name === a.contact.name && known.email === a.contact.email ? s : { ...s, contacts: { ...s.contacts, [a.convId]: a.contact } }
    }
    case 'name': return s.names[a.convId] === a.name ? s : { ...s, names: { ...s.names, [a.convId]: a.name } }
    // The list and the frames race (a frame can pass the list's response, a status answer a later
    // frame): a status older than the one known is stale and kept out.
    case 'team': return { ...s, team: Object.fromEntries(a.agents.map((x) => [x.agentId, newer(s.team[x.agentId], x)])) }
    case 'agent-status': return newer(s.team[a.agent.agentId], a.agent) === a.agent ? { ...s, team: { ...s.team, [a.agent.agentId]: a.agent } } : s
    case 'desk': {
      const desk = reduceOffers(s.desk, a.action)
      return desk === s.desk ? s : { ...s, desk }
    }
    case 'visible': {
      // Back on screen: the chat shown is read.
      const next = { ...s, visible: a.visible }
      return a.visible && s.active ? withChat(next, s.active, (c) => ({ ...c, unread: 0 })) : next
    }
  }
}
