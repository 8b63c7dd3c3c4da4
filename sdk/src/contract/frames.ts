import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { Id, Seq, Timestamp } from './ids.js'
import { MAX_TEXT_HARD } from './limits.js'
import { AgentPresence } from './agents.js'
import { RuleId } from './rules.js'
import { Routing, RouteSlug, SurveyId, SurveyResponse, SurveySubmission } from './surveys.js'
import { Note } from './notes.js'
import { AttachmentRef, MAX_MESSAGE_ATTACHMENTS } from './attachments.js'
import { OfferOutcome } from './routing.js'
import { MAX_NOTE_TEXT } from './routing-limits.js'
import { RoleName, VerifiedCustomer } from './security.js'

// Wire protocol v1: every frame is one JSON object in one WebSocket text frame, discriminated on
// `type` ("noun.verb"). Client frames may carry `ref`, echoed in any error they cause. v1 grows only
// by addition: new frame types, new optional fields. See docs/protocol.md.

const strict = { additionalProperties: false } as const
const Ref = Type.Optional(Type.String({ minLength: 1, maxLength: 64 }))
const Text = Type.String({ maxLength: MAX_TEXT_HARD })
const Short = (max: number) => Type.Optional(Type.String({ maxLength: max }))

const Count = Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000 }))

/**
 * What the visitor's page tells the relay about the visit; every field optional and bounded.
 * `pagesViewed`, `timeOnSiteSec`, `visitCount` and `returning` are behavioural: the widget sends
 * them only when the brand's tracking setting and the visitor's consent allow it (never under Do
 * Not Track or Global Privacy Control unless the visitor opts in), and then says so in `tracking`.
 * With `tracking: 'not-shared'` they are absent and the console shows "not shared". The relay
 * applies the same rule again before it stores anything (it also sees the DNT and Sec-GPC headers).
 */
export const VisitorContext = Type.Object({
  url: Short(2048),
  title: Short(512),
  referrer: Short(2048),
  language: Short(35),
  userAgent: Short(512),
  timezone: Short(64),
  /** Minutes to add to UTC for the visitor's local time (e.g. 60 for UTC+1), so agents see it. */
  utcOffsetMin: Type.Optional(Type.Integer({ minimum: -900, maximum: 900 })),
  screen: Short(32),
  tracking: Type.Optional(Type.Union([Type.Literal('shared'), Type.Literal('not-shared')])),
  /**
   * The visitor's explicit choice about behavioural tracking (`Parley('consent', …)` or the chat
   * window's checkbox); absent when they made none. `denied` makes the relay delete the behavioural
   * values it stored for the visitor, closed conversations too, and stop counting their visits.
   */
  consent: Type.Optional(Type.Union([Type.Literal('granted'), Type.Literal('denied')])),
  pagesViewed: Count,
  timeOnSiteSec: Count,
  visitCount: Count,
  returning: Type.Optional(Type.Boolean()),
  /**
   * Values the brand's page set with `Parley('set', { plan: 'pro' })`: up to 20, keys of letters,
   * digits and `_`, masked at the relay like messages (a number as its digits; a key masking would
   * change is dropped).
   */
  values: Type.Optional(Type.Record(
    Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,39}$' }),
    Type.Union([Type.String({ maxLength: 256 }), Type.Number(), Type.Boolean()]),
    { maxProperties: 20, additionalProperties: false },
  )),
  /** The deployment rule whose invitation, offer or button the visitor came through, and its arm. */
  ruleId: Type.Optional(RuleId),
}, strict)
export type VisitorContext = Static<typeof VisitorContext>

/** The contact an offline form left (masked like a message, the e-mail address kept). */
export const OfflineContact = Type.Object({ name: Type.String(), email: Type.String() }, strict)
export type OfflineContact = Static<typeof OfflineContact>

/** Who sent something: the visitor of the conversation, or one of the brand's agents. */
export const Participant = Type.Object({
  kind: Type.Union([Type.Literal('visitor'), Type.Literal('agent')]),
  id: Id,
  name: Type.Optional(Type.String({ maxLength: 128 })),
}, strict)
export type Participant = Static<typeof Participant>

// ── client → relay ──────────────────────────────────────────────────────────────────────────────

