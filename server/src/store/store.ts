import type {
  AgentSettings, AttachmentRef, CannedReply, CannedReplyPatch, CannedScope, Note, OfferOutcome, RoutingConfig,
  BusinessHours, ConversationListQuery, MaskingConfig, OfflineContact, Participant, Report, ReportQuery, Routing, RulesConfig, Survey, SurveyResponse,
  SurveysConfig, VisitorContext, WidgetConfig, Role, Scope, AuditEntry, AuditAction, SecurityConfig,
  AnswerValue, ConsentEvent, CorrectionResult, ErasedCounts, ErasureReceipt, PrivacyConfig, SelectorKind, VisitorSelector,
  WebhookAttemptError, WebhookDelivery, WebhookDeliveryStatus, WebhookEventName,
} from '@parley/sdk/contract'

// The storage contract of the relay. Every call names the brand it acts for, and no call can reach
// another brand's rows. Every method is async so an implementation may live on a worker thread or
// across the network (PostgreSQL) without the relay changing.

/** A brand (tenant). `allowedOrigins` are exact `scheme://host[:port]` strings. */
export interface Brand {
  brandId: string
  name: string
  siteKey: string
  allowedOrigins: string[]
  createdAt: number
}

/** An agent account; `passwordHash` never leaves the relay. */
export interface AgentRecord {
  brandId: string
  agentId: string
  email: string
  name: string
  passwordHash: string
  createdAt: number
  /** Chats at once the agent takes (agents.capacity; DEFAULT_AGENT_CAPACITY unless the brand changed it). */
  capacity: number
  /** Skills (teams) the agent has, as the brand set them; [] when none. */
  skills: string[]
  /** What the account may do (access.ts). Accounts from before roles existed are supervisors. */
  role: Role
  /** False once deactivated: no sign-in, no session works. */
  active: boolean
}

/** A new agent account: capacity starts at the default, with no skills; role `agent` unless given. */
export type NewAgent = Omit<AgentRecord, 'capacity' | 'skills' | 'role' | 'active'> & { role?: Role }

/** A change of an account's role or activity (setAgentAccess). */
export interface AgentAccessChange {
  role?: Role
  active?: boolean
}

/**
 * Where setAgentAccess ended: changed (deactivating revoked the account's sessions in the same
 * transaction: their ids), or refused because the brand would have no active admin left.
 */
export type AgentAccessResult =
  | { ok: true; agent: AgentRecord; revokedSessions: string[] }
  | { ok: false; code: 'PARLEY_ERR_AGENT_NOT_FOUND' | 'PARLEY_ERR_AUTH_LAST_ADMIN' }

/** A signed-in agent session: the token names it (`sid`), and it works until expired or revoked. */
export interface SessionRecord {
  brandId: string
  sessionId: string
  agentId: string
  createdAt: number
  lastSeenAt: number
  expiresAt: number
  revokedAt: number | null
  /** Already truncated per the brand's security settings; null when not kept. */
  address: string | null
  userAgent: string | null
}

/** One API key of a brand; the secret itself is never stored, only its SHA-256 hash. */
export interface ApiKeyRecord {
  brandId: string
  keyId: string
  name: string
  scopes: Scope[]
  keyHash: string
  /** The secret's first characters, to tell keys apart in a list. */
  prefix: string
  createdAt: number
  lastUsedAt: number | null
  expiresAt: number | null
  revokedAt: number | null
  /** `agent:ID`, `key:ID`, or `cli` (the bootstrap key). */
  createdBy: string
  /** The key that replaced this one by rotation; null: not rotated. */
  replacedBy: string | null
}

/** What updateApiKey may change: the expiry (rotation's grace), revocation, the last-used time, the successor. */
export interface ApiKeyChange {
  expiresAt?: number | null
  revokedAt?: number
  lastUsedAt?: number
  /** Set once: a key already replaced keeps its first successor (the caller compares to tell who won). */
  replacedBy?: string
}

/** An audit entry to append (the store numbers it). */
export type AuditRecord = Omit<AuditEntry, 'entryId'> & { brandId: string }

/** Which audit entries to read: newest first, before `before` (an entryId) when given. */
export interface AuditListQuery {
  actorKind?: AuditEntry['actor']['kind']
  actorId?: string
  action?: AuditAction
  /** Inclusive. */
  from?: number
  /** Exclusive. */
  to?: number
  before?: string | null
  limit: number
}

/** An HS256 secret a brand signs identity tokens with (kept as given: the relay needs it to verify). */
export interface IdentitySecretRecord {
  brandId: string
  secretId: string
  /** base64url of 32 random bytes. */
  secret: string
  createdAt: number
}

/** A customer the brand verified, and the visitor that stands for them on every device. */
export interface CustomerRecord {
  brandId: string
  customerId: string
  visitorId: string
  name: string | null
  email: string | null
  verifiedAt: number
}

/** linkCustomer's input: the verified claims and the visitor who presented them. */
export interface CustomerLink {
  brandId: string
  customerId: string
  /** The visitor who identified (anonymous, or standing for another customer: a switch). */
  visitorId: string
  /** The customer's visitor when the customer is new: always a fresh id, never the browser's. */
  newVisitorId: string
  /**
   * The conversations of `visitorId` to bring to the customer (the current visit's open ones); no
   * other conversation moves, and none at all from a visitor that stands for another customer.
   */
  convIds: readonly string[]
  name: string | null
  email: string | null
  at: number
}

// ── data rights (issue 19) ──────────────────────────────────────────────────────────────────────

/** A visitor as the data-rights calls read it: the record plus their consent to tracking. */
export interface VisitorDataRecord extends VisitorRecord {
  /** `denied`: behavioural values are not stored and visits not counted; null: the visitor never said. */
  consent: 'granted' | 'denied' | null
}

/** A legal hold on a conversation: exempt from retention purges and erasure while it stands. */
export interface LegalHoldRecord {
  reason: string
  at: number
  /** Who set it: `agent:ID` or `key:ID`. */
  by: string
}

/** A conversation as export and erasure read it: the header plus its erasure and hold. */
export interface VisitorConversationRecord extends ConversationRecord {
  /** When its content was erased (a stub remains); null: never. */
  erasedAt: number | null
  legalHold: LegalHoldRecord | null
}

/** What eraseConversations did. */
export interface ConversationErasure {
  /** The conversations erased now (already erased ones are not counted again). */
  erased: string[]
  /** The conversations a legal hold kept whole. */
  held: string[]
  counts: Pick<ErasedCounts, 'conversations' | 'messages' | 'surveyResponses' | 'contexts' | 'notes' | 'attachments' | 'searchEntries'>
  /** Blob-store keys of the erased attachments (files and thumbnails), for the caller to delete. */
  blobKeys: string[]
}

/** What eraseVisitor removed. */
export type VisitorErasure = Pick<ErasedCounts, 'visitors' | 'customers' | 'consentEvents' | 'contexts'>

