import { Type, type Static } from '@sinclair/typebox'
import { Id, Seq, Timestamp } from './ids.js'
import { OfflineContact, VisitorContext } from './frames.js'
import { AnswerValue, Routing } from './surveys.js'

// REST bodies of a visitor's data rights (export, correction, erasure, consent) and of what the
// brand keeps and for how long (retention, legal holds). Every route here is scoped and audited;
// docs/privacy.md maps each promise of a brand's privacy policy to one of these calls.

const strict = { additionalProperties: false } as const

// ── which visitor ─────────────────────────────────────────────────────────────────────────────────

/**
 * One visitor, named one of three ways: the widget's visitor id, the brand's verified customer id
 * (every visitor id that customer used), or an e-mail address the visitor gave in a form (every
 * visitor whose offline form, pre-chat answers or verified identity carried it; compared without
 * case).
 */
export const VisitorSelector = Type.Union([
  Type.Object({ visitorId: Id }, strict),
  Type.Object({ customerId: Type.String({ minLength: 1, maxLength: 256 }) }, strict),
  Type.Object({ email: Type.String({ minLength: 3, maxLength: 320, pattern: '^[^\\s@]+@[^\\s@]+$' }) }, strict),
])
export type VisitorSelector = Static<typeof VisitorSelector>

/** Which kind of selector named the visitor (what receipts and the audit log keep: never its value). */
export const SelectorKind = Type.Union([Type.Literal('visitorId'), Type.Literal('customerId'), Type.Literal('email')])
export type SelectorKind = Static<typeof SelectorKind>

// ── export ────────────────────────────────────────────────────────────────────────────────────────

/** The renderings of an export: the versioned JSON document, or the same for people to read. */
export const EXPORT_FORMATS = ['json', 'html', 'text'] as const
export const ExportFormat = Type.Union(EXPORT_FORMATS.map((f) => Type.Literal(f)))
export type ExportFormat = Static<typeof ExportFormat>

/** POST /v1/visitors/export: everything stored about one visitor, streamed. */
export const ExportRequest = Type.Object({
  selector: VisitorSelector,
  /** Default `json`. */
  format: Type.Optional(ExportFormat),
}, strict)
export type ExportRequest = Static<typeof ExportRequest>

/** The `format` field of an export document, and its version (bumped only by a breaking change). */
export const EXPORT_DOCUMENT_FORMAT = 'parley.visitor-export'
export const EXPORT_DOCUMENT_VERSION = 1

/** A consent change the visitor (or the brand on their behalf) made. */
export const ConsentEvent = Type.Object({
  visitorId: Id,
  at: Timestamp,
  state: Type.Union([Type.Literal('granted'), Type.Literal('denied')]),
  /** `widget`: the visitor, or the brand's banner through `Parley('consent', …)`; `api`: the brand's REST call. */
  source: Type.Union([Type.Literal('widget'), Type.Literal('api')]),
}, strict)
export type ConsentEvent = Static<typeof ConsentEvent>

/** One visitor record as exported. */
export const ExportedVisitor = Type.Object({
  visitorId: Id,
  createdAt: Timestamp,
  lastSeenAt: Timestamp,
  /** Absent once the visitor withdrew consent (visits are not counted then). */
  visitCount: Type.Optional(Type.Integer({ minimum: 0 })),
  /** The latest context the visitor's page sent (behavioural values only with consent). */
  context: Type.Union([VisitorContext, Type.Null()]),
  /** `denied`: the visitor withdrew consent to behavioural tracking; null: never said. */
  consent: Type.Union([Type.Literal('granted'), Type.Literal('denied'), Type.Null()]),
}, strict)
export type ExportedVisitor = Static<typeof ExportedVisitor>

/** One message as exported. */
export const ExportedMessage = Type.Object({
  seq: Seq,
  from: Type.Union([Type.Literal('visitor'), Type.Literal('agent'), Type.Literal('system')]),
  /** The sender's display name at the time (agents: their name; the visitor: what they gave). */
  name: Type.Optional(Type.String()),
  /** As stored: masked before it was stored. */
  text: Type.String(),
  at: Timestamp,
  /** Files the message carried: their names, types and sizes (the files are fetched separately). */
  attachments: Type.Optional(Type.Array(Type.Object({ name: Type.String(), type: Type.String(), size: Type.Integer({ minimum: 0 }) }, strict))),
}, strict)
export type ExportedMessage = Static<typeof ExportedMessage>

/** One survey answer set as exported: answers under the field's label at the time. */
export const ExportedSurveyResponse = Type.Object({
  surveyId: Id,
  kind: Type.Union([Type.Literal('pre'), Type.Literal('post'), Type.Literal('offline')]),
  at: Timestamp,
  answers: Type.Record(Type.String(), AnswerValue),
  /** The field labels the visitor saw, by field id. */
  labels: Type.Optional(Type.Record(Type.String(), Type.String())),
  /** For each consent field ticked, the exact text the visitor agreed to. */
  consents: Type.Optional(Type.Record(Type.String(), Type.String())),
}, strict)
export type ExportedSurveyResponse = Static<typeof ExportedSurveyResponse>