/** How a connection proves who it is: a visitor (token optional on first contact) or an agent. */
export const HelloAuth = Type.Union([
  Type.Object({ kind: Type.Literal('visitor'), token: Type.Optional(Type.String({ maxLength: 2048 })) }, strict),
  Type.Object({ kind: Type.Literal('agent'), token: Type.String({ minLength: 1, maxLength: 2048 }) }, strict),
])
export type HelloAuth = Static<typeof HelloAuth>

/** Where a client stands in one conversation: it holds every message up to `afterSeq`. */
export const ResumePoint = Type.Object({ convId: Id, afterSeq: Seq }, strict)
export type ResumePoint = Static<typeof ResumePoint>

/**
 * First frame on every connection. Visitors connect with `?site=SITE_KEY` on the URL. A returning
 * client lists what it holds in `resume`; the relay replays what it missed before any live frame
 * of those conversations.
 */
export const Hello = Type.Object({
  type: Type.Literal('hello'),
  protocol: Type.Integer({ minimum: 1 }),
  auth: HelloAuth,
  context: Type.Optional(VisitorContext),
  resume: Type.Optional(Type.Array(ResumePoint, { maxItems: 10_000 })),
  ref: Ref,
}, strict)
export type Hello = Static<typeof Hello>

/**
 * Send a message. `clientMsgId` is made by the client once and reused on every retry; a visitor's
 * first message to a `convId` the relay has not seen opens that conversation. `attachments` names
 * files the sender uploaded (POST /v1/attachments) and has not sent yet; with them `text` may be
 * empty.
 */
export const MessageSend = Type.Object({
  type: Type.Literal('message.send'),
  convId: Id,
  clientMsgId: Id,
  text: Text,
  attachments: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: MAX_MESSAGE_ATTACHMENTS, uniqueItems: true })),
  ref: Ref,
}, strict)
export type MessageSend = Static<typeof MessageSend>

/** Typing started or stopped in a conversation (not stored). */
export const TypingStart = Type.Object({ type: Type.Literal('typing.start'), convId: Id, ref: Ref }, strict)
export type TypingStart = Static<typeof TypingStart>
export const TypingStop = Type.Object({ type: Type.Literal('typing.stop'), convId: Id, ref: Ref }, strict)
export type TypingStop = Static<typeof TypingStop>

/** The sender has read a conversation up to and including `seq` (stored, monotonic). */
export const MessageRead = Type.Object({ type: Type.Literal('message.read'), convId: Id, seq: Seq, ref: Ref }, strict)
export type MessageRead = Static<typeof MessageRead>

/** Ask for everything after `afterSeq` in each listed conversation, in order. */
export const ConversationResume = Type.Object({
  type: Type.Literal('conversation.resume'),
  convs: Type.Array(ResumePoint, { maxItems: 10_000 }),
  ref: Ref,
}, strict)
export type ConversationResume = Static<typeof ConversationResume>

/** An agent takes part in a conversation of their brand: they receive and may send its messages. */
export const ConversationJoin = Type.Object({ type: Type.Literal('conversation.join'), convId: Id, ref: Ref }, strict)
export type ConversationJoin = Static<typeof ConversationJoin>

/** Close a conversation; no message may be sent to it afterwards. */
export const ConversationClose = Type.Object({ type: Type.Literal('conversation.close'), convId: Id, ref: Ref }, strict)
export type ConversationClose = Static<typeof ConversationClose>

/** A position in a paged list, as the relay gave it in a `next` field; opaque to clients. */
export const PageCursor = Type.String({ minLength: 1, maxLength: 128 })

/**
 * An agent asks for the brand's queue: open conversations no agent has accepted. `order` is
 * `oldest` (the default: longest waiting first), `newest`, or `priority` (highest priority first,
 * then longest waiting); `cursor` continues after a previous answer's `next` in the same order;
 * `limit` is at most 200 (the default).
 */
export const QueueList = Type.Object({
  type: Type.Literal('queue.list'),
  order: Type.Optional(Type.Union([Type.Literal('oldest'), Type.Literal('newest'), Type.Literal('priority')])),
  cursor: Type.Optional(PageCursor),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  ref: Ref,
}, strict)
export type QueueList = Static<typeof QueueList>