/** An erasure request as stored. `selector` is kept only while it is scheduled (it may be an e-mail). */
export interface ErasureRequestRecord {
  brandId: string
  requestId: string
  status: 'scheduled' | 'cancelled' | 'done'
  selectorKind: SelectorKind
  selector: VisitorSelector | null
  requestedAt: number
  requestedBy: string
  runAt: number
  cancelledAt: number | null
  receipt: ErasureReceipt | null
}

/** The outcome of cancelErasureRequest. */
export type ErasureCancel =
  | { ok: true; request: ErasureRequestRecord }
  | { ok: false; code: 'PARLEY_ERR_ERASURE_NOT_FOUND' }
  | { ok: false; code: 'PARLEY_ERR_ERASURE_NOT_CANCELLABLE'; status: ErasureRequestRecord['status'] }

/** The cut-offs of a retention purge: conversations closed (offline ones: created) before these; null: that kind is kept. */
export interface RetentionCutoffs {
  chatClosedBefore: number | null
  offlineCreatedBefore: number | null
}

/** The Store methods of issue 19's visitor data rights: export, correction, consent, erasure, retention. */
export interface VisitorDataStore {
  /**
   * The visitor ids the selector names, sorted, without repeats: the visitor id itself when the
   * brand has that visitor (or any conversation of theirs); the customer's visitor; every visitor
   * with a conversation whose contact, or whose survey answer to an `email` field, is that
   * address, and the customer with that verified e-mail (compared without case). [] for none.
   */
  findVisitorIds(brandId: string, selector: VisitorSelector): Promise<string[]>
  getVisitor(brandId: string, visitorId: string): Promise<VisitorDataRecord | null>
  /** The visitors' conversations, erased stubs included, oldest first (createdAt, convId), after `after`. */
  listVisitorConversations(brandId: string, visitorIds: readonly string[], after: { createdAt: number; convId: string } | null, limit: number): Promise<VisitorConversationRecord[]>
  /** The visitors' consent changes, oldest first. */
  listConsentEvents(brandId: string, visitorIds: readonly string[]): Promise<ConsentEvent[]>
  /**
   * Records a consent change. `denied` also deletes the behavioural context values
   * (BEHAVIOURAL_CONTEXT_FIELDS) from the visitor's record and from every conversation of theirs,
   * closed ones too, and stops visit counting (recordVisit keeps no count and no behavioural value
   * for a visitor who denied). Creates the visitor record when there is none. `conversations`
   * counts the conversations whose context changed.
   */
  recordConsent(brandId: string, visitorId: string, event: Omit<ConsentEvent, 'visitorId'>): Promise<{ conversations: number }>
  /**
   * Overwrites the contact name and/or e-mail in every conversation of the visitors that has a
   * contact, in the customer record of any of them, and in their survey answers to fields whose
   * purpose is `name` / `email` (the old values are not kept anywhere).
   */
  correctContact(brandId: string, visitorIds: readonly string[], contact: { name?: string; email?: string }): Promise<CorrectionResult>
  /**
   * Replaces answers of one survey response (null deletes the answer) and recomputes its csat/nps
   * (survey-scores.ts, off the survey version it answered); false when the conversation has no
   * response to that survey. The caller checked the values against that survey version.
   */
  correctSurveyAnswers(brandId: string, convId: string, surveyId: string, answers: Readonly<Record<string, AnswerValue | null>>): Promise<boolean>
  /**
   * Erases the content of these conversations of the brand, in one transaction each batch: their
   * messages (and the search index's entries for them), notes, attachments, survey answers (the
   * csat and nps columns stay: reports still add up), context and contact, and the webhook
   * deliveries about them (their bodies hold the text), sent or not; sets erasedAt, closing
   * an open one. The header (ids, times, status, routing, agents) stays as a stub. Conversations
   * under a legal hold are skipped and listed in `held`; unknown ids are ignored. Freed pages are
   * zeroed (SQLite secure_delete) and the store's caches forget the conversations.
   */
  eraseConversations(brandId: string, convIds: readonly string[], at: number): Promise<ConversationErasure>
  /** Deletes the visitor's own record, consent events and the verified customer they stand for. */
  eraseVisitor(brandId: string, visitorId: string, at: number): Promise<VisitorErasure>
  /**
   * Overwrites the space the database keeps free with zeros (SQLite: the freelist, which holds
   * pages freed before without zeroing), in short transactions that let other writes through.
   * Costs a write of every free page: run it once after a whole erasure, purge pass or ledger
   * replay, before truncateWal; never per batch. Resolves the pages overwritten (PostgreSQL, whose
   * erasure leaves no free space of this kind to clear: 0, doing nothing).
   */
  scrubFreePages(): Promise<number>
  /** Sets (or with null lifts) a conversation's legal hold; null when the brand has no such conversation. */
  setLegalHold(brandId: string, convId: string, hold: LegalHoldRecord | null): Promise<VisitorConversationRecord | null>
  /**
   * Up to `limit` unerased, unheld conversations past the cut-offs, oldest first (by the time each
   * cut-off compares): live chats closed before `chatClosedBefore` (open ones never), and offline
   * form entries created before `offlineCreatedBefore`, answered (closed) or not.
   */
  listExpiredConversations(brandId: string, cutoffs: RetentionCutoffs, limit: number): Promise<string[]>
  getPrivacyConfig(brandId: string): Promise<PrivacyConfig | null>
  setPrivacyConfig(brandId: string, config: PrivacyConfig): Promise<void>
  createErasureRequest(request: ErasureRequestRecord): Promise<void>
  getErasureRequest(brandId: string, requestId: string): Promise<ErasureRequestRecord | null>
  /** Newest first. */
  listErasureRequests(brandId: string, limit: number): Promise<ErasureRequestRecord[]>
  /**
   * Cancels a scheduled request still in its grace period (runAt after `at`) and forgets its
   * selector. Once due, the sweep may be running it: refused with NOT_CANCELLABLE (status scheduled).
   */
  cancelErasureRequest(brandId: string, requestId: string, at: number): Promise<ErasureCancel>
  /**
   * Claims up to `limit` scheduled requests of every brand whose runAt is at or before `now` and
   * that no one holds (no lease, or one that ran out by `now`), oldest first: each is leased to the
   * caller until `leaseUntil`, so another node's sweep skips it while this one runs it, and takes it
   * up again once the lease runs out (the node died mid-way). Two concurrent claims never share a
   * request. A claimed request still reads as scheduled (and, being due, cannot be cancelled).
   */
  claimDueErasureRequests(now: number, limit: number, leaseUntil: number): Promise<{ brandId: string; requestId: string }[]>
  /** Marks the request done with its receipt and forgets its selector; false when it was not scheduled. */
  completeErasureRequest(brandId: string, requestId: string, receipt: ErasureReceipt): Promise<boolean>
}

// ── signed webhooks (issue 19) ───────────────────────────────────────────────────────────────────

