import { Type, type Static } from '@sinclair/typebox'
import { Id, Timestamp } from './ids.js'
import { AgentStatus } from './agents.js'
import { Routing, RouteSlug } from './surveys.js'
import {
  DEFAULT_INACTIVITY_CLOSE_MIN, DEFAULT_OFFER_TIMEOUT_SEC, MAX_INACTIVITY_CLOSE_MIN, MAX_OFFER_TIMEOUT_SEC, MIN_OFFER_TIMEOUT_SEC,
} from './routing-limits.js'

// How a brand's new chats reach agents (manual: agents accept from the queue; automatic: the relay
// offers each to an agent who fits), when a quiet chat closes itself, what a supervisor sees, and an
// agent's own notification settings. Frames that carry these live in frames.ts.

const strict = { additionalProperties: false } as const

/** `manual`: agents accept from the queue. `automatic`: the relay offers each new chat to an agent who fits. */
export const RoutingMode = Type.Union([Type.Literal('manual'), Type.Literal('automatic')])
export type RoutingMode = Static<typeof RoutingMode>

/**
 * GET/PUT /v1/routing: the brand's routing settings. Every field has a default, so `{}` is valid:
 * manual routing, offers of 30 s, chats closing after 30 minutes without a visitor message.
 */
export const RoutingConfig = Type.Object({
  mode: Type.Optional(RoutingMode),
  /** Seconds an offered chat waits for the agent before it goes to the next one (a missed offer). */
  offerTimeoutSec: Type.Optional(Type.Integer({ minimum: MIN_OFFER_TIMEOUT_SEC, maximum: MAX_OFFER_TIMEOUT_SEC, default: DEFAULT_OFFER_TIMEOUT_SEC })),
  /** Minutes without a visitor message after which an open live chat closes itself (0: never). */
  inactivityCloseMin: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_INACTIVITY_CLOSE_MIN, default: DEFAULT_INACTIVITY_CLOSE_MIN })),
}, strict)
export type RoutingConfig = Static<typeof RoutingConfig>

/** Why an offer ended: accepted, declined, not answered in time (a missed offer), taken by someone else, the chat closed, or withdrawn (the agent went away or routing turned manual). */
export const OfferOutcome = Type.Union([
  Type.Literal('accepted'), Type.Literal('declined'), Type.Literal('timeout'), Type.Literal('taken'), Type.Literal('closed'), Type.Literal('withdrawn'),
])
export type OfferOutcome = Static<typeof OfferOutcome>

/** One agent as the supervisor view shows them. */
export const SupervisorAgent = Type.Object({
  agentId: Id,
  name: Type.String(),
  status: AgentStatus,
  capacity: Type.Integer({ minimum: 1 }),
  activeChats: Type.Integer({ minimum: 0 }),
  skills: Type.Array(RouteSlug),
  /** Chats offered to the agent now, not yet accepted. */
  offersPending: Type.Integer({ minimum: 0 }),
  /** Offers the agent let time out since the start of today (UTC). */
  missedToday: Type.Integer({ minimum: 0 }),
}, strict)
export type SupervisorAgent = Static<typeof SupervisorAgent>

/** One waiting chat as the supervisor view shows it. */
export const SupervisorQueueEntry = Type.Object({
  convId: Id,
  createdAt: Timestamp,
  /** When it went back to a queue (a transfer to a skill); absent when it has waited since it opened. */
  queuedAt: Type.Optional(Timestamp),
  /** Seconds it has waited so far, since `queuedAt` if it went back to a queue, else since `createdAt`. */
  waitingSec: Type.Integer({ minimum: 0 }),
  routing: Type.Optional(Routing),
  /** The agent it is offered to now, if any. */
  offeredTo: Type.Optional(Id),
}, strict)
export type SupervisorQueueEntry = Static<typeof SupervisorQueueEntry>

/** GET /v1/supervisor (any agent of the brand, or its API key): the brand's floor right now. */
export const SupervisorView = Type.Object({
  mode: RoutingMode,
  agents: Type.Array(SupervisorAgent),
  /** Live chats waiting for an agent, in the order they will be offered (priority, then age); at most 200. */
  queue: Type.Array(SupervisorQueueEntry),
  /** Every chat waiting (the queue list may be cut at 200). */
  queueLength: Type.Integer({ minimum: 0 }),
  /** Offers let time out since the start of today (UTC), by every agent. */
  missedToday: Type.Integer({ minimum: 0 }),
  at: Timestamp,
}, strict)
export type SupervisorView = Static<typeof SupervisorView>

/** GET/PUT /v1/agent/settings (the agent's own token): how the console tells this agent about new chats and messages. */
export const AgentSettings = Type.Object({
  /** Play a sound for a new offered or waiting chat and a new message in a chat not on screen (default on). */
  sound: Type.Boolean(),
  /** Show a desktop notification for the same, once the browser allows it (default on). */
  desktop: Type.Boolean(),
}, strict)
export type AgentSettings = Static<typeof AgentSettings>

/** The settings of an agent who never changed them. */
export const DEFAULT_AGENT_SETTINGS: AgentSettings = { sound: true, desktop: true }