/**
 * Pages through the conversations the caller takes part in, newest first (agents: the open ones
 * they joined; visitors: their own), after `cursor` (welcome's `conversationsNext`, or a previous
 * answer's `next`). An agent's connection follows the open conversations listed. Answered by
 * `conversation.listed`.
 */
export const ConversationList = Type.Object({
  type: Type.Literal('conversation.list'),
  cursor: Type.Optional(PageCursor),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  ref: Ref,
}, strict)
export type ConversationList = Static<typeof ConversationList>

/**
 * An agent takes a waiting conversation: it is assigned to them and they join it. Accepting one
 * that another agent holds gets PARLEY_ERR_CONV_ASSIGNED; accepting one's own again is a no-op
 * answered the same way.
 */
export const ConversationAccept = Type.Object({ type: Type.Literal('conversation.accept'), convId: Id, ref: Ref }, strict)
export type ConversationAccept = Static<typeof ConversationAccept>

/** An agent hands a conversation (waiting or their own) to another agent of the brand, who joins it. */
export const ConversationAssign = Type.Object({
  type: Type.Literal('conversation.assign'), convId: Id, agentId: Id, ref: Ref,
}, strict)
export type ConversationAssign = Static<typeof ConversationAssign>

/**
 * The visitor's page changed (navigation, consent given or withdrawn): the relay records the new
 * context and shows it to the agents of the visitor's open conversations.
 */
export const ContextUpdate = Type.Object({ type: Type.Literal('context.update'), context: VisitorContext, ref: Ref }, strict)
export type ContextUpdate = Static<typeof ContextUpdate>

/**
 * A visitor opens a conversation explicitly, with the pre-chat survey's answers. Made once by the
 * client and kept in its outbox like a message: a retry with the same `clientMsgId` (or any retry
 * for a `convId` the visitor already opened) changes nothing and is answered the same. Answered by
 * `conversation.started`; invalid answers get PARLEY_ERR_SURVEY_ANSWER_INVALID naming the field,
 * and nothing is stored. A client without surveys may still open a conversation with its first
 * `message.send`.
 */
export const ConversationOpen = Type.Object({
  type: Type.Literal('conversation.open'),
  convId: Id,
  clientMsgId: Id,
  survey: Type.Optional(SurveySubmission),
  ref: Ref,
}, strict)
export type ConversationOpen = Static<typeof ConversationOpen>

/**
 * A visitor answers a survey in one of their conversations (the post-chat survey, open or closed,
 * or one an agent sent). Idempotent by `clientMsgId`; one answer per survey per conversation (a
 * second gets PARLEY_ERR_SURVEY_ANSWERED). Answered by `survey.answered`.
 */
export const SurveyAnswer = Type.Object({
  type: Type.Literal('survey.answer'),
  convId: Id,
  clientMsgId: Id,
  survey: SurveySubmission,
  ref: Ref,
}, strict)
export type SurveyAnswer = Static<typeof SurveyAnswer>

/** An agent in a conversation sends its visitor a survey (default: the brand's post-chat survey). */
export const SurveyRequest = Type.Object({
  type: Type.Literal('survey.request'),
  convId: Id,
  surveyId: Type.Optional(SurveyId),
  ref: Ref,
}, strict)
export type SurveyRequest = Static<typeof SurveyRequest>

/**
 * An agent turns down a chat the relay offered them (automatic routing); it goes to the next agent
 * who fits. Answered by `offer.ended` with `declined`; a chat not offered to the caller now gets
 * PARLEY_ERR_OFFER_NOT_FOUND. Accepting an offer is `conversation.accept`.
 */
export const ConversationDecline = Type.Object({ type: Type.Literal('conversation.decline'), convId: Id, ref: Ref }, strict)
export type ConversationDecline = Static<typeof ConversationDecline>

/**
 * An agent hands a conversation (waiting, or one they take part in) on: to a colleague (`agentId`,
 * like conversation.assign) or back to the queue of a skill (`skill`), where routing offers it to an
 * agent with that skill. `note` is stored as an internal note of the conversation, for whoever takes it.
 */
export const ConversationTransfer = Type.Union([
  Type.Object({
    type: Type.Literal('conversation.transfer'), convId: Id, agentId: Id,
    note: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_NOTE_TEXT })), ref: Ref,
  }, strict),
  Type.Object({
    type: Type.Literal('conversation.transfer'), convId: Id, skill: RouteSlug,
    note: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_NOTE_TEXT })), ref: Ref,
  }, strict),
])
export type ConversationTransfer = Static<typeof ConversationTransfer>