/**
 * A secret an endpoint's deliveries are signed with (`whsec_…`). Stored as given, not hashed: the
 * relay needs the secret itself to sign, as it does the identity secrets. `expiresAt` is set on a
 * rotated-out secret, which signs too until then; null on the current one.
 */
export interface WebhookSecretRecord {
  secret: string
  expiresAt: number | null
}

/** A brand's webhook endpoint as stored. */
export interface WebhookEndpointRecord {
  brandId: string
  endpointId: string
  url: string
  events: WebhookEventName[]
  description: string
  enabled: boolean
  /** The current secret first. */
  secrets: WebhookSecretRecord[]
  createdAt: number
}

/** What updateWebhookEndpoint changes (absent: unchanged). */
export type WebhookEndpointChange = Partial<Pick<WebhookEndpointRecord, 'url' | 'events' | 'description' | 'enabled' | 'secrets'>>

/** One event queued for one endpoint: the outbox row, which is also the delivery log's. */
export interface WebhookDeliveryRecord extends WebhookDelivery {
  brandId: string
  /** The conversation the event is about (its body may hold the conversation's text); null: none. */
  convId: string | null
  /** The body sent, exactly (Standard Webhooks signs these bytes). */
  payload: string
}

/** The outcome of one attempt, as recordWebhookAttempt stores it. */
export interface WebhookAttemptRecord {
  /** The lease the attempt was claimed under (claimWebhookDeliveries' leaseUntil): the fence against a late attempt. */
  leaseUntil: number
  at: number
  status: WebhookDeliveryStatus
  /** When to try again (status pending); null otherwise. */
  nextAttemptAt: number | null
  httpStatus: number | null
  error: WebhookAttemptError | null
}

/** The Store methods of signed webhooks: endpoints, and the durable outbox their deliveries go out of. */
export interface WebhookStore {
  /** Adds an endpoint unless the brand has `limit` already; false then. */
  createWebhookEndpoint(endpoint: WebhookEndpointRecord, limit: number): Promise<boolean>
  getWebhookEndpoint(brandId: string, endpointId: string): Promise<WebhookEndpointRecord | null>
  /** Oldest first. */
  listWebhookEndpoints(brandId: string): Promise<WebhookEndpointRecord[]>
  /** Null when the brand has no such endpoint. */
  updateWebhookEndpoint(brandId: string, endpointId: string, change: WebhookEndpointChange): Promise<WebhookEndpointRecord | null>
  /** Deletes the endpoint and its deliveries (pending ones are never sent); false when there was none. */
  deleteWebhookEndpoint(brandId: string, endpointId: string): Promise<boolean>
  /**
   * Queues deliveries (status pending, no attempt yet, due at nextAttemptAt) in one transaction. A
   * delivery whose endpoint is gone, or whose conversation is erased, is dropped (an erasure that
   * commits first would otherwise miss it); a deliveryId the brand has already is left as it is.
   */
  enqueueWebhookDeliveries(deliveries: readonly WebhookDeliveryRecord[]): Promise<void>
  /**
   * Leases up to `limit` pending deliveries of every brand due at or before `now` and not leased
   * past it, the longest due first, until `leaseUntil`: another node's claim skips them until then
   * (a node that dies mid-attempt leaves a lease that simply runs out).
   */
  claimWebhookDeliveries(now: number, leaseUntil: number, limit: number): Promise<WebhookDeliveryRecord[]>
  /**
   * Records an attempt's outcome (attempts + 1), ending the lease; false, recording nothing, when the
   * delivery is gone or no longer under `attempt.leaseUntil` (it ran out and another claim took it,
   * or the attempt was recorded already): a late attempt never overwrites a newer one's outcome.
   */
  recordWebhookAttempt(brandId: string, deliveryId: string, attempt: WebhookAttemptRecord): Promise<boolean>
  getWebhookDelivery(brandId: string, deliveryId: string): Promise<WebhookDeliveryRecord | null>
  /** Deletes up to `limit` delivered or failed deliveries of every brand queued before `before`, oldest first; how many. */
  pruneWebhookDeliveries(before: number, limit: number): Promise<number>
  /**
   * An endpoint's deliveries, newest first, filtered by status, before the cursor `before` (a
   * delivery's `cursor`, from this method); each with the cursor to continue after it.
   */
  listWebhookDeliveries(brandId: string, endpointId: string, query: { status?: WebhookDeliveryStatus; before: string | null; limit: number }): Promise<(WebhookDeliveryRecord & { cursor: string })[]>
}

/** What PATCH /v1/agents/:agentId may change. */
export interface AgentUpdate {
  name?: string
  capacity?: number
  /** Replaces the agent's skills whole. */
  skills?: string[]
}

/** The status an agent chose (or the console's idle timer set); no row: never chosen. */
export interface AgentStatusRecord {
  brandId: string
  agentId: string
  status: 'available' | 'away'
  /** Set by the console's idle timer, not by the agent. */
  auto: boolean
  /** Minutes idle before the console sets away (0: never). */
  awayAfterMin: number
  since: number
}

/** A visitor the brand has seen, with their latest context. */
export interface VisitorRecord {
  brandId: string
  visitorId: string
  createdAt: number
  lastSeenAt: number
  visitCount: number
  context: VisitorContext | null
}

/** A conversation's header. `context` is the visitor's context when it opened. */
export interface ConversationRecord {
  brandId: string
  convId: string
  visitorId: string
  status: 'open' | 'closed'
  createdAt: number
  closedAt: number | null
  lastSeq: number
  context: VisitorContext | null
  /** The agent it is assigned to; null while it waits in the queue. */
  assignedAgentId: string | null
  /** `offline`: left through the offline form, with the `contact` it gave. */
  origin: 'chat' | 'offline'
  /** The offline form's contact, or the name and e-mail a live chat's pre-chat answers gave. */
  contact: OfflineContact | null
  /** Topic, skill and priority its pre-chat (or offline) answers set; `{}` when none. */
  routing: Routing
  /** When an agent last took it (accepted or was handed it); null while it never left the queue. */
  assignedAt: number | null
  /** When it last went back to a queue (a transfer to a skill); null (or absent): it waits since its opening. */
  queuedAt?: number | null
  /** When its content was erased, leaving this header as a stub (absent: never; a reader may leave it out). */
  erasedAt?: number | null
  /** The legal hold that exempts it from retention purges and erasure (absent: none; a reader may leave it out). */
  legalHold?: LegalHoldRecord | null
}

/** One stored message. */
export interface MessageRecord {
  brandId: string
  convId: string
  seq: number
  clientMsgId: string
  from: Participant
  text: string
  at: number
  /** The files the message carries (absent: none). */
  attachments?: AttachmentRef[]
}

