import { Type, type Static } from '@sinclair/typebox'
import { Id, Seq, Timestamp } from './ids.js'

// Signed webhooks (issue 19): a brand's endpoints, the events they subscribe to, what each event
// carries, and the delivery log. An event carries ids, counts and stored (masked) text only: never a
// visitor's context, contact details or survey answers. Bodies follow the Standard Webhooks format
// (https://www.standardwebhooks.com): `{ type, timestamp, data }`, signed over id, timestamp and body.

const strict = { additionalProperties: false } as const

/** The events an endpoint can subscribe to. */
export const WEBHOOK_EVENTS = [
  'conversation.opened', 'conversation.closed', 'conversation.assigned', 'message.created',
  'survey.answered', 'offline.created', 'visitor.erased',
] as const
export const WebhookEventName = Type.Union(WEBHOOK_EVENTS.map((e) => Type.Literal(e)))
export type WebhookEventName = Static<typeof WebhookEventName>

/** What a delivery carries: a subscribed event, or the ping POST /v1/webhooks/:id/test sends. */
export const WebhookEventType = Type.Union([WebhookEventName, Type.Literal('webhook.test')])
export type WebhookEventType = Static<typeof WebhookEventType>

/** The most endpoints a brand may have. */
export const MAX_WEBHOOK_ENDPOINTS = 20

// ── what each event carries (`data`) ──────────────────────────────────────────────────────────────

/** Who did something: a visitor, an agent (by id: no names), or the relay itself. */
export const WebhookActor = Type.Object({
  kind: Type.Union([Type.Literal('visitor'), Type.Literal('agent'), Type.Literal('system')]), id: Id,
}, strict)
export type WebhookActor = Static<typeof WebhookActor>

/** conversation.opened: a visitor started a chat, or left an offline message. */
export const ConversationOpenedData = Type.Object({
  convId: Id, visitorId: Id, at: Timestamp, origin: Type.Union([Type.Literal('chat'), Type.Literal('offline')]),
}, strict)
export type ConversationOpenedData = Static<typeof ConversationOpenedData>

/** conversation.closed: by whom (an agent, the visitor, or the relay for inactivity). */
export const ConversationClosedData = Type.Object({
  convId: Id, by: WebhookActor, at: Timestamp,
}, strict)
export type ConversationClosedData = Static<typeof ConversationClosedData>

/** conversation.assigned: an agent took, was given or was transferred the chat. */
export const ConversationAssignedData = Type.Object({ convId: Id, agentId: Id, by: WebhookActor, at: Timestamp }, strict)
export type ConversationAssignedData = Static<typeof ConversationAssignedData>

/** message.created: the message as stored, its text masked by the brand's masking settings. */
export const MessageCreatedData = Type.Object({ convId: Id, seq: Seq, from: WebhookActor, text: Type.String(), at: Timestamp }, strict)
export type MessageCreatedData = Static<typeof MessageCreatedData>

/** survey.answered: which survey a conversation's visitor answered (the answers stay in Parley). */
export const SurveyAnsweredData = Type.Object({ convId: Id, surveyId: Id, at: Timestamp }, strict)
export type SurveyAnsweredData = Static<typeof SurveyAnsweredData>

/** offline.created: a visitor left a message through the offline form (text masked; no contact details). */
export const OfflineCreatedData = Type.Object({ convId: Id, visitorId: Id, text: Type.String(), at: Timestamp }, strict)
export type OfflineCreatedData = Static<typeof OfflineCreatedData>

/** visitor.erased: a visitor's data was erased; ids and counts, never who it was. */
export const VisitorErasedData = Type.Object({
  requestId: Type.Union([Id, Type.Null()]),
  visitorIds: Type.Array(Id),
  counts: Type.Record(Type.String(), Type.Integer({ minimum: 0 })),
  at: Timestamp,
}, strict)
export type VisitorErasedData = Static<typeof VisitorErasedData>

/** webhook.test: a ping to check an endpoint receives and verifies. */
export const WebhookTestData = Type.Object({ endpointId: Id, at: Timestamp }, strict)
export type WebhookTestData = Static<typeof WebhookTestData>

/** The body POSTed to an endpoint (Standard Webhooks): its type, when it happened (ISO 8601), and its data. */
export const WebhookPayload = Type.Object({
  type: WebhookEventType,
  timestamp: Type.String(),
  brandId: Id,
  data: Type.Union([
    ConversationOpenedData, ConversationClosedData, ConversationAssignedData, MessageCreatedData,
    SurveyAnsweredData, OfflineCreatedData, VisitorErasedData, WebhookTestData,
  ]),
}, strict)
export type WebhookPayload = Static<typeof WebhookPayload>

// ── endpoints ─────────────────────────────────────────────────────────────────────────────────────

/** Where a brand receives events: https on a public address unless the operator allows private ones. */
const WebhookUrl = Type.String({ minLength: 8, maxLength: 2048, pattern: '^https?://' })