/**
 * An agent who takes part in a conversation (or any agent, for a waiting one) writes an internal
 * note: agents only, never the visitor. Idempotent by `clientNoteId`; masked like a message.
 * Answered by `note.added`.
 */
export const NoteAdd = Type.Object({
  type: Type.Literal('note.add'),
  convId: Id,
  clientNoteId: Id,
  text: Type.String({ maxLength: MAX_NOTE_TEXT }),
  ref: Ref,
}, strict)
export type NoteAdd = Static<typeof NoteAdd>

/**
 * A visitor's page says who its logged-in customer is: `token` is a JWT the brand signed (HS256 with
 * a secret from POST /v1/identity/secrets, or ES256/RS256 with its own keys). The relay verifies it
 * and answers visitor.identified, then closes the connection (1000): the client says hello again
 * with the new visitor token, and the current conversation comes along.
 */
export const VisitorIdentify = Type.Object({
  type: Type.Literal('visitor.identify'),
  token: Type.String({ minLength: 1, maxLength: 8192 }),
  ref: Ref,
}, strict)
export type VisitorIdentify = Static<typeof VisitorIdentify>

/**
 * The visitor logged out on the brand's site (`Parley('identify', null)`, `Parley('forget')`): the
 * relay ends the visitor session (its token and the identity tokens it used are refused from now
 * on), answers visitor.forgotten and closes the connection (1000).
 */
export const VisitorForget = Type.Object({ type: Type.Literal('visitor.forget'), ref: Ref }, strict)
export type VisitorForget = Static<typeof VisitorForget>

/** Application-level liveness probe; the relay answers `pong` with the same `ref`. */
export const Ping = Type.Object({ type: Type.Literal('ping'), ref: Ref }, strict)
export type Ping = Static<typeof Ping>

/** Every frame a client may send, by type. An unknown type gets PARLEY_ERR_FRAME_UNKNOWN_TYPE. */
export const CLIENT_FRAMES = {
  'hello': Hello,
  'message.send': MessageSend,
  'typing.start': TypingStart,
  'typing.stop': TypingStop,
  'message.read': MessageRead,
  'conversation.resume': ConversationResume,
  'conversation.join': ConversationJoin,
  'conversation.close': ConversationClose,
  'queue.list': QueueList,
  'conversation.list': ConversationList,
  'conversation.accept': ConversationAccept,
  'conversation.assign': ConversationAssign,
  'context.update': ContextUpdate,
  'conversation.open': ConversationOpen,
  'survey.answer': SurveyAnswer,
  'survey.request': SurveyRequest,
  'conversation.decline': ConversationDecline,
  'conversation.transfer': ConversationTransfer,
  'note.add': NoteAdd,
  'visitor.identify': VisitorIdentify,
  'visitor.forget': VisitorForget,
  'ping': Ping,
} as const satisfies Record<string, TSchema>

/** A frame a client may send. */
export type ClientFrame = Static<(typeof CLIENT_FRAMES)[keyof typeof CLIENT_FRAMES]>
/** The `type` of a client frame. */
export type ClientFrameType = keyof typeof CLIENT_FRAMES

// ── relay → client ──────────────────────────────────────────────────────────────────────────────

/** A conversation the connection's identity takes part in, with the relay's last sequence number. */
export const ConversationSummary = Type.Object({
  convId: Id,
  lastSeq: Seq,
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
}, strict)
export type ConversationSummary = Static<typeof ConversationSummary>

/** Who the relay recognised: visitors get a fresh token to keep for the next visit. */
export const WelcomeIdentity = Type.Union([
  Type.Object({
    kind: Type.Literal('visitor'), brandId: Id, visitorId: Id,
    token: Type.String(), expiresAt: Timestamp,
    /** The customer the brand verified (visitor.identify); absent: anonymous. */
    customer: Type.Optional(VerifiedCustomer),
  }, strict),
  Type.Object({
    kind: Type.Literal('agent'), brandId: Id, agentId: Id, name: Type.String(),
    /** What the account may do (access.ts); the console shows only that. Added within protocol 1. */
    role: Type.Optional(RoleName),
  }, strict),
])
export type WelcomeIdentity = Static<typeof WelcomeIdentity>