/** One conversation as exported, with everything stored in it. */
export const ExportedConversation = Type.Object({
  convId: Id,
  visitorId: Id,
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  origin: Type.Union([Type.Literal('chat'), Type.Literal('offline')]),
  createdAt: Timestamp,
  closedAt: Type.Union([Timestamp, Type.Null()]),
  contact: Type.Union([OfflineContact, Type.Null()]),
  context: Type.Union([VisitorContext, Type.Null()]),
  routing: Routing,
  /** Set when the conversation's content was erased (a stub remains); its messages are gone. */
  erasedAt: Type.Union([Timestamp, Type.Null()]),
  messages: Type.Array(ExportedMessage),
  surveyResponses: Type.Array(ExportedSurveyResponse),
}, strict)
export type ExportedConversation = Static<typeof ExportedConversation>

/**
 * The export document (`format` parley.visitor-export, `version` 1). Written in this key order, so
 * that a reader can stream it: the header, visitors, consent events, then each conversation whole.
 */
export const VisitorExport = Type.Object({
  format: Type.Literal(EXPORT_DOCUMENT_FORMAT),
  version: Type.Literal(EXPORT_DOCUMENT_VERSION),
  brandId: Id,
  exportedAt: Timestamp,
  selector: SelectorKind,
  /** The verified customer the visitor is (null: none). */
  customer: Type.Union([Type.Object({ customerId: Type.String(), name: Type.Union([Type.String(), Type.Null()]), email: Type.Union([Type.String(), Type.Null()]) }, strict), Type.Null()]),
  visitors: Type.Array(ExportedVisitor),
  consentEvents: Type.Array(ConsentEvent),
  conversations: Type.Array(ExportedConversation),
}, strict)
export type VisitorExport = Static<typeof VisitorExport>

// ── correction ────────────────────────────────────────────────────────────────────────────────────

/**
 * POST /v1/visitors/correct: new contact details for every conversation (and the verified customer
 * record) of the visitor. The old values are overwritten, not kept; the audit log records which
 * fields were corrected, never their values.
 */
export const CorrectContact = Type.Object({
  selector: VisitorSelector,
  contact: Type.Object({
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    email: Type.Optional(Type.String({ minLength: 3, maxLength: 320, pattern: '^[^\\s@]+@[^\\s@]+$' })),
  }, { ...strict, minProperties: 1 }),
}, strict)
export type CorrectContact = Static<typeof CorrectContact>

/** What a correction changed: how many records. */
export const CorrectionResult = Type.Object({
  conversations: Type.Integer({ minimum: 0 }),
  customers: Type.Integer({ minimum: 0 }),
  surveyResponses: Type.Integer({ minimum: 0 }),
}, strict)
export type CorrectionResult = Static<typeof CorrectionResult>

/**
 * PATCH /v1/conversations/:convId/surveys/:surveyId/answers: new values for some answers of one
 * survey response, checked against the survey version it answered (a field it lacks, or a value of
 * the wrong type, is refused with SURVEY_ANSWER_INVALID and changes nothing). `null` clears an answer.
 */
export const CorrectAnswers = Type.Object({
  answers: Type.Record(Type.String({ minLength: 1, maxLength: 64 }), Type.Union([AnswerValue, Type.Null()]), { minProperties: 1, maxProperties: 100 }),
}, strict)
export type CorrectAnswers = Static<typeof CorrectAnswers>

export const SurveyAnswersParams = Type.Object({ convId: Id, surveyId: Id }, strict)
export type SurveyAnswersParams = Static<typeof SurveyAnswersParams>

// ── erasure ───────────────────────────────────────────────────────────────────────────────────────

/** The longest grace period an erasure request may wait before it runs. */
export const MAX_ERASURE_GRACE_DAYS = 90

/**
 * POST /v1/visitors/erase: erase one visitor's data. `graceDays` 0 (the default) erases at once and
 * answers 200 with the receipt; more schedules the request (202) to run then, cancellable until it
 * does (DELETE /v1/erasures/:requestId).
 */
export const EraseRequest = Type.Object({
  selector: VisitorSelector,
  graceDays: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_ERASURE_GRACE_DAYS })),
}, strict)
export type EraseRequest = Static<typeof EraseRequest>

