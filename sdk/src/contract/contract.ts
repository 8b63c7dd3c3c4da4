// Entry point of `@parley/sdk/contract`: the one definition of Parley's wire contract.
export { PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from './version.js'
export { ERRORS, isErrorCode, formatError, errorCodeForClose } from './errors.js'
export type { ErrorCode, ErrorSpec } from './errors.js'
export { DEFAULT_LIMITS, MAX_TEXT_HARD } from './limits.js'
export { isBlankText, messagePreview, stripInvisible, textPreview, PREVIEW_MAX } from './message-text.js'
export type { Limits } from './limits.js'
export { Id, Seq, Timestamp } from './ids.js'
export {
  VisitorContext, Participant, HelloAuth, ResumePoint, Hello, MessageSend, TypingStart, TypingStop, MessageRead,
  ConversationResume, ConversationJoin, ConversationClose, QueueList, ConversationAccept, ConversationAssign,
  ContextUpdate, AgentStatusChanged, Ping, CLIENT_FRAMES, PageCursor, ConversationList, ConversationListed, QueueEntry, QueueListed, ConversationAssigned, ContextUpdated,
  ConversationSummary, WelcomeIdentity, WelcomeLimits, Welcome, MessageAck, MessageNew, TypingEvent,
  ReadEvent, MessageRedacted, ConversationResumed, ConversationOpened, ConversationPreviewed, ConversationJoined, ConversationClosed, ConversationErased, Pong,
  ErrorFrame, SERVER_FRAMES, OfflineContact, ConversationOpen, SurveyAnswer, SurveyRequest, ConversationStarted,
  SurveyAnswered, SurveyRequested, SurveyResponded, VisitorIdentify, VisitorForget, VisitorIdentified, VisitorForgotten,
} from './frames.js'
export type { ClientFrame, ClientFrameType, ServerFrame } from './frames.js'
export {
  ErrorBody, AgentLogin, Agent, AgentList, Colleague, AgentSession, CreateAgent, Conversation, ConversationListQuery,
  ConversationPage, StoredMessage, MessageListQuery, MessagePage, ConvParams, SiteParams, Health,
  BrandInfo, BrandPatch, MaskingRun, MaskingRunParams, MergePatch,
} from './rest.js'
export {
  WidgetConfig, PublicSiteConfig, TrackingSetting, WIDGET_TEXT_KEYS, publicSiteConfig, LanguageTag,
} from './config.js'
export { WIDGET_DEFAULTS } from './widget-defaults.js'
export { LOGO_URL_PATTERN } from './logo-url.js'
export { MaskReplacement, DetectorSetting, CardSetting, BrandPattern, MaskingConfig, MaskFinding, MaskResult } from './masking.js'
export { MASK_DETECTORS, MASKING_DEFAULTS } from './masking-defaults.js'
export { IDENTITY_MAX_AGE_SECONDS, IDENTITY_CLOCK_SKEW_SECONDS, IDENTITY_MAX_AGE_LIMIT_SECONDS, IDENTITY_CLOCK_SKEW_LIMIT_SECONDS } from './identity-defaults.js'
export type { MaskDetector } from './masking-defaults.js'
export {
  RuleId, STRING_FACTS, NUMBER_FACTS, BOOLEAN_FACTS, NAMED_FACTS, STRING_OPS, NUMBER_OPS, FactName, Operator, FactTest, Condition,
  RuleAction, Rule, RulesConfig, OpenInterval, Holiday, BusinessHours, VisitorFacts, RolloutArm, TraceEntry, Decision,
  SimulateRequest, SimulateResult,
} from './rules.js'
export type { RuleActionType } from './rules.js'
export {
  AgentStatus, AgentPresence, AgentPresenceList, SetAgentStatus, AgentPatch, AgentParams,
} from './agents.js'
export { DEFAULT_AGENT_CAPACITY, MAX_AGENT_CAPACITY, DEFAULT_AWAY_AFTER_MIN, MAX_AWAY_AFTER_MIN } from './agent-limits.js'
export {
  Availability, OfflineMessage, OfflineMessageCreated, ConversationOrigin, RuleEventKind, RuleEvent, RuleEventBatch,
  RuleCounts, RuleStatsEntry, RuleStatsQuery, RuleStats,
} from './availability.js'
export type { PublicSiteExtras } from './config.js'
export {
  SurveyId, FieldId, RouteSlug, LocalText, Routing, ChoiceOption, AnswerValue, FieldCondition, SurveyField, Survey,
  SurveysConfig, SurveyVersionParams, Answers, SurveySubmission, SurveyResponse, SurveyResponseList,
  FIELD_TYPES, SURVEY_KINDS, PRIORITIES, FIELD_PURPOSES, TEXT_FORMATS, SURVEY_LIMITS, SCALES,
} from './surveys.js'
export type { FieldType, SurveyKind, Priority, FieldPurpose, TextFormat } from './surveys.js'
export {
  ReportGrouping, ReportQuery, CsatFigures, NpsFigures, ReportRow, Report,
} from './reports.js'
export { Skill } from './agents.js'
export {
  RoutingMode, RoutingConfig, OfferOutcome, SupervisorAgent, SupervisorQueueEntry, SupervisorView, AgentSettings, DEFAULT_AGENT_SETTINGS,
} from './routing.js'
export {
  DEFAULT_OFFER_TIMEOUT_SEC, MIN_OFFER_TIMEOUT_SEC, MAX_OFFER_TIMEOUT_SEC, DEFAULT_INACTIVITY_CLOSE_MIN, MAX_INACTIVITY_CLOSE_MIN,
  MAX_AGENT_SKILLS, CANNED_SHORTCUT_PATTERN, MAX_CANNED_REPLIES, MAX_CANNED_TITLE, MAX_CANNED_TEXT, MAX_NOTE_TEXT,
} from './routing-limits.js'
export {
  CannedScope, CannedShortcut, CannedReply, CannedReplyInput, CannedReplyPatch, CannedReplyQuery, CannedReplyList, CannedReplyParams,
} from './canned-replies.js'
export { Note, NoteList } from './notes.js'
export {
  ATTACHMENT_TYPES, DEFAULT_ATTACHMENT_TYPES, DEFAULT_ATTACHMENT_MAX_BYTES, MAX_ATTACHMENT_BYTES, MAX_THUMBNAIL_BYTES, MAX_THUMBNAIL_SIDE,
  MAX_MESSAGE_ATTACHMENTS, ATTACHMENT_NAME_HEADER,
} from './attachment-limits.js'
export { AttachmentType, AttachmentSettings, AttachmentRef, Attachment, AttachmentParams } from './attachments.js'
export {
  ConversationDecline, ConversationTransfer, NoteAdd, SystemParticipant, ConversationOffered, OfferEnded, ConversationRequeued,
  QueuePosition, NoteAdded,
} from './frames.js'
export { ROLES, SCOPES, ALL_SCOPES, ACTIONS, roleAtLeast, roleAllows, scopesAllow } from './access.js'
export type { Role, Scope, Action, ActionNeeds } from './access.js'
export {
  RoleName, ScopeName, ApiKey, ApiKeyList, CreateApiKey, CreatedApiKey, RotateApiKey, ApiKeyParams, SessionInfo, SessionList,
  SessionQuery, SessionParams, Account, AccountList, AUDIT_ACTIONS, AuditActionName, AuditActor, AuditEntry, AuditQuery, AuditPage, AddressSetting,
  IdentitySettings, SecurityConfig, IdentitySecret, IdentitySecretList, CreatedIdentitySecret, IdentitySecretParams, VerifiedCustomer,
} from './security.js'
export type { AuditAction } from './security.js'
export {
  VisitorSelector, SelectorKind, EXPORT_FORMATS, ExportFormat, ExportRequest, EXPORT_DOCUMENT_FORMAT, EXPORT_DOCUMENT_VERSION,
  ConsentEvent, ExportedVisitor, ExportedMessage, ExportedSurveyResponse, ExportedConversation, VisitorExport,
  CorrectContact, CorrectionResult, CorrectAnswers, SurveyAnswersParams, MAX_ERASURE_GRACE_DAYS, EraseRequest, ErasedCounts,
  ErasureReceipt, ErasureRequest, ErasureRequestList, ErasureParams, ConsentChange, ConsentResult, BEHAVIOURAL_CONTEXT_FIELDS,
  MAX_RETENTION_DAYS, PrivacyConfig, LegalHold, LegalHoldState,
} from './data-rights.js'
export {
  WEBHOOK_EVENTS, WebhookEventName, WebhookActor, WebhookEventType, MAX_WEBHOOK_ENDPOINTS, ConversationOpenedData, ConversationClosedData,
  ConversationAssignedData, MessageCreatedData, SurveyAnsweredData, OfflineCreatedData, VisitorErasedData, WebhookTestData, WebhookPayload,
  WebhookEndpoint, WebhookEndpointList, CreateWebhookEndpoint, WebhookEndpointPatch, CreatedWebhookEndpoint, RotateWebhookSecret,
  WebhookParams, WebhookDeliveryStatus, WEBHOOK_ATTEMPT_ERRORS, WebhookAttemptError, WebhookDelivery, WebhookDeliveryQuery,
  WebhookDeliveryPage, WebhookDeliveryParams,
} from './webhooks.js'