/** An endpoint as listed: never its secret (shown once, when created or rotated). */
export const WebhookEndpoint = Type.Object({
  endpointId: Id,
  url: Type.String(),
  events: Type.Array(WebhookEventName),
  description: Type.String(),
  /** False: events are not queued for it (nor sent, for those already queued). */
  enabled: Type.Boolean(),
  createdAt: Timestamp,
  /** While a rotated-out secret still signs too (its grace period); null: one secret signs. */
  previousSecretExpiresAt: Type.Union([Timestamp, Type.Null()]),
}, strict)
export type WebhookEndpoint = Static<typeof WebhookEndpoint>

/** GET /v1/webhooks: the brand's endpoints, oldest first. */
export const WebhookEndpointList = Type.Object({ endpoints: Type.Array(WebhookEndpoint) }, strict)
export type WebhookEndpointList = Static<typeof WebhookEndpointList>

/** POST /v1/webhooks: a new endpoint subscribed to `events`. */
export const CreateWebhookEndpoint = Type.Object({
  url: WebhookUrl,
  events: Type.Array(WebhookEventName, { minItems: 1, uniqueItems: true }),
  description: Type.Optional(Type.String({ maxLength: 256 })),
  enabled: Type.Optional(Type.Boolean()),
}, strict)
export type CreateWebhookEndpoint = Static<typeof CreateWebhookEndpoint>

/** PATCH /v1/webhooks/:endpointId: change what is given. */
export const WebhookEndpointPatch = Type.Object({
  url: Type.Optional(WebhookUrl),
  events: Type.Optional(Type.Array(WebhookEventName, { minItems: 1, uniqueItems: true })),
  description: Type.Optional(Type.String({ maxLength: 256 })),
  enabled: Type.Optional(Type.Boolean()),
}, strict)
export type WebhookEndpointPatch = Static<typeof WebhookEndpointPatch>

/** An endpoint just created, or its secret just rotated: `whsec_…`, shown this once. */
export const CreatedWebhookEndpoint = Type.Object({ endpoint: WebhookEndpoint, secret: Type.String() }, strict)
export type CreatedWebhookEndpoint = Static<typeof CreatedWebhookEndpoint>

/** POST /v1/webhooks/:endpointId/rotate-secret: the old secret signs too for `graceSeconds` (default 86400; 0: no more). */
export const RotateWebhookSecret = Type.Object({
  graceSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 7 * 86400 })),
}, strict)
export type RotateWebhookSecret = Static<typeof RotateWebhookSecret>

/** Path parameter holding an endpoint id. */
export const WebhookParams = Type.Object({ endpointId: Id }, strict)
export type WebhookParams = Static<typeof WebhookParams>

// ── deliveries ────────────────────────────────────────────────────────────────────────────────────

/** Where a delivery stands: waiting for (another) attempt, received with a 2xx, or given up after 24 h. */
export const WebhookDeliveryStatus = Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')])
export type WebhookDeliveryStatus = Static<typeof WebhookDeliveryStatus>

/** Why the last attempt did not deliver (null with a non-2xx status: the status says). */
export const WEBHOOK_ATTEMPT_ERRORS = ['timeout', 'connection', 'address_refused', 'endpoint_disabled', 'endpoint_deleted', 'expired'] as const
export const WebhookAttemptError = Type.Union(WEBHOOK_ATTEMPT_ERRORS.map((e) => Type.Literal(e)))
export type WebhookAttemptError = Static<typeof WebhookAttemptError>

/** One event to one endpoint, with the outcome of its attempts so far. */
export const WebhookDelivery = Type.Object({
  deliveryId: Id,
  endpointId: Id,
  /** The `webhook-id` header: the same for a retry and a replay, so a receiver can tell repeats. */
  eventId: Id,
  type: WebhookEventType,
  status: WebhookDeliveryStatus,
  attempts: Type.Integer({ minimum: 0 }),
  /** When the next attempt is due; null once delivered or failed. */
  nextAttemptAt: Type.Union([Timestamp, Type.Null()]),
  /** The HTTP status of the last attempt; null: none answered. */
  lastStatus: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([WebhookAttemptError, Type.Null()]),
  createdAt: Timestamp,
  deliveredAt: Type.Union([Timestamp, Type.Null()]),
}, strict)
export type WebhookDelivery = Static<typeof WebhookDelivery>

/** GET /v1/webhooks/:endpointId/deliveries: newest first, filtered by status; `cursor` is a page's `next`. */
export const WebhookDeliveryQuery = Type.Object({
  status: Type.Optional(WebhookDeliveryStatus),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  cursor: Type.Optional(Type.String({ maxLength: 32 })),
}, strict)
export type WebhookDeliveryQuery = Static<typeof WebhookDeliveryQuery>

/** A page of an endpoint's delivery log. */
export const WebhookDeliveryPage = Type.Object({ deliveries: Type.Array(WebhookDelivery), next: Type.Union([Type.String(), Type.Null()]) }, strict)
export type WebhookDeliveryPage = Static<typeof WebhookDeliveryPage>

/** Path parameter holding a delivery id. */
export const WebhookDeliveryParams = Type.Object({ deliveryId: Id }, strict)
export type WebhookDeliveryParams = Static<typeof WebhookDeliveryParams>