/** One message to append. A visitor's message to an unknown `convId` opens that conversation. */
export interface AppendRequest {
  brandId: string
  convId: string
  clientMsgId: string
  from: Participant
  text: string
  at: number
  /** Context recorded on the conversation if this message opens it. */
  context: VisitorContext | null
  /**
   * Set when this message comes from the offline form: the conversation it opens has origin
   * `offline` and this contact. Ignored when the conversation exists.
   */
  contact?: OfflineContact | null
  /**
   * Set when this message comes from the offline survey: stored with the conversation it opens, in
   * the same transaction, and its routing set. Ignored when the conversation exists.
   */
  response?: SurveyResponse | null
  routing?: Routing
  /**
   * Attachments the sender uploaded and sends with this message: in the same transaction each is
   * checked to be the sender's, in the brand, and not sent before (else the append is refused with
   * ATTACHMENT_NOT_FOUND / ATTACHMENT_IN_USE), and bound to the message. A duplicate of a stored
   * message returns the stored attachments.
   */
  attachmentIds?: readonly string[]
}

/** Why an append was refused; nothing was written for it. */
export type AppendRefusal =
  | 'PARLEY_ERR_CONV_NOT_FOUND' | 'PARLEY_ERR_CONV_CLOSED' | 'PARLEY_ERR_CONV_NOT_JOINED' | 'PARLEY_ERR_MESSAGE_ID_REUSED'
  | 'PARLEY_ERR_ATTACHMENT_NOT_FOUND' | 'PARLEY_ERR_ATTACHMENT_IN_USE'

/** The outcome of one append: stored (or found stored before, `duplicate`), or refused. */
export type AppendResult =
  | { ok: true; message: MessageRecord; duplicate: boolean; visitorId: string; opened: ConversationRecord | null }
  | { ok: false; code: AppendRefusal }

/** New text for one stored message: the same message with more of it masked. */
export interface Redaction {
  convId: string
  seq: number
  text: string
  /** Apply only if the stored text is still this (what the caller read); skipped otherwise. */
  ifText?: string
}

/** The part of a brand's data a masking run works through: messages, the two kinds of stored context, internal notes, attachment names. */
export type MaskingPhase = 'messages' | 'conversations' | 'visitors' | 'notes' | 'attachments' | 'done'

/** A masking run of existing data, as stored: how far it got and what it found. */
export interface MaskingRunRecord {
  brandId: string
  runId: string
  status: 'running' | 'done' | 'failed'
  startedAt: number
  finishedAt: number | null
  phase: MaskingPhase
  /** The last row of `phase` done: a message_log id, a conversations id, a visitors rowid, a conversation_notes or attachments id. */
  position: number
  /** Messages looked at and messages changed. */
  scanned: number
  changed: number
  /** Stored contexts (conversations' and visitors') looked at and changed. */
  contextsScanned: number
  contextsChanged: number
  /** Internal notes (transfer notes too) looked at and changed. */
  notesScanned: number
  notesChanged: number
  /** Attachment names looked at and changed. */
  filesScanned: number
  filesChanged: number
}

/** One stored text a masking run looks at: a message, a context as its stored JSON, a note or an attachment's name. */
export interface MaskingItem {
  /** The row's key in its phase (see MaskingRunRecord.position). */
  key: number
  /** Messages: where the message is and whose conversation it is (for message.redacted); else null. */
  convId: string | null
  seq: number | null
  visitorId: string | null
  text: string
}

/**
 * One batch of a masking run, committed in one transaction with the run's progress. The batch was
 * read just past `from`; if the run has moved since (another runner) or a text is no longer
 * `before` (the relay masked it meanwhile), nothing is written and the batch is read again.
 */
export interface MaskingStep {
  phase: MaskingPhase
  from: number
  to: number
  /** The phase that follows when this batch finished `phase` (its position starts at 0). */
  next: MaskingPhase | null
  scanned: number
  rewrites: readonly { key: number; before: string; after: string }[]
  at: number
}

/** A message a masking step rewrote: its new text, its conversation's visitor and its sender (`kind:id`). */
export interface RewrittenMessage extends Redaction {
  visitorId: string
  identity: string
}

/** Where a masking step ended: written (with the messages it rewrote), or refused as stale. */
export type MaskingStepResult =
  | { ok: true; run: MaskingRunRecord; redacted: RewrittenMessage[] }
  | { ok: false; run: MaskingRunRecord | null }

/** Input to createBrand; secrets arrive already hashed. */
export interface NewBrand {
  brandId: string
  name: string
  siteKey: string
  allowedOrigins: string[]
  apiKeyHash: string
  /** The bootstrap key's first characters, to tell it apart in a list (default `sk_`). */
  apiKeyPrefix?: string
  createdAt: number
}

/** A conversation in a listing: its record, its post-chat CSAT (null: none) and the start of its first message. */
export interface ListedConversation extends ConversationRecord {
  csat: number | null
  preview: string
}

/** A listing as a store runs it: the REST query, and for an agent of the plain role their own scope. */
export type ConversationFilter = ConversationListQuery & {
  /** Only conversations this agent holds or takes part in (joined and not handed on): the agent role's listing scope. */
  participant?: string
}

/** A page of conversations for listings. */
export interface ConversationListing {
  conversations: ListedConversation[]
  next: string | null
}

/** Where a close attempt ended. */
export type CloseResult =
  | { ok: true; conversation: ConversationRecord; alreadyClosed: boolean }
  | { ok: false; code: 'PARLEY_ERR_CONV_NOT_FOUND' | 'PARLEY_ERR_CONV_NOT_JOINED' }

/** A conversation waiting in the queue, with the start of its first message. */
export interface QueueRecord {
  conversation: ConversationRecord
  preview: string
}

/** Where a page of a list starts: just past this conversation, in the list's order. */
export interface PagePosition {
  createdAt: number
  convId: string
  /** For the queue in priority order: the conversation's priority (0 low … 3 urgent). */
  priority?: number
}

/**
 * A visitor opens a conversation explicitly (conversation.open), with the pre-chat answer and the
 * routing it gives. Idempotent: the same visitor opening the same `convId` again finds it (storing
 * the answer and its routing then only if a first message opened it without one).
 */
export interface OpenConversationRequest {
  brandId: string
  convId: string
  visitorId: string
  clientMsgId: string
  at: number
  context: VisitorContext | null
  routing: Routing
  response: SurveyResponse | null
  /** The name and e-mail the pre-chat answers gave (acceptSubmission), stored as the conversation's contact; origin stays `chat`. */
  contact?: OfflineContact | null
}

/**
 * Where an open ended: opened now (`created`), or found opened before by this visitor (the stored
 * conversation; the caller answers as the first time). Another visitor's `convId`: not found.
 */
export type OpenConversationResult =
  | { ok: true; conversation: ConversationRecord; created: boolean }
  | { ok: false; code: 'PARLEY_ERR_CONV_NOT_FOUND' }

/** A visitor's answer to a survey in one of their conversations (post-chat, or one an agent sent). */
export interface SurveyResponseRequest {
  brandId: string
  convId: string
  visitorId: string
  clientMsgId: string
  response: SurveyResponse
}

