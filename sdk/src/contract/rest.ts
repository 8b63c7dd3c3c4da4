import { Type, type Static } from '@sinclair/typebox'
import { Id, Seq, Timestamp } from './ids.js'
import { OfflineContact, Participant, VisitorContext } from './frames.js'
import { ConversationOrigin } from './availability.js'
import { Routing, RouteSlug } from './surveys.js'
import { AttachmentRef } from './attachments.js'
import { RoleName } from './security.js'
import { LegalHoldInfo } from './data-rights.js'

// REST bodies under /v1. The relay validates requests with these schemas and serialises responses
// with them; the SDK and console type their calls with the same ones.

const strict = { additionalProperties: false } as const
const Email = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$' })
const Status = Type.Union([Type.Literal('open'), Type.Literal('closed')])

/** Every REST error body. `requestId` ties it to the relay's log line. */
export const ErrorBody = Type.Object({
  code: Type.String(), message: Type.String(), retryable: Type.Boolean(), requestId: Type.String(),
  /** The survey field an answer was refused for (PARLEY_ERR_SURVEY_ANSWER_INVALID). */
  field: Type.Optional(Type.String()),
}, strict)
export type ErrorBody = Static<typeof ErrorBody>

/** POST /v1/agent/sessions: an agent logs in. */
export const AgentLogin = Type.Object({
  brandId: Id, email: Email, password: Type.String({ minLength: 1, maxLength: 1024 }),
}, strict)
export type AgentLogin = Static<typeof AgentLogin>

/** An agent account, as anyone may see it (never the password hash). */
export const Agent = Type.Object({
  agentId: Id, brandId: Id, email: Type.String(), name: Type.String(), createdAt: Timestamp,
  /** Chats at once the agent takes (PATCH /v1/agents/:agentId changes it). */
  capacity: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
  /** The skills (teams) automatic routing matches chats against (PATCH /v1/agents/:agentId replaces them whole). */
  skills: Type.Optional(Type.Array(RouteSlug)),
  /** What the account may do (access.ts): agent, supervisor or admin. */
  role: RoleName,
  /** False once deactivated: it cannot sign in, and its sessions ended. */
  active: Type.Boolean(),
}, strict)
export type Agent = Static<typeof Agent>

/** An agent as colleagues see them: enough to hand a chat over, no login e-mail. */
export const Colleague = Type.Object({ agentId: Id, name: Type.String() }, strict)
export type Colleague = Static<typeof Colleague>

/** GET /v1/agents (brand API key or any agent of the brand): the brand's agents, by name. */
export const AgentList = Type.Object({ agents: Type.Array(Colleague) }, strict)
export type AgentList = Static<typeof AgentList>

/** The answer to a login: a bearer token for `hello` and the `Authorization` header. */
export const AgentSession = Type.Object({ token: Type.String(), expiresAt: Timestamp, sessionId: Id, agent: Agent }, strict)
export type AgentSession = Static<typeof AgentSession>

/** POST /v1/agents (brand API key): create an agent. */
export const CreateAgent = Type.Object({
  email: Email,
  name: Type.String({ minLength: 1, maxLength: 128 }),
  password: Type.String({ minLength: 8, maxLength: 1024 }),
  /** Default `agent`. */
  role: Type.Optional(RoleName),
}, strict)
export type CreateAgent = Static<typeof CreateAgent>

/** A conversation's header, without its messages. */
export const Conversation = Type.Object({
  convId: Id,
  brandId: Id,
  visitorId: Id,
  status: Status,
  createdAt: Timestamp,
  closedAt: Type.Union([Timestamp, Type.Null()]),
  lastSeq: Seq,
  context: Type.Union([VisitorContext, Type.Null()]),
  /** The agent the conversation is assigned to; null while it waits in the queue. */
  assignedAgentId: Type.Union([Id, Type.Null()]),
  /**
   * `offline`: left through the offline message form; `contact` then says how to write back. A live
   * chat has a `contact` too when its pre-chat answers gave a name or e-mail (purpose `name`/`email`).
   */
  origin: ConversationOrigin,
  contact: Type.Union([OfflineContact, Type.Null()]),
  /** Topic, skill and priority the pre-chat answers set (absent: none). */
  routing: Type.Optional(Routing),
  /** Listings only (GET /v1/conversations): the post-chat CSAT rating, 1–5 (absent: none given). */
  csat: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
  /** Listings only: the start of the first message, masked as stored ('' when none yet). */
  preview: Type.Optional(Type.String()),
  /** When its content was erased (an erasure or a retention purge): its messages are gone, this header stays (absent: never). */
  erasedAt: Type.Optional(Timestamp),
  /** The legal hold that exempts it from purges and erasure (absent: none; never shown to a visitor). */
  legalHold: Type.Optional(LegalHoldInfo),
}, strict)
export type Conversation = Static<typeof Conversation>

