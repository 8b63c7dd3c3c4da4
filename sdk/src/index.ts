// Entry point of `@parley/sdk`: the brand SDK's public API. The REST client (`new Parley(…)`), its
// typed errors, and the contract a program needs. Later issues add rules and surveys by addition.
export { PROTOCOL_VERSION, ERRORS, DEFAULT_LIMITS, formatError, isErrorCode, errorCodeForClose } from './contract/contract.js'
export type { ErrorCode, Limits, ClientFrame, ServerFrame } from './contract/contract.js'

export { Parley } from './client/client.js'
export type { ParleyOptions } from './client/client.js'
export type { RequestOptions } from './client/request.js'
export type { FetchLike, FetchInit, ResponseLike, AbortSignalLike } from './client/web-globals.js'
export { PagedList } from './client/pages.js'
export type { MergePatch } from './client/merge-patch.js'
export type { WaitOptions } from './client/resources/masking.js'
export type { SimulateOptions } from './client/resources/rules.js'
export type { ReportRequest } from './client/resources/reports.js'
export type { Transcript } from './client/resources/transcript.js'
export type { Note, NoteList } from './contract/notes.js'
export type { AttachmentFile } from './client/resources/attachments.js'
export type { ExportStream } from './client/resources/visitors.js'
export type { Attachment, AttachmentRef, AttachmentSettings, AttachmentType } from './contract/attachments.js'
export {
  ParleyError, ParleyApiError, AuthenticationError, PermissionError, NotFoundError, ConflictError,
  InvalidRequestError, RateLimitError, ServerError, APIConnectionError, TimeoutError,
} from './client/errors.js'
export type { ParleyErrorCode } from './client/errors.js'
export type {
  BrandInfo, BrandPatch, Agent, Colleague, CreateAgent, Conversation, ConversationListQuery, ConversationPage,
  StoredMessage, MessageListQuery, MessagePage, MaskingRun,
} from './contract/rest.js'
export type { WidgetConfig } from './contract/config.js'
export type { AgentPatch, AgentPresence, AgentPresenceList, AgentStatus } from './contract/agents.js'
export type { RoutingConfig, RoutingMode, SupervisorView, SupervisorAgent, SupervisorQueueEntry } from './contract/routing.js'
export type { MaskingConfig, MaskResult, MaskFinding, BrandPattern } from './contract/masking.js'
export type { Rule, RulesConfig, RuleAction, Condition, BusinessHours, VisitorFacts, Decision, SimulateResult } from './contract/rules.js'
export type { RuleStats, RuleCounts, OfflineMessage, OfflineMessageCreated } from './contract/availability.js'
export type { Report, ReportRow, ReportQuery, ReportGrouping, CsatFigures, NpsFigures } from './contract/reports.js'
export type {
  Survey, SurveysConfig, SurveyField, SurveyResponse, SurveyResponseList, SurveySubmission, Answers, AnswerValue,
  ChoiceOption, FieldCondition, LocalText, Routing, FieldType, SurveyKind, Priority, FieldPurpose,
} from './contract/surveys.js'
export type { CannedReply, CannedReplyInput, CannedReplyPatch, CannedReplyQuery, CannedScope } from './contract/canned-replies.js'
export type { Role, Scope } from './contract/access.js'
export type {
  Account, AccountList, ApiKey, CreateApiKey, CreatedApiKey, RotateApiKey, SessionInfo,
  AuditAction, AuditActor, AuditEntry, AuditPage, AuditQuery, AddressSetting, IdentitySettings, SecurityConfig,
  IdentitySecret, CreatedIdentitySecret, VerifiedCustomer,
} from './contract/security.js'
export type {
  VisitorSelector, SelectorKind, ExportFormat, ExportRequest, ConsentEvent, VisitorExport, ExportedConversation, ExportedMessage,
  ExportedVisitor, ExportedSurveyResponse, CorrectContact, CorrectionResult, CorrectAnswers, EraseRequest, ErasedCounts,
  ErasureReceipt, ErasureRequest, ConsentChange, ConsentResult, PrivacyConfig, LegalHold, LegalHoldState,
} from './contract/data-rights.js'
export type {
  WebhookEventName, WebhookEventType, WebhookActor, WebhookPayload, WebhookEndpoint, WebhookEndpointList, CreateWebhookEndpoint, WebhookEndpointPatch,
  CreatedWebhookEndpoint, RotateWebhookSecret, WebhookDelivery, WebhookDeliveryQuery, WebhookDeliveryPage, WebhookDeliveryStatus,
  ConversationOpenedData, ConversationClosedData, ConversationAssignedData, MessageCreatedData, SurveyAnsweredData, OfflineCreatedData,
  VisitorErasedData, WebhookTestData,
} from './contract/webhooks.js'
export { WEBHOOK_EVENTS } from './contract/webhooks.js'
export { verifyWebhook } from './webhooks/verify-webhook.js'
export type { VerifyWebhookOptions, WebhookHeaders } from './webhooks/verify-webhook.js'