/**
 * Where storing an answer ended: stored, or found stored before under the same `clientMsgId`
 * (`duplicate`, with the stored answer); refused when the conversation is not the visitor's, or the
 * survey was already answered there under another id.
 */
export type SurveyResponseResult =
  | { ok: true; response: SurveyResponse; duplicate: boolean }
  | { ok: false; code: 'PARLEY_ERR_CONV_NOT_FOUND' | 'PARLEY_ERR_SURVEY_ANSWERED' }

/** Where an accept or assign ended; on success the agent takes part in the conversation. */
export type AssignResult =
  | { ok: true; conversation: ConversationRecord; changed: boolean }
  | { ok: false; code: 'PARLEY_ERR_CONV_NOT_FOUND' | 'PARLEY_ERR_CONV_CLOSED' | 'PARLEY_ERR_CONV_ASSIGNED' | 'PARLEY_ERR_AGENT_NOT_FOUND' }

/** What PATCH /v1/brand changes: the fields given, already canonical. */
export interface BrandUpdate {
  name?: string
  /** Replaces the allowed origins whole. */
  allowedOrigins?: string[]
}

/** Whose Idempotency-Key it is: the brand and the caller (`brand`, `agent:ID`, `visitor:ID`). */
export interface IdempotencyScope {
  brandId: string
  caller: string
}

/** A stored Idempotency-Key: still running (`status` null) or finished with a stored answer. */
export interface IdempotencyRecord {
  /** sha-256 of method, URL and body: a reuse of the key for anything else is refused. */
  fingerprint: string
  status: number | null
  body: string | null
  createdAt: number
}

/** The outcome of claiming a key: claimed now (go ahead and run the request), or found stored. */
export type IdempotencyClaim = { claimed: true } | { claimed: false; record: IdempotencyRecord }

/** Counters to add to one rule's arm on one UTC day (a batch of widget events, aggregated). */
export interface RuleCountsDelta {
  ruleId: string
  arm: 'treatment' | 'control'
  impressions: number
  clicks: number
  dismissals: number
  chats: number
}

/** One stored row of rule counts: a rule's arm on one UTC day (`YYYY-MM-DD`). */
export interface RuleCountsRow extends RuleCountsDelta {
  day: string
}

// ── the agent's day: routing, canned replies, notes, attachments ─────────────────────────────────

/** One offer of a waiting chat to one agent (automatic routing). `outcome` null: still pending. */
export interface OfferRecord {
  brandId: string
  convId: string
  agentId: string
  offeredAt: number
  expiresAt: number
  outcome: OfferOutcome | null
  endedAt: number | null
}

/** Where moving a conversation back to a skill's queue ended. */
export type RequeueResult =
  | { ok: true; conversation: ConversationRecord }
  | { ok: false; code: 'PARLEY_ERR_CONV_NOT_FOUND' | 'PARLEY_ERR_CONV_CLOSED' }

/** A canned reply as stored; `ownerAgentId` null for a brand-wide one. */
export interface CannedReplyRecord extends Omit<CannedReply, 'ownerAgentId'> {
  brandId: string
  ownerAgentId: string | null
}

/** Where creating or changing a canned reply ended. */
export type CannedReplyResult =
  | { ok: true; reply: CannedReplyRecord }
  | { ok: false; code: 'PARLEY_ERR_CANNED_NOT_FOUND' | 'PARLEY_ERR_CANNED_SHORTCUT_TAKEN' | 'PARLEY_ERR_CANNED_LIMIT' }

/** Whose canned replies a call acts on: the brand's, and the agent's own when `agentId` is given. */
export interface CannedReplyOwner {
  brandId: string
  /** The calling agent (sees and manages their personal replies); null: the brand's API key. */
  agentId: string | null
}

/** A note to store; `noteId` is made by the relay. */
export interface NewNote extends Note {
  brandId: string
}

/** An uploaded file as stored; the bytes live in the BlobStore under `blobKey` (and `thumbKey`). */
export interface AttachmentRecord {
  brandId: string
  attachmentId: string
  /** `visitor:ID` or `agent:ID`: who uploaded it (only they may send it). */
  uploader: string
  name: string
  type: AttachmentRef['type']
  size: number
  width: number | null
  height: number | null
  blobKey: string
  thumbKey: string | null
  createdAt: number
  /** Set when a message carries it. */
  convId: string | null
  seq: number | null
}

/** How much of one erasure ledger this database has had replayed (backup/ledger-replay-mark.ts). */
export interface LedgerMark {
  /** The ledger's first bytes replayed, up to a line's end. */
  bytes: number
  /** SHA-256 (hex) of those bytes: a ledger that differs in them is not the one replayed. */
  digest: string
}

/**
 * The erasure ledger replay's high-water marks, kept in the database itself: a restored older
 * database brings back its older marks, so a relay start replays what came after them.
 */
export interface LedgerMarkStore {
  /** The mark of the ledger `ledgerId` (a digest of its first line); null when none was set. */
  getLedgerMark(ledgerId: string): Promise<LedgerMark | null>
  setLedgerMark(ledgerId: string, mark: LedgerMark): Promise<void>
}

/** The relay's storage. Implementations: SQLite (embedded, default); PostgreSQL (roadmap). */
export interface Store extends VisitorDataStore, WebhookStore, LedgerMarkStore {
  createBrand(brand: NewBrand): Promise<Brand>
  getBrand(brandId: string): Promise<Brand | null>
  getBrandBySiteKey(siteKey: string): Promise<Brand | null>
  /** Whether any brand allows this exact origin (for CORS preflights, which carry no credentials). */
  isOriginAllowedAnywhere(origin: string): Promise<boolean>
  /** Renames the brand and/or replaces its allowed origins in one transaction; null when there is no such brand. */
  updateBrand(brandId: string, update: BrandUpdate): Promise<Brand | null>

  /** Creates an agent; resolves null when the e-mail is already taken in that brand. */
  createAgent(agent: NewAgent): Promise<AgentRecord | null>
  getAgent(brandId: string, agentId: string): Promise<AgentRecord | null>
  getAgentByEmail(brandId: string, email: string): Promise<AgentRecord | null>
  /** The brand's agents by name, at most `limit`. */
  listAgents(brandId: string, limit: number): Promise<AgentRecord[]>
  /** Renames an agent and/or changes their capacity; null when the brand has no such agent. */
  updateAgent(brandId: string, agentId: string, update: AgentUpdate): Promise<AgentRecord | null>
  /**
   * Replaces an agent's password hash with `to` only while it is still `from` (a sign-in that checked
   * `from` rehashes with the current parameters); false when it changed meanwhile or there is no such agent.
   */
  replacePasswordHash(brandId: string, agentId: string, from: string, to: string): Promise<boolean>
  /** The statuses the brand's agents chose (agents who never chose one have no entry). */
  listAgentStatuses(brandId: string): Promise<AgentStatusRecord[]>
  getAgentStatus(brandId: string, agentId: string): Promise<AgentStatusRecord | null>
  /** Saves an agent's chosen status (replacing the previous one). */
  setAgentStatus(status: AgentStatusRecord): Promise<void>
  /** Open live chats (origin chat, not offline messages) assigned to each agent of the brand (agents with none are left out). */
  countActiveChats(brandId: string): Promise<Record<string, number>>

