import { ParleyError, type ParleyErrorCode } from './errors.js'
import { Transport } from './request.js'
import { web, type AbortSignalLike, type FetchLike } from './web-globals.js'
import { AgentsResource } from './resources/agents.js'
import { BrandResource } from './resources/brand.js'
import { ConversationsResource } from './resources/conversations.js'
import { MaskingResource } from './resources/masking.js'
import { WidgetConfigResource } from './resources/widget-config.js'
import { BusinessHoursResource } from './resources/business-hours.js'
import { RulesResource } from './resources/rules.js'
import { ReportsResource } from './resources/reports.js'
import { SurveysResource } from './resources/surveys.js'
import { CannedRepliesResource } from './resources/canned-replies.js'
import { RoutingResource } from './resources/routing.js'
import { SupervisorResource } from './resources/supervisor.js'
import { AttachmentsResource } from './resources/attachments.js'
import { AuditResource } from './resources/audit.js'
import { SecurityResource } from './resources/security.js'
import { KeysResource } from './resources/keys.js'
import { SessionsResource } from './resources/sessions.js'
import { AccountsResource } from './resources/accounts.js'
import { IdentityResource } from './resources/identity.js'
import { WebhooksResource } from './resources/webhooks.js'
import { PrivacyResource } from './resources/privacy.js'
import { VisitorsResource } from './resources/visitors.js'
import { ErasuresResource } from './resources/erasures.js'

/** How to reach the relay, and the defaults every call starts from. */
export interface ParleyOptions {
  /** The relay's base URL, e.g. `https://chat.example.com` (a path is kept). Plain http only to this machine. */
  relay: string
  /** The brand's API key (keep it on a server: it can change everything about the brand). */
  apiKey: string
  /** Per attempt, in ms (default 30 000). */
  timeoutMs?: number
  /** Retries of a retryable failure after the first attempt (default 2). */
  maxRetries?: number
  /** A fetch to use instead of the global one. */
  fetch?: FetchLike
  /** Aborts every call of this client, e.g. at shutdown. */
  signal?: AbortSignalLike
}

const DEFAULT_TIMEOUT_MS = 30_000
const DEFAULT_MAX_RETRIES = 2
// An API key must not cross a network in clear text; http is accepted only to this machine.
// A path is kept: a proxy may serve the relay under one (https://example.com/chat).
const SECURE_RELAY = /^(https:\/\/[^/?#\s@]+|http:\/\/(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(:\d{1,5})?)(\/[^?#\s]*)?$/i

function invalidOption(message: string, code: ParleyErrorCode = 'PARLEY_ERR_REQUEST_INVALID'): ParleyError {
  return new ParleyError({ code, message, status: null, retryable: false, requestId: null })
}

/** The brand SDK's REST client: one relay, one brand's API key. */
export class Parley {
  /** The brand the API key belongs to. */
  readonly brand: BrandResource
  /** The widget's look and behaviour. */
  readonly widgetConfig: WidgetConfigResource
  /** Agent accounts. */
  readonly agents: AgentsResource
  /** Transcripts. */
  readonly conversations: ConversationsResource
  /** What is masked out of transcripts; masking what is already stored. */
  readonly masking: MaskingResource
  /** Deployment rules: what the widget shows to whom; their simulation and counts. */
  readonly rules: RulesResource
  /** When the brand is open (a fact rules test; the offline form outside them). */
  readonly businessHours: BusinessHoursResource
  /** Aggregate figures: chats, CSAT, NPS, response rate and first response, by day, agent or topic. */
  readonly reports: ReportsResource
  /** Pre-chat, post-chat and offline surveys, versioned. */
  readonly surveys: SurveysResource
  /** Saved answers agents insert by `/shortcut` (brand-wide ones). */
  readonly cannedReplies: CannedRepliesResource
  /** How new chats reach agents: manual, or offered automatically by skill and load. */
  readonly routing: RoutingResource
  /** The floor right now: agents with their chats and offers, and the queue with waiting times. */
  readonly supervisor: SupervisorResource
  /** Files sent in chats: download them. */
  readonly attachments: AttachmentsResource
  /** The audit log: who read, searched or changed what, and when (a key with audit:read). */
  readonly audit: AuditResource
  /** Security settings: addresses kept, audit retention, customer history, identity verification. */
  readonly security: SecurityResource
  /** The brand's API keys: create with scopes, list, rotate, revoke. */
  readonly keys: KeysResource
  /** Agents' signed-in sessions: list and revoke. */
  readonly sessions: SessionsResource
  /** Agent accounts in full (e-mail, role, active), as the admin page lists them. */
  readonly accounts: AccountsResource
  /** Verified visitor identity: the secrets the brand signs its customers' tokens with. */
  readonly identity: IdentityResource
  /** Signed webhooks: endpoints, their secrets, the delivery log, replays and test pings. */
  readonly webhooks: WebhooksResource
  /** Retention: how long transcripts and offline entries are kept, and erasure's grace period. */
  readonly privacy: PrivacyResource
  /** A visitor's data rights: export, correct and erase what is stored about them. */
  readonly visitors: VisitorsResource
  /** Erasure requests: list, read (with their receipts) and cancel within the grace period. */
  readonly erasures: ErasuresResource

  constructor(opts: ParleyOptions) {
    if (typeof opts?.relay !== 'string' || !SECURE_RELAY.test(opts.relay)) {
      if (typeof opts?.relay === 'string' && /^http:\/\//i.test(opts.relay)) {
        throw invalidOption(`Refusing to send the API key to ${opts.relay}: use https:// (plain http:// is only allowed to localhost)`, 'PARLEY_ERR_CONNECTION_INSECURE')
      }
      throw invalidOption('relay must be the relay\'s base URL, e.g. https://chat.example.com')
    }
    if (typeof opts.apiKey !== 'string' || opts.apiKey === '') throw invalidOption('apiKey is required')
    const fetch = opts.fetch ?? web.fetch?.bind(globalThis)
    if (!fetch) throw invalidOption('No global fetch (Node 20+ and browsers have one); pass `fetch`')
    const transport = new Transport({
      relay: opts.relay.replace(/\/+$/, ''),
      apiKey: opts.apiKey,
      timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxRetries: opts.maxRetries ?? DEFAULT_MAX_RETRIES,
      fetch,
      ...(opts.signal ? { signal: opts.signal } : {}),
    })
    this.brand = new BrandResource(transport)
    this.widgetConfig = new WidgetConfigResource(transport)
    this.agents = new AgentsResource(transport)
    this.conversations = new ConversationsResource(transport)
    this.masking = new MaskingResource(transport)
    this.businessHours = new BusinessHoursResource(transport)
    this.rules = new RulesResource(transport, this.businessHours)
    this.reports = new ReportsResource(transport)
    this.surveys = new SurveysResource(transport)
    this.cannedReplies = new CannedRepliesResource(transport)
    this.routing = new RoutingResource(transport)
    this.supervisor = new SupervisorResource(transport)
    this.attachments = new AttachmentsResource(transport)
    this.audit = new AuditResource(transport)
    this.security = new SecurityResource(transport)
    this.keys = new KeysResource(transport)
    this.sessions = new SessionsResource(transport)
    this.accounts = new AccountsResource(transport)
    this.identity = new IdentityResource(transport)
    this.webhooks = new WebhooksResource(transport)
    this.privacy = new PrivacyResource(transport)
    this.visitors = new VisitorsResource(transport)
    this.erasures = new ErasuresResource(transport)
  }
}