/** Limits a client should respect, so it can stay inside them instead of being told off. */
export const WelcomeLimits = Type.Object({
  maxFrameBytes: Type.Integer(),
  maxTextLength: Type.Integer(),
  messagesPerSecond: Type.Number(),
  maxResumeConversations: Type.Integer(),
}, strict)
export type WelcomeLimits = Static<typeof WelcomeLimits>

/** Answer to hello: the protocol spoken, who you are, the limits, and your recent conversations. */
export const Welcome = Type.Object({
  type: Type.Literal('welcome'),
  protocol: Type.Integer(),
  identity: WelcomeIdentity,
  heartbeatMs: Type.Integer(),
  limits: WelcomeLimits,
  conversations: Type.Array(ConversationSummary),
  /** Present when the caller has more conversations than welcome carries: send `conversation.list` with it as `cursor`. */
  conversationsNext: Type.Optional(PageCursor),
  ref: Ref,
}, strict)
export type Welcome = Static<typeof Welcome>

/** Answer to conversation.list: a page, newest first, and `next` when there are more. */
export const ConversationListed = Type.Object({
  type: Type.Literal('conversation.listed'),
  conversations: Type.Array(ConversationSummary),
  next: Type.Optional(PageCursor),
  ref: Ref,
}, strict)
export type ConversationListed = Static<typeof ConversationListed>

/**
 * The message is stored. Sent only after the commit; identical for every retry of the same
 * `clientMsgId`. `text` is present only when the relay stored something other than what was sent.
 */
export const MessageAck = Type.Object({
  type: Type.Literal('message.ack'),
  convId: Id,
  clientMsgId: Id,
  seq: Seq,
  at: Timestamp,
  text: Type.Optional(Text),
  /** The files the message carries, as stored (names masked). */
  attachments: Type.Optional(Type.Array(AttachmentRef)),
}, strict)
export type MessageAck = Static<typeof MessageAck>

/**
 * A stored message's text changed after it was sent: masking found a value split across it and the
 * sender's next message, and masked its tail too. Clients replace the text they show and hold.
 */
export const MessageRedacted = Type.Object({
  type: Type.Literal('message.redacted'),
  convId: Id,
  seq: Seq,
  text: Text,
}, strict)
export type MessageRedacted = Static<typeof MessageRedacted>

/** A stored message, fanned out live or replayed on resume. */
export const MessageNew = Type.Object({
  type: Type.Literal('message.new'),
  convId: Id,
  seq: Seq,
  clientMsgId: Id,
  from: Participant,
  text: Text,
  at: Timestamp,
  /** The files the message carries (names masked). */
  attachments: Type.Optional(Type.Array(AttachmentRef)),
}, strict)
export type MessageNew = Static<typeof MessageNew>

/** Someone else in the conversation started or stopped typing. */
export const TypingEvent = Type.Object({
  type: Type.Union([Type.Literal('typing.start'), Type.Literal('typing.stop')]),
  convId: Id,
  from: Participant,
}, strict)
export type TypingEvent = Static<typeof TypingEvent>

/** Someone in the conversation has read it up to `seq`. */
export const ReadEvent = Type.Object({
  type: Type.Literal('message.read'), convId: Id, seq: Seq, by: Participant,
}, strict)
export type ReadEvent = Static<typeof ReadEvent>

/** Replay of one conversation is complete up to `lastSeq`; with `more`, resume again from there. */
export const ConversationResumed = Type.Object({
  type: Type.Literal('conversation.resumed'),
  convId: Id,
  lastSeq: Seq,
  more: Type.Boolean(),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  ref: Ref,
}, strict)
export type ConversationResumed = Static<typeof ConversationResumed>

/** To the brand's agents: a visitor opened a new conversation. */
export const ConversationOpened = Type.Object({
  type: Type.Literal('conversation.opened'),
  convId: Id,
  visitorId: Id,
  at: Timestamp,
  context: Type.Optional(VisitorContext),
  /** The start of the first message (at most 140 characters), for the queue. */
  preview: Type.Optional(Type.String({ maxLength: 140 })),
  /** `offline`: left through the offline message form (absent: a live chat). */
  origin: Type.Optional(Type.Literal('offline')),
  /** The name and e-mail the offline form left, so an agent can write back, or those the pre-chat answers gave. */
  contact: Type.Optional(OfflineContact),
  /** Topic, skill and priority the pre-chat answers set (absent: none set). */
  routing: Type.Optional(Routing),
}, strict)
export type ConversationOpened = Static<typeof ConversationOpened>