  /**
   * Records a visit: creates the visitor or bumps `lastSeenAt`, `visitCount` and the context.
   * `counted: false` (the tracking policy refused: Do Not Track / Global Privacy Control or the
   * brand's opt-in setting without a grant, or tracking off) counts no visit (a new visitor starts
   * at 0); a visitor who denied is never counted either. Default: counted.
   */
  recordVisit(brandId: string, visitorId: string, context: VisitorContext | null, at: number, opts?: { counted?: boolean }): Promise<VisitorRecord>

  getConversation(brandId: string, convId: string): Promise<ConversationRecord | null>
  /** Conversations a participant takes part in, newest first (agents: open ones they joined), older than `before` when given. */
  listParticipantConversations(brandId: string, who: Participant, limit: number, before?: PagePosition | null): Promise<ConversationRecord[]>
  /**
   * The brand's conversations newest first, narrowed by every filter given (status, visitor, agent who
   * took part, topic, opening time, post-chat CSAT, words of the transcript, open or closed).
   */
  listConversations(brandId: string, query: ConversationFilter): Promise<ConversationListing>
  /**
   * Adds an agent to a conversation; idempotent. `readSeq` is how far that agent has read it,
   * `visitorReadSeq` how far its visitor has (their stored read cursors; 0 when none).
   */
  joinConversation(brandId: string, convId: string, agentId: string, at: number): Promise<(ConversationRecord & { readSeq: number; visitorReadSeq: number }) | null>
  isParticipant(brandId: string, convId: string, who: Participant): Promise<boolean>
  /** The ids of the agents taking part in a conversation (joined and not handed it on), open or closed; [] when none or no such conversation. */
  listConversationAgents(brandId: string, convId: string): Promise<string[]>
  closeConversation(brandId: string, convId: string, by: Participant, at: number): Promise<CloseResult>
  /**
   * Assigns a conversation to `agentId` and makes them a participant. `onlyIfWaiting` (accepting
   * from the queue) refuses with CONV_ASSIGNED when another agent holds it; holding it already
   * succeeds with `changed: false`. The agent must exist in the brand. `leaving` (an agent handing
   * the conversation on) stops taking part in it, unless they are the one it goes to.
   */
  assignConversation(brandId: string, convId: string, agentId: string, at: number, opts: { onlyIfWaiting: boolean; leaving?: string }): Promise<AssignResult>
  /**
   * Open conversations no agent holds, oldest first (or newest first, or highest priority first and
   * then oldest), past `after` in that order when given. `previews: false` leaves every preview
   * empty (a reader that shows few of them reads those itself).
   */
  listQueue(brandId: string, limit: number, page?: { order?: 'oldest' | 'newest' | 'priority'; after?: PagePosition | null; previews?: boolean }): Promise<QueueRecord[]>
  /** How many open conversations no agent holds. */
  countQueue(brandId: string): Promise<number>
  /** How many live chats wait for an agent: open, unassigned, origin `chat` (offline messages left out). */
  countWaitingChats(brandId: string): Promise<number>
  /** Stores the visitor's latest context on their open conversations; returns those conversations. */
  updateVisitorContext(brandId: string, visitorId: string, context: VisitorContext): Promise<ConversationRecord[]>
  /** The brand's public widget settings (a WidgetConfig document; `{}` when never set). */
  getWidgetConfig(brandId: string): Promise<WidgetConfig>
  setWidgetConfig(brandId: string, config: WidgetConfig): Promise<void>
  /** The brand's masking configuration as saved (null: never saved, so the defaults apply). */
  getMaskingConfig(brandId: string): Promise<MaskingConfig | null>
  setMaskingConfig(brandId: string, config: MaskingConfig): Promise<void>
  /** The brand's deployment rules; null when it never saved any. */
  getRulesConfig(brandId: string): Promise<RulesConfig | null>
  setRulesConfig(brandId: string, config: RulesConfig): Promise<void>
  /** The brand's business hours; null: never saved, or removed (always open). */
  getBusinessHours(brandId: string): Promise<BusinessHours | null>
  setBusinessHours(brandId: string, hours: BusinessHours | null): Promise<void>
  /** Adds anonymous counts for UTC `day` (`YYYY-MM-DD`), all in one transaction. */
  addRuleCounts(brandId: string, day: string, deltas: readonly RuleCountsDelta[]): Promise<void>
  /** The brand's rule counts from `fromDay` to `toDay` (inclusive, `YYYY-MM-DD`), by day. */
  readRuleCounts(brandId: string, fromDay: string, toDay: string): Promise<RuleCountsRow[]>


  /** The brand's surveys document as saved (each survey with its current version); null: never saved. */
  getSurveysConfig(brandId: string): Promise<SurveysConfig | null>
  /**
   * Stores the document and, in the same transaction, each survey of `newVersions` as a new version
   * (its `version` set; each one not stored before).
   */
  setSurveysConfig(brandId: string, config: SurveysConfig, newVersions: readonly Survey[], at: number): Promise<void>
  /** One version of a survey as saved, even after the survey changed or left the document; null: never saved. */
  getSurveyVersion(brandId: string, surveyId: string, version: number): Promise<Survey | null>
  /** The newest saved version of every survey the brand ever saved, by survey id. */
  latestSurveyVersions(brandId: string): Promise<Map<string, Survey>>
  /** Opens a visitor's conversation with its pre-chat answer and routing (see OpenConversationRequest). */
  openConversation(req: OpenConversationRequest): Promise<OpenConversationResult>
  /** Stores a visitor's survey answer in one of their conversations (see SurveyResponseRequest). */
  addSurveyResponse(req: SurveyResponseRequest): Promise<SurveyResponseResult>
  /** The survey answers given in a conversation, oldest first. */
  listSurveyResponses(brandId: string, convId: string): Promise<SurveyResponse[]>
  /**
   * The brand's report over the conversations opened in `query`'s period (UTC days, at most 366;
   * a longer or reversed period rejects with a RangeError): counts, CSAT, NPS, response rate and
   * first response, grouped as asked, with no personal data in any row.
   */
  readReport(brandId: string, query: ReportQuery): Promise<Report>
  /** Moves a participant's read cursor forward (never back); returns the cursor now stored. */
  markRead(brandId: string, convId: string, who: Participant, seq: number): Promise<number>