/** How many records of each kind an erasure removed. */
export const ErasedCounts = Type.Object({
  visitors: Type.Integer({ minimum: 0 }),
  customers: Type.Integer({ minimum: 0 }),
  conversations: Type.Integer({ minimum: 0 }),
  messages: Type.Integer({ minimum: 0 }),
  surveyResponses: Type.Integer({ minimum: 0 }),
  contexts: Type.Integer({ minimum: 0 }),
  consentEvents: Type.Integer({ minimum: 0 }),
  notes: Type.Integer({ minimum: 0 }),
  attachments: Type.Integer({ minimum: 0 }),
  searchEntries: Type.Integer({ minimum: 0 }),
}, strict)
export type ErasedCounts = Static<typeof ErasedCounts>

/**
 * What an erasure removed and when: no personal data, only ids, counts and times. Conversations
 * under a legal hold are listed in `held` and were left whole.
 */
export const ErasureReceipt = Type.Object({
  requestId: Id,
  brandId: Id,
  selector: SelectorKind,
  /** The visitor ids whose data was erased. */
  visitorIds: Type.Array(Id),
  removed: ErasedCounts,
  /** Conversations a legal hold kept. */
  held: Type.Array(Id),
  requestedAt: Timestamp,
  erasedAt: Timestamp,
}, strict)
export type ErasureReceipt = Static<typeof ErasureReceipt>

/** An erasure request: scheduled, cancelled, or done (with its receipt). */
export const ErasureRequest = Type.Object({
  requestId: Id,
  status: Type.Union([Type.Literal('scheduled'), Type.Literal('cancelled'), Type.Literal('done')]),
  selector: SelectorKind,
  requestedAt: Timestamp,
  /** Who asked: `agent:ID` or `key:ID`. */
  requestedBy: Type.String(),
  /** When it runs (scheduled) or ran. */
  runAt: Timestamp,
  cancelledAt: Type.Union([Timestamp, Type.Null()]),
  receipt: Type.Union([ErasureReceipt, Type.Null()]),
}, strict)
export type ErasureRequest = Static<typeof ErasureRequest>

export const ErasureRequestList = Type.Object({ requests: Type.Array(ErasureRequest) }, strict)
export type ErasureRequestList = Static<typeof ErasureRequestList>

export const ErasureParams = Type.Object({ requestId: Id }, strict)
export type ErasureParams = Static<typeof ErasureParams>

// ── consent ───────────────────────────────────────────────────────────────────────────────────────

/**
 * POST /v1/visitors/consent: record the visitor's consent to behavioural tracking on their behalf
 * (a brand's own consent manager). `denied` deletes the behavioural values already stored on the
 * visitor and every conversation of theirs, closed ones too, and stops visit counting.
 */
export const ConsentChange = Type.Object({
  selector: VisitorSelector,
  state: Type.Union([Type.Literal('granted'), Type.Literal('denied')]),
}, strict)
export type ConsentChange = Static<typeof ConsentChange>

export const ConsentResult = Type.Object({
  visitorIds: Type.Array(Id),
  /** Conversations whose stored context lost behavioural values. */
  conversations: Type.Integer({ minimum: 0 }),
}, strict)
export type ConsentResult = Static<typeof ConsentResult>

/** The context fields that are behavioural: stored only with consent (see VisitorContext). */
export const BEHAVIOURAL_CONTEXT_FIELDS = ['pagesViewed', 'timeOnSiteSec', 'visitCount', 'returning'] as const

// ── retention and legal holds ─────────────────────────────────────────────────────────────────────

/** The longest retention period a brand may set, in days (ten years). */
export const MAX_RETENTION_DAYS = 3650

/**
 * GET/PUT/PATCH /v1/privacy: how long the brand keeps what. Every period is off (kept for ever)
 * until the brand sets it; a purge erases as an erasure does (a stub stays), in small batches.
 */
export const PrivacyConfig = Type.Object({
  /** Live chats: purged this many days after they closed. */
  transcriptRetentionDays: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_RETENTION_DAYS })),
  /** Offline form entries: purged this many days after they were left (default: as transcripts). */
  offlineRetentionDays: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_RETENTION_DAYS })),
  /** The grace period an erasure request gets when it names none (default 0: at once). */
  erasureGraceDays: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_ERASURE_GRACE_DAYS })),
}, strict)
export type PrivacyConfig = Static<typeof PrivacyConfig>

/** PUT /v1/conversations/:convId/hold: exempt a conversation from retention purges and erasure. */
export const LegalHold = Type.Object({
  reason: Type.String({ minLength: 1, maxLength: 500 }),
}, strict)
export type LegalHold = Static<typeof LegalHold>

/** A legal hold that stands: the brand's reason, when and by whom (`agent:ID` or `key:ID`) it was set. */
export const LegalHoldInfo = Type.Object({ reason: Type.String(), at: Timestamp, by: Type.String() }, strict)
export type LegalHoldInfo = Static<typeof LegalHoldInfo>

/** A conversation's legal hold as stored. */
export const LegalHoldState = Type.Object({
  convId: Id,
  hold: Type.Union([LegalHoldInfo, Type.Null()]),
}, strict)
export type LegalHoldState = Static<typeof LegalHoldState>