/**
 * To the brand's agents: the first message of a conversation `conversation.open` opened before any
 * message, so the queue can show its start. Added within protocol 1; older clients ignore it.
 */
export const ConversationPreviewed = Type.Object({
  type: Type.Literal('conversation.previewed'),
  convId: Id,
  /** The start of the first message (at most 140 characters), as stored. */
  preview: Type.String({ maxLength: 140 }),
}, strict)
export type ConversationPreviewed = Static<typeof ConversationPreviewed>

/** An agent joined a conversation (to the joiner, with the state to catch up from, and to the rest). */
export const ConversationJoined = Type.Object({
  type: Type.Literal('conversation.joined'),
  convId: Id,
  agent: Participant,
  visitorId: Id,
  lastSeq: Seq,
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  context: Type.Optional(VisitorContext),
  /** The agent who holds the conversation (accepted it or was handed it), if anyone does. */
  assignedAgentId: Type.Optional(Id),
  /** To the joiner only: how far they have read it (their stored read position), so a console knows what is unread. */
  readSeq: Type.Optional(Seq),
  /**
   * To the joiner only: how far the visitor has read it (their stored read position), so a console
   * that rejoins after a reload shows "Seen" before the visitor reads again. Added within protocol 1.
   */
  visitorReadSeq: Type.Optional(Seq),
  /** Topic, skill and priority the pre-chat answers set. */
  routing: Type.Optional(Routing),
  /** To the joiner only: the survey answers given so far in the conversation, oldest first. */
  responses: Type.Optional(Type.Array(SurveyResponse)),
  /** To the joiner only: the conversation's internal notes, oldest first. */
  notes: Type.Optional(Type.Array(Note)),
  /** The customer the brand verified for the visitor; absent: anonymous (any name or e-mail elsewhere is unverified). */
  customer: Type.Optional(VerifiedCustomer),
  /** When its content was erased (a stub remains; absent: never), so a console reloaded later still says so. Added within protocol 1. */
  erasedAt: Type.Optional(Timestamp),
  ref: Ref,
}, strict)
export type ConversationJoined = Static<typeof ConversationJoined>

/** The relay itself, when it acts on a brand's settings (closing a quiet chat). */
export const SystemParticipant = Type.Object({ kind: Type.Literal('system'), id: Type.Literal('relay') }, strict)
export type SystemParticipant = Static<typeof SystemParticipant>

/**
 * The conversation was closed; nothing more may be sent to it. `reason: 'inactive'`: the relay
 * closed it (`by` the system) after the brand's inactivity minutes without a visitor message.
 */
export const ConversationClosed = Type.Object({
  type: Type.Literal('conversation.closed'), convId: Id, by: Type.Union([Participant, SystemParticipant]), at: Timestamp,
  reason: Type.Optional(Type.Literal('inactive')),
  /** With `reason: 'inactive'`: the brand's inactivity minutes, for the notice ("closed after 30 minutes without a message"). */
  inactiveMin: Type.Optional(Type.Integer({ minimum: 1 })),
  ref: Ref,
}, strict)
export type ConversationClosed = Static<typeof ConversationClosed>

/**
 * The conversation's content was erased (a visitor's erasure, or a retention purge): its messages,
 * answers, notes and context are gone and a stub remains. Agents drop what they show of it and say
 * "Erased on DATE".
 */
export const ConversationErased = Type.Object({
  type: Type.Literal('conversation.erased'), convId: Id, erasedAt: Timestamp,
}, strict)
export type ConversationErased = Static<typeof ConversationErased>

/** A conversation waiting for an agent, as the queue shows it. */
export const QueueEntry = Type.Object({
  convId: Id,
  visitorId: Id,
  createdAt: Timestamp,
  lastSeq: Seq,
  /** The start of the visitor's first message (at most 140 characters), as stored. */
  preview: Type.String({ maxLength: 140 }),
  context: Type.Optional(VisitorContext),
  /** `offline`: left through the offline message form (absent: a live chat). */
  origin: Type.Optional(Type.Literal('offline')),
  /** The name and e-mail the offline form left, or those the pre-chat answers gave. */
  contact: Type.Optional(OfflineContact),
  /** Topic, skill and priority the pre-chat answers set. */
  routing: Type.Optional(Routing),
}, strict)
export type QueueEntry = Static<typeof QueueEntry>