  /**
   * Appends a batch in one transaction (group commit). Results line up with the requests. A request
   * whose (brand, sender, clientMsgId) is already stored returns that row with `duplicate: true`.
   */
  appendMessages(batch: readonly AppendRequest[]): Promise<AppendResult[]>
  /**
   * Replaces the text of stored messages of one brand, in the message table and the search index, in
   * one transaction. Resolves with the redactions applied; one naming no stored message is skipped.
   * Every later read (readMessages, duplicates of a resent message, search) sees the new text.
   */
  redactMessages(brandId: string, redactions: readonly Redaction[]): Promise<Redaction[]>
  /** Messages with seq > afterSeq, in order, at most `limit`. */
  readMessages(brandId: string, convId: string, afterSeq: number, limit: number): Promise<MessageRecord[]>

  /**
   * Claims `key` for a request with `fingerprint` at `now`. A record created at or before
   * `staleBefore` counts as absent and is replaced, as is a running one started at or before
   * `abandonedBefore` (its relay died mid-request). Atomic: of two claims at once, one wins.
   */
  claimIdempotencyKey(scope: IdempotencyScope, key: string, fingerprint: string, now: number, staleBefore: number, abandonedBefore: number): Promise<IdempotencyClaim>
  /** Stores the answer of a claimed key's request. */
  completeIdempotencyKey(scope: IdempotencyScope, key: string, status: number, body: string): Promise<void>
  /** Forgets a claimed key whose request ended in a retryable error, so a retry runs it again. */
  releaseIdempotencyKey(scope: IdempotencyScope, key: string): Promise<void>
  /** Deletes the keys created at or before `staleBefore`; resolves with how many. */
  sweepIdempotencyKeys(staleBefore: number): Promise<number>

  /**
   * Resumes the brand's newest masking run that is not done (status back to running), or starts
   * one named `runId` at the beginning of the brand's data.
   */
  startMaskingRun(brandId: string, runId: string, at: number): Promise<MaskingRunRecord>
  getMaskingRun(brandId: string, runId: string): Promise<MaskingRunRecord | null>
  /** Up to `limit` of the brand's stored texts in `phase` with key > `after`, by key. */
  readMaskingItems(brandId: string, phase: MaskingPhase, after: number, limit: number): Promise<MaskingItem[]>
  /** Writes a batch's rewrites (message table, search index, contexts) and the run's progress, or nothing (see MaskingStep). */
  commitMaskingStep(brandId: string, runId: string, step: MaskingStep): Promise<MaskingStepResult>
  /** Marks a run failed (a later start resumes it); a done run stays done. */
  failMaskingRun(brandId: string, runId: string, at: number): Promise<void>
  /**
   * One attempt, never waiting, to copy the WAL into the database and empty it (a TRUNCATE
   * checkpoint), so the old text in its frames goes too. Resolves true when the WAL was emptied,
   * false when a reader's snapshot or another checkpoint kept it busy (try again later).
   */
  truncateWal(): Promise<boolean>

  /**
   * Rebuilds the database file so no freed space keeps old bytes (VACUUM). Other writers wait for
   * the whole rebuild: for maintenance (parley mask-existing --vacuum), never on the message path.
   */
  vacuum(): Promise<void>

  // ── routing: automatic offers, skills' queues, quiet chats ─────────────────────────────────────
  /** The brand's routing settings as saved; null: never saved (the defaults apply). */
  getRoutingConfig(brandId: string): Promise<RoutingConfig | null>
  setRoutingConfig(brandId: string, config: RoutingConfig): Promise<void>
  /**
   * Records an offer of a waiting chat to an agent. Resolves false, writing nothing, when the chat
   * has a pending offer already, is no longer open and unassigned, or the agent is not the brand's.
   */
  createOffer(offer: Omit<OfferRecord, 'outcome' | 'endedAt'>): Promise<boolean>
  /** Ends the chat's pending offer (to `agentId` when given) with `outcome`; resolves the ended offer, or null when none was pending. */
  endOffer(brandId: string, convId: string, agentId: string | null, outcome: OfferOutcome, at: number): Promise<OfferRecord | null>
  /**
   * Ends the chat's pending offer to `agentId` once it expired, as what became of the chat, read in
   * the same transaction: `timeout` only while it still waits (open, unassigned); `accepted` when
   * that agent holds it, `taken` when another does, `closed` when it closed. Null when none was pending.
   */
  expireOffer(brandId: string, convId: string, agentId: string, at: number): Promise<OfferRecord | null>
  /** Pending offers: the brand's, or every brand's when null (a relay starting up picks up offers its predecessor made). */
  listPendingOffers(brandId: string | null): Promise<OfferRecord[]>
  /** The agents a chat was offered to since it last entered the queue (they are tried last). */
  listOfferedAgents(brandId: string, convId: string, since: number): Promise<string[]>
  /** The agents who declined a chat since it last entered the queue (it is not offered to them again). */
  listDeclinedAgents(brandId: string, convId: string, since: number): Promise<string[]>
  /** Chats whose offer to an agent timed out at or after `since`, each chat counted once per agent, by agent (agents with none left out). */
  countMissedOffers(brandId: string, since: number): Promise<Record<string, number>>
  /** Deletes offers of every brand that ended at or before `before`, at most `limit` (oldest first); resolves how many. */
  pruneEndedOffers(before: number, limit: number): Promise<number>
  /** When each agent of the brand was last offered a chat (agents never offered one left out): round robin among equals. */
  lastOfferTimes(brandId: string): Promise<Record<string, number>>
  /**
   * Puts a conversation back in the queue for `skill` (unassigned; the `leaving` agent stops taking
   * part in it); it keeps its place by age and priority. `reassigning`: the policy let `leaving`
   * reassign it (a supervisor), so they need not take part in it; it must still be open.
   */
  requeueConversation(brandId: string, convId: string, skill: string, leaving: string, at: number, reassigning?: boolean): Promise<RequeueResult>
  /**
   * How long (ms) the brand's live chats taken from a queue at or after `since` waited there (from
   * when they last entered it), newest first, at most `limit`. Hand-overs and chats back in a queue don't count.
   */
  recentWaits(brandId: string, since: number, limit: number): Promise<number[]>
  /**
   * Closes (as the system) the brand's open live chats an agent holds whose last visitor message (or
   * opening) and taking by that agent are both at or before `idleBefore`, at most `limit`; resolves
   * the conversations closed. A chat waiting in a queue is never closed this way.
   */
  closeIdleConversations(brandId: string, idleBefore: number, at: number, limit: number): Promise<ConversationRecord[]>
  /** Brands with an open live chat (the inactivity sweep visits only these). */
  listBrandsWithOpenChats(): Promise<string[]>
  /** An agent's notification settings; null: never changed. */
  getAgentSettings(brandId: string, agentId: string): Promise<AgentSettings | null>
  setAgentSettings(brandId: string, agentId: string, settings: AgentSettings): Promise<void>

