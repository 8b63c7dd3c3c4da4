import { Type, type Static } from '@sinclair/typebox'
import { Id, Timestamp } from './ids.js'
import { VisitorContext } from './frames.js'
import { RolloutArm, RuleId } from './rules.js'
import { SurveySubmission } from './surveys.js'

// The brand's public availability that widgets poll, the offline message form, and the anonymous
// counts of what deployment rules showed. Agents' own status and capacity: agents.ts.

const strict = { additionalProperties: false } as const
const Email = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$' })

/**
 * GET /v1/sites/:siteKey/availability: what a widget polls (every few seconds while its page is
 * visible; uncached). No agent names, no ids.
 */
export const Availability = Type.Object({
  /** Agents whose status is available and who have a free chat slot. */
  agentsAvailable: Type.Integer({ minimum: 0 }),
  /** Live chats waiting for an agent (offline messages not counted). */
  queueLength: Type.Integer({ minimum: 0 }),
  /** Inside the brand's business hours and not on a holiday (true when the brand set no hours). */
  inHours: Type.Boolean(),
  /** The visitor's country (ISO 3166-1 alpha-2) from the operator's proxy header or GeoIP database; absent when unknown. */
  country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
  /** How long to wait before asking again, in ms. */
  pollMs: Type.Integer({ minimum: 1000 }),
}, strict)
export type Availability = Static<typeof Availability>

/**
 * POST /v1/sites/:siteKey/offline-messages: the offline form. Creates a conversation the agents see
 * as offline, with the message as its first message (masked like any message). The name and e-mail
 * are stored as the conversation's contact, masked too but keeping the address, so an agent can write back.
 */
export const OfflineMessage = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  email: Type.Optional(Email),
  message: Type.Optional(Type.String({ minLength: 1, maxLength: 4000 })),
  /**
   * The brand's offline survey, answered, instead of `name`, `email` and `message`: its `email`
   * field is the contact kept for the reply, its `message` field the first message, and the whole
   * answer is stored with the conversation. Without it the three fields are required.
   */
  survey: Type.Optional(SurveySubmission),
  /** Made once by the widget and reused on retry: a second POST with it changes nothing. */
  clientMsgId: Id,
  context: Type.Optional(VisitorContext),
  ruleId: Type.Optional(RuleId),
}, strict)
export type OfflineMessage = Static<typeof OfflineMessage>

/** The answer to an offline message. */
export const OfflineMessageCreated = Type.Object({ convId: Id, at: Timestamp }, strict)
export type OfflineMessageCreated = Static<typeof OfflineMessageCreated>

/** Where a conversation came from: the live chat, or the offline form. */
export const ConversationOrigin = Type.Union([Type.Literal('chat'), Type.Literal('offline')])
export type ConversationOrigin = Static<typeof ConversationOrigin>

/** What the widget counts about a rule's action; nothing in it names the visitor. */
export const RuleEventKind = Type.Union([Type.Literal('impression'), Type.Literal('click'), Type.Literal('dismiss'), Type.Literal('chat')])
export type RuleEventKind = Static<typeof RuleEventKind>

/** One counted event: which rule, which arm, what happened. */
export const RuleEvent = Type.Object({ ruleId: RuleId, arm: RolloutArm, event: RuleEventKind }, strict)
export type RuleEvent = Static<typeof RuleEvent>

/** POST /v1/sites/:siteKey/rule-events: a batch from one page. Events of rules the brand no longer has are dropped. */
export const RuleEventBatch = Type.Object({ events: Type.Array(RuleEvent, { minItems: 1, maxItems: 50 }) }, strict)
export type RuleEventBatch = Static<typeof RuleEventBatch>

/** Counts of one rule's arm, over a period or one day. */
export const RuleCounts = Type.Object({
  impressions: Type.Integer({ minimum: 0 }),
  clicks: Type.Integer({ minimum: 0 }),
  dismissals: Type.Integer({ minimum: 0 }),
  chats: Type.Integer({ minimum: 0 }),
}, strict)
export type RuleCounts = Static<typeof RuleCounts>

/** One rule's counts per arm: the period's totals and each day's (UTC days, oldest first). */
export const RuleStatsEntry = Type.Object({
  ruleId: RuleId,
  arms: Type.Array(Type.Object({
    arm: RolloutArm,
    totals: RuleCounts,
    days: Type.Array(Type.Object({ day: Type.String(), counts: RuleCounts }, strict)),
  }, strict)),
}, strict)
export type RuleStatsEntry = Static<typeof RuleStatsEntry>

/** GET /v1/rules/stats?days=N (API key or agent): aggregate counts per rule and arm, last N UTC days (default 30). */
export const RuleStatsQuery = Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, default: 30 })) }, strict)
export type RuleStatsQuery = Static<typeof RuleStatsQuery>
/** The answer to GET /v1/rules/stats: every current rule in order over UTC days `from`..`to` (inclusive). */
export const RuleStats = Type.Object({ from: Type.String(), to: Type.String(), rules: Type.Array(RuleStatsEntry) }, strict)
export type RuleStats = Static<typeof RuleStats>