/**
 * Answer to queue.list: one page, `total` waiting in all, and `next` (a cursor for the following
 * page in the same order) when there are more. Later changes arrive as conversation.opened /
 * assigned / closed.
 */
export const QueueListed = Type.Object({
  type: Type.Literal('queue.listed'),
  conversations: Type.Array(QueueEntry),
  total: Type.Optional(Type.Integer({ minimum: 0 })),
  next: Type.Optional(PageCursor),
  ref: Ref,
}, strict)
export type QueueListed = Static<typeof QueueListed>

/**
 * A conversation now belongs to `agent` (accepted or handed over by `by`). Sent to every agent of
 * the brand (their queues drop it) and to the conversation's visitor (who sees the agent's name).
 */
export const ConversationAssigned = Type.Object({
  type: Type.Literal('conversation.assigned'),
  convId: Id,
  agent: Participant,
  by: Participant,
  at: Timestamp,
  /** The note the handing agent left (conversation.transfer), to agents only. */
  note: Type.Optional(Note),
  ref: Ref,
}, strict)
export type ConversationAssigned = Static<typeof ConversationAssigned>

/** To the agents in a conversation: the visitor's context changed. */
export const ContextUpdated = Type.Object({
  type: Type.Literal('context.updated'), convId: Id, context: VisitorContext,
}, strict)
export type ContextUpdated = Static<typeof ContextUpdated>

/**
 * To every agent of the brand: a colleague's availability changed (status chosen, set away by the
 * idle timer, last connection closed, capacity or active chats changed).
 */
export const AgentStatusChanged = Type.Object({
  type: Type.Literal('agent.status'),
  agent: AgentPresence,
}, strict)
export type AgentStatusChanged = Static<typeof AgentStatusChanged>

/** To the visitor: their conversation.open is stored (identical for every retry). */
export const ConversationStarted = Type.Object({
  type: Type.Literal('conversation.started'),
  convId: Id,
  clientMsgId: Id,
  at: Timestamp,
  ref: Ref,
}, strict)
export type ConversationStarted = Static<typeof ConversationStarted>

/** To the visitor: their survey.answer is stored (identical for every retry). */
export const SurveyAnswered = Type.Object({
  type: Type.Literal('survey.answered'),
  convId: Id,
  clientMsgId: Id,
  surveyId: SurveyId,
  at: Timestamp,
  ref: Ref,
}, strict)
export type SurveyAnswered = Static<typeof SurveyAnswered>

/** To everyone in the conversation: an agent sent the visitor a survey. */
export const SurveyRequested = Type.Object({
  type: Type.Literal('survey.requested'),
  convId: Id,
  surveyId: SurveyId,
  by: Participant,
  at: Timestamp,
  ref: Ref,
}, strict)
export type SurveyRequested = Static<typeof SurveyRequested>

/** To the agents in the conversation: the visitor answered a survey (masked as stored). */
export const SurveyResponded = Type.Object({
  type: Type.Literal('survey.response'),
  convId: Id,
  response: SurveyResponse,
}, strict)
export type SurveyResponded = Static<typeof SurveyResponded>

/**
 * To one agent: the relay offers them a waiting chat (automatic routing). They accept with
 * `conversation.accept` before `expiresAt`, or decline; otherwise it goes to the next agent.
 */
export const ConversationOffered = Type.Object({
  type: Type.Literal('conversation.offered'),
  convId: Id,
  entry: QueueEntry,
  expiresAt: Timestamp,
}, strict)
export type ConversationOffered = Static<typeof ConversationOffered>

/** To the agent an offer was made to: it ended (and why); their console drops it. */
export const OfferEnded = Type.Object({
  type: Type.Literal('offer.ended'),
  convId: Id,
  outcome: OfferOutcome,
  ref: Ref,
}, strict)
export type OfferEnded = Static<typeof OfferEnded>

/**
 * To every agent of the brand: a conversation went back to the queue (handed to a skill's queue by
 * `by`), with the entry queues show; its visitor keeps waiting, now for `skill`.
 */