  // ── canned replies ────────────────────────────────────────────────────────────────────────────
  /** The replies `owner` sees (brand-wide, and the agent's own), by shortcut; `q` filters, `scope` narrows. */
  listCannedReplies(owner: CannedReplyOwner, query: { q?: string; scope?: CannedScope }): Promise<CannedReplyRecord[]>
  /** Stores a new reply (its id, scope and owner set by the caller). */
  createCannedReply(reply: CannedReplyRecord): Promise<CannedReplyResult>
  /** Changes a reply `owner` may manage (a personal one only its owner). */
  updateCannedReply(owner: CannedReplyOwner, replyId: string, patch: CannedReplyPatch, at: number): Promise<CannedReplyResult>
  /** Deletes a reply `owner` may manage; false when there was none. */
  deleteCannedReply(owner: CannedReplyOwner, replyId: string): Promise<boolean>

  // ── internal notes ────────────────────────────────────────────────────────────────────────────
  /**
   * Stores a note (already masked); idempotent by (brand, author, clientNoteId): a second add returns
   * the stored note with `duplicate`. Refused as the policy's noteRefusal decides, asked with the
   * conversation locked (a `transfer` note passes while the conversation exists).
   */
  addNote(note: NewNote): Promise<{ ok: true; note: Note; duplicate: boolean } | { ok: false; code: 'PARLEY_ERR_CONV_NOT_FOUND' | 'PARLEY_ERR_CONV_NOT_JOINED' }>
  /** A conversation's notes, oldest first. */
  listNotes(brandId: string, convId: string): Promise<Note[]>

  // ── attachments ───────────────────────────────────────────────────────────────────────────────
  /** Records an uploaded file (its bytes already in the BlobStore). */
  createAttachment(rec: AttachmentRecord): Promise<void>
  getAttachment(brandId: string, attachmentId: string): Promise<AttachmentRecord | null>
  /**
   * Records the thumbnail the uploader made, only while the attachment is unsent (a sent message's
   * preview never changes); resolves with the key it replaces (for the caller to delete), or null
   * when there is no such unsent attachment.
   */
  setAttachmentThumbnail(brandId: string, attachmentId: string, thumbKey: string, width: number, height: number): Promise<{ previous: string | null } | null>
  /** Uploads never sent, created at or before `before` (for the sweep that deletes their blobs), at most `limit`. */
  listUnsentAttachments(before: number, limit: number): Promise<AttachmentRecord[]>
  /** Forgets an attachment record that no message carries (its blobs deleted by the caller); a sent one stays. */
  deleteAttachment(brandId: string, attachmentId: string): Promise<void>

  /** Resolves when the store can serve requests, writes included (it commits a tiny write: a full disk fails it). */
  // ── access: roles, sessions, API keys, audit, verified identity (issue 18) ──

  /** Changes an account's role or activity in one transaction that keeps an active admin; deactivating revokes its sessions. */
  setAgentAccess(brandId: string, agentId: string, change: AgentAccessChange, at: number): Promise<AgentAccessResult>
  createSession(session: SessionRecord): Promise<void>
  getSession(brandId: string, sessionId: string): Promise<SessionRecord | null>
  /** Moves lastSeenAt forward (never back). */
  touchSession(brandId: string, sessionId: string, at: number): Promise<void>
  /** Sessions neither revoked nor expired at `activeAt`, newest first; one agent's when `agentId` is given. */
  listSessions(brandId: string, query: { agentId?: string; activeAt: number }): Promise<SessionRecord[]>
  /** Revokes one session (a revoked one keeps its first revokedAt); null when the brand has no such session. */
  revokeSession(brandId: string, sessionId: string, at: number): Promise<SessionRecord | null>
  /** Revokes every working session of an agent; returns the ids it revoked now. */
  revokeAgentSessions(brandId: string, agentId: string, at: number): Promise<string[]>

  createApiKey(key: ApiKeyRecord): Promise<void>
  /** The key with this hash, of whichever brand (revoked and expired ones too: the caller says why it is refused). */
  findApiKey(keyHash: string): Promise<ApiKeyRecord | null>
  getApiKey(brandId: string, keyId: string): Promise<ApiKeyRecord | null>
  /** Every key of the brand, newest first. */
  listApiKeys(brandId: string): Promise<ApiKeyRecord[]>
  /** Null when the brand has no such key. A revoked key stays revoked (revokedAt keeps its first value). */
  updateApiKey(brandId: string, keyId: string, change: ApiKeyChange): Promise<ApiKeyRecord | null>

  /** Appends entries (several brands may be in one call); entryIds increase within a brand. */
  appendAudit(entries: readonly AuditRecord[]): Promise<void>
  listAudit(brandId: string, query: AuditListQuery): Promise<AuditEntry[]>
  /** Deletes up to `limit` of the brand's entries older than `before`; returns how many. */
  purgeAudit(brandId: string, before: number, limit: number): Promise<number>
  /** Brand ids in order, a page at a time (for sweeps over every brand). */
  listBrandIds(after: string | null, limit: number): Promise<string[]>

  getSecurityConfig(brandId: string): Promise<SecurityConfig | null>
  setSecurityConfig(brandId: string, config: SecurityConfig): Promise<void>

  /** Oldest first. */
  listIdentitySecrets(brandId: string): Promise<IdentitySecretRecord[]>
  addIdentitySecret(secret: IdentitySecretRecord): Promise<void>
  deleteIdentitySecret(brandId: string, secretId: string): Promise<boolean>
  /**
   * Finds or creates the customer. A new customer is stood for by `newVisitorId`. The conversations
   * `convIds` names that `visitorId` has (header, messages, answers, read positions and uploads)
   * move to the customer's visitor in one transaction, unless `visitorId` stands for another
   * customer; `moved` counts them. The name and e-mail are updated to the newest verified claims.
   */
  linkCustomer(link: CustomerLink): Promise<{ customer: CustomerRecord; moved: number }>
  getCustomer(brandId: string, customerId: string): Promise<CustomerRecord | null>
  getCustomerByVisitor(brandId: string, visitorId: string): Promise<CustomerRecord | null>
  /** Refuses these token ids (a visitor session's `sid`, an identity token's digest) until `until`. */
  revokeTokenIds(brandId: string, ids: readonly { id: string; until: number }[]): Promise<void>
  /** Whether `id` is refused at `now`. */
  isTokenIdRevoked(brandId: string, id: string, now: number): Promise<boolean>
  /**
   * Records that visit `sid` verified with the identity token whose digest is `digest`, so that
   * ending the visit refuses it until `until` (its exp plus the clock skew). False, recording
   * nothing, when the visit already ended: the token must not be honoured.
   */
  recordIdentityToken(brandId: string, sid: string, digest: string, until: number): Promise<boolean>
  /**
   * Ends visit `sid` in one transaction: refuses the sid until `until` and every identity token
   * recorded for it (recordIdentityToken) until its own time.
   */
  endVisit(brandId: string, sid: string, until: number): Promise<void>
  /** Deletes refusals past their `until`, at most `limit`; returns how many. */
  pruneRevokedTokenIds(now: number, limit: number): Promise<number>

  ping(): Promise<void>
  close(): Promise<void>
}