/** GET /v1/conversations query: newest first, paged with `before` (a createdAt cursor); every filter given applies. */
export const ConversationListQuery = Type.Object({
  status: Type.Optional(Status),
  visitorId: Type.Optional(Id),
  /** Full-text search over the transcript, open and closed (words, all must match; prefix with `*`, e.g. `refun*`). */
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  /** Only conversations this agent took part in. */
  agentId: Type.Optional(Id),
  /** Only conversations with this routing topic. */
  topic: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9_-]*$' })),
  /** Only conversations opened at or after / before this time (ms since the epoch). */
  from: Type.Optional(Type.Integer({ minimum: 0 })),
  to: Type.Optional(Type.Integer({ minimum: 0 })),
  /** Only conversations whose post-chat CSAT rating (1–5) is within these bounds. */
  csatMin: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
  csatMax: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  before: Type.Optional(Type.String({ maxLength: 128, pattern: '^[0-9]{1,16}\\.[A-Za-z0-9_-]{1,64}$' })),
}, strict)
export type ConversationListQuery = Static<typeof ConversationListQuery>

/** A page of conversations; pass `next` as `before` for the following page. */
export const ConversationPage = Type.Object({
  conversations: Type.Array(Conversation), next: Type.Union([Type.String(), Type.Null()]),
}, strict)
export type ConversationPage = Static<typeof ConversationPage>

/** A stored message as the transcript holds it. */
export const StoredMessage = Type.Object({
  convId: Id, seq: Seq, clientMsgId: Id, from: Participant, text: Type.String(), at: Timestamp,
  /** The files the message carries (absent: none). */
  attachments: Type.Optional(Type.Array(AttachmentRef)),
}, strict)
export type StoredMessage = Static<typeof StoredMessage>

/** GET /v1/conversations/:convId/messages query. */
export const MessageListQuery = Type.Object({
  afterSeq: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
}, strict)
export type MessageListQuery = Static<typeof MessageListQuery>

/** A page of a transcript in sequence order; `more` says whether to ask again after the last seq. */
export const MessagePage = Type.Object({ messages: Type.Array(StoredMessage), more: Type.Boolean() }, strict)
export type MessagePage = Static<typeof MessagePage>

/** Path parameter holding a conversation id. */
export const ConvParams = Type.Object({ convId: Id }, strict)
export type ConvParams = Static<typeof ConvParams>

/** Path parameter holding a public site key. */
export const SiteParams = Type.Object({ siteKey: Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' }) }, strict)
export type SiteParams = Static<typeof SiteParams>

/** GET /healthz and /readyz. */
export const Health = Type.Object({ status: Type.String(), protocol: Type.Integer() }, strict)
export type Health = Static<typeof Health>

const Origin = Type.String({ minLength: 1, maxLength: 300, pattern: '^https?://[^/?#\\s]+$' })

/**
 * A JSON Merge Patch (RFC 7396) body: an object whose keys replace, and whose nulls remove, the
 * stored document's. The merged result is validated with the document's own schema.
 */
export const MergePatch = Type.Object({}, { additionalProperties: true, description: 'JSON Merge Patch (RFC 7396) of the stored document' })
export type MergePatch = Static<typeof MergePatch>

/** GET /v1/brand (brand API key): the brand as its own API key sees it. */
export const BrandInfo = Type.Object({
  brandId: Id, name: Type.String(), siteKey: Type.String(), allowedOrigins: Type.Array(Type.String()), createdAt: Timestamp,
}, strict)
export type BrandInfo = Static<typeof BrandInfo>

/** PATCH /v1/brand: rename the brand or replace the origins its widget may run on. */
export const BrandPatch = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  allowedOrigins: Type.Optional(Type.Array(Origin, { minItems: 1, maxItems: 50 })),
}, strict)
export type BrandPatch = Static<typeof BrandPatch>

/**
 * A run of `mask-existing`: masks the brand's stored transcripts (search index included) under its
 * current masking configuration. Resumable: a run that stopped goes on from where it was.
 */
export const MaskingRun = Type.Object({
  runId: Id,
  status: Type.Union([Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]),
  startedAt: Timestamp,
  finishedAt: Type.Union([Timestamp, Type.Null()]),
  /** Messages looked at so far, and how many of them masking changed. */
  scanned: Type.Integer({ minimum: 0 }),
  changed: Type.Integer({ minimum: 0 }),
}, strict)
export type MaskingRun = Static<typeof MaskingRun>

/** Path parameter holding a masking run id. */
export const MaskingRunParams = Type.Object({ runId: Id }, strict)
export type MaskingRunParams = Static<typeof MaskingRunParams>