export const ConversationRequeued = Type.Object({
  type: Type.Literal('conversation.requeued'),
  convId: Id,
  entry: QueueEntry,
  by: Participant,
  at: Timestamp,
  ref: Ref,
}, strict)
export type ConversationRequeued = Static<typeof ConversationRequeued>

/**
 * To the visitor while nobody has answered their chat: their place in the queue (1: next) and, when
 * the relay has enough recent chats to judge, an estimate of the wait in seconds. Sent when it changes.
 */
export const QueuePosition = Type.Object({
  type: Type.Literal('queue.position'),
  convId: Id,
  position: Type.Integer({ minimum: 1 }),
  estimatedWaitSec: Type.Optional(Type.Integer({ minimum: 0 })),
}, strict)
export type QueuePosition = Static<typeof QueuePosition>

/** To the agents of the conversation (never its visitor): a note was written. */
export const NoteAdded = Type.Object({
  type: Type.Literal('note.added'),
  note: Note,
  ref: Ref,
}, strict)
export type NoteAdded = Static<typeof NoteAdded>

/** Answer to ping. */
export const Pong = Type.Object({ type: Type.Literal('pong'), at: Timestamp, ref: Ref }, strict)
export type Pong = Static<typeof Pong>

/** A typed error; `ref` echoes the `ref` (or `clientMsgId`) of the frame that caused it. */
export const ErrorFrame = Type.Object({
  type: Type.Literal('error'),
  code: Type.String(),
  message: Type.String(),
  retryable: Type.Boolean(),
  ref: Ref,
  retryAfterMs: Type.Optional(Type.Integer({ minimum: 0 })),
  /** The survey field an answer was refused for (PARLEY_ERR_SURVEY_ANSWER_INVALID). */
  field: Type.Optional(Type.String({ maxLength: 64 })),
}, strict)
export type ErrorFrame = Static<typeof ErrorFrame>

/** Answer to visitor.identify: the new visitor identity (keep its token); the relay then closes the connection. */
export const VisitorIdentified = Type.Object({
  type: Type.Literal('visitor.identified'),
  identity: Type.Object({
    kind: Type.Literal('visitor'), brandId: Id, visitorId: Id, token: Type.String(), expiresAt: Timestamp, customer: VerifiedCustomer,
  }, strict),
  ref: Ref,
}, strict)
export type VisitorIdentified = Static<typeof VisitorIdentified>

/** Answer to visitor.forget: the session is over; forget the token and everything stored. */
export const VisitorForgotten = Type.Object({ type: Type.Literal('visitor.forgotten'), ref: Ref }, strict)
export type VisitorForgotten = Static<typeof VisitorForgotten>

/** Every frame the relay may send, by type. */
export const SERVER_FRAMES = {
  'welcome': Welcome,
  'message.ack': MessageAck,
  'message.new': MessageNew,
  'message.redacted': MessageRedacted,
  'typing.start': TypingEvent,
  'typing.stop': TypingEvent,
  'message.read': ReadEvent,
  'conversation.resumed': ConversationResumed,
  'conversation.opened': ConversationOpened,
  'conversation.previewed': ConversationPreviewed,
  'conversation.joined': ConversationJoined,
  'conversation.closed': ConversationClosed,
  'conversation.erased': ConversationErased,
  'queue.listed': QueueListed,
  'conversation.listed': ConversationListed,
  'conversation.assigned': ConversationAssigned,
  'context.updated': ContextUpdated,
  'agent.status': AgentStatusChanged,
  'conversation.started': ConversationStarted,
  'survey.answered': SurveyAnswered,
  'survey.requested': SurveyRequested,
  'survey.response': SurveyResponded,
  'conversation.offered': ConversationOffered,
  'offer.ended': OfferEnded,
  'conversation.requeued': ConversationRequeued,
  'queue.position': QueuePosition,
  'note.added': NoteAdded,
  'visitor.identified': VisitorIdentified,
  'visitor.forgotten': VisitorForgotten,
  'pong': Pong,
  'error': ErrorFrame,
} as const satisfies Record<string, TSchema>

/** A frame the relay may send. */
export type ServerFrame = Static<(typeof SERVER_FRAMES)[keyof typeof SERVER_FRAMES]>
