import { Type, type Static } from '@sinclair/typebox'
import { Id, Timestamp } from './ids.js'
import { ROLES, SCOPES } from './access.js'
import { IDENTITY_CLOCK_SKEW_LIMIT_SECONDS, IDENTITY_MAX_AGE_LIMIT_SECONDS } from './identity-defaults.js'

// REST bodies of who may see what: API keys, agent sessions, the audit log, the brand's security
// settings and the keys a brand signs its customers' identity tokens with. The roles and scopes
// themselves are plain data in access.ts.

const strict = { additionalProperties: false } as const

/** An agent account's role (access.ts ROLES). */
export const RoleName = Type.Union(ROLES.map((r) => Type.Literal(r)))
/** An API key scope (access.ts SCOPES). */
export const ScopeName = Type.Union(SCOPES.map((s) => Type.Literal(s)))

// ── API keys ──────────────────────────────────────────────────────────────────────────────────────

/** An API key as listed: never its secret (shown once, at creation) nor its hash. */
export const ApiKey = Type.Object({
  keyId: Id,
  name: Type.String(),
  scopes: Type.Array(ScopeName),
  /** The first characters of the secret (`sk_AbC…`), to tell keys apart. */
  prefix: Type.String(),
  createdAt: Timestamp,
  /** When a request last used it (updated at most once a minute); null: never. */
  lastUsedAt: Type.Union([Timestamp, Type.Null()]),
  /** When it stops working; null: never. */
  expiresAt: Type.Union([Timestamp, Type.Null()]),
  /** When it was revoked; null: it was not. */
  revokedAt: Type.Union([Timestamp, Type.Null()]),
  /** Who created it: `agent:ID`, `key:ID`, or `cli` for the bootstrap key. */
  createdBy: Type.String(),
  /** The key that replaced it when it was rotated (a rotated key is not rotated again); null: not rotated. */
  replacedBy: Type.Union([Id, Type.Null()]),
}, strict)
export type ApiKey = Static<typeof ApiKey>

/** GET /v1/keys: the brand's keys, newest first, revoked ones included. */
export const ApiKeyList = Type.Object({ keys: Type.Array(ApiKey) }, strict)
export type ApiKeyList = Static<typeof ApiKeyList>

/** POST /v1/keys: a new key with a name, its scopes and an optional expiry. */
export const CreateApiKey = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 128 }),
  scopes: Type.Array(ScopeName, { minItems: 1, uniqueItems: true }),
  /** When it stops working (absent: never); must be in the future. */
  expiresAt: Type.Optional(Timestamp),
}, strict)
export type CreateApiKey = Static<typeof CreateApiKey>

/** A key just created (or rotated in): the secret appears here once and is stored only hashed. */
export const CreatedApiKey = Type.Object({ key: ApiKey, secret: Type.String() }, strict)
export type CreatedApiKey = Static<typeof CreatedApiKey>

/**
 * POST /v1/keys/:keyId/rotate: a new key with the same name and scopes; the old one keeps working
 * for `graceSeconds` (default 86400; 0 revokes it at once), so clients move over without downtime.
 */
export const RotateApiKey = Type.Object({
  graceSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 30 * 86400 })),
}, strict)
export type RotateApiKey = Static<typeof RotateApiKey>

/** Path parameter holding an API key id. */
export const ApiKeyParams = Type.Object({ keyId: Id }, strict)
export type ApiKeyParams = Static<typeof ApiKeyParams>

// ── agent sessions ───────────────────────────────────────────────────────────────────────────────

/** A signed-in console or API session of an agent. */
export const SessionInfo = Type.Object({
  sessionId: Id,
  agentId: Id,
  createdAt: Timestamp,
  /** Last request or connection seen (updated at most once a minute). */
  lastSeenAt: Timestamp,
  expiresAt: Timestamp,
  /** When it was signed out or revoked; null while it works. */
  revokedAt: Type.Union([Timestamp, Type.Null()]),
  /** The address it signed in from, truncated per the brand's security settings (null: not kept). */
  address: Type.Union([Type.String(), Type.Null()]),
  /** The browser's user agent at sign-in, shortened. */
  userAgent: Type.Union([Type.String(), Type.Null()]),
  /** True for the session making this request. */
  current: Type.Optional(Type.Boolean()),
}, strict)
export type SessionInfo = Static<typeof SessionInfo>

/** GET /v1/sessions (admin) and GET /v1/agent/sessions (one's own): sessions that still work, newest first. */
export const SessionList = Type.Object({ sessions: Type.Array(SessionInfo) }, strict)
export type SessionList = Static<typeof SessionList>

/** GET /v1/sessions filter: one agent's sessions. */
export const SessionQuery = Type.Object({ agentId: Type.Optional(Id) }, strict)
export type SessionQuery = Static<typeof SessionQuery>

/** Path parameter holding a session id. */
export const SessionParams = Type.Object({ sessionId: Id }, strict)
export type SessionParams = Static<typeof SessionParams>

// ── agent accounts (the admin's view) ──────────────────────────────────────────────────────────────

/** An agent account as an admin sees it: login e-mail, role, whether it is active, capacity and skills. */
export const Account = Type.Object({
  agentId: Id,
  brandId: Id,
  email: Type.String(),
  name: Type.String(),
  role: RoleName,
  /** False once deactivated: it cannot sign in, and its sessions ended. */
  active: Type.Boolean(),
  /** Chats at once the agent takes. */
  capacity: Type.Integer({ minimum: 1 }),
  /** The skills (teams) automatic routing matches chats against. */
  skills: Type.Array(Type.String()),
  createdAt: Timestamp,
}, strict)
export type Account = Static<typeof Account>

/** GET /v1/accounts: every agent account of the brand by name, deactivated ones included. */
export const AccountList = Type.Object({ accounts: Type.Array(Account) }, strict)
export type AccountList = Static<typeof AccountList>

// ── audit log ────────────────────────────────────────────────────────────────────────────────────

/** What an audit entry records. Never message text, answers, tokens or secrets. */
export const AUDIT_ACTIONS = [
  'session.sign_in', 'session.sign_in_failed', 'session.sign_out', 'session.revoke',
  // A transcript export is made of reads, each a conversation.read: no action of its own.
  'conversation.read', 'conversation.search',
  'config.change', 'identity.change',
  'key.create', 'key.rotate', 'key.revoke',
  'account.create', 'account.change', 'account.deactivate', 'account.reactivate',
  'access.denied',
  'data.export', 'data.correct', 'data.erase', 'retention.purge',
  // Issue 19: a scheduled erasure cancelled, consent recorded for a visitor, a legal hold set or
  // lifted, a webhook endpoint changed or a delivery replayed.
  'erasure.schedule', 'erasure.cancel', 'data.consent', 'conversation.hold', 'webhook.change', 'webhook.replay',
] as const
export type AuditAction = (typeof AUDIT_ACTIONS)[number]
export const AuditActionName = Type.Union(AUDIT_ACTIONS.map((a) => Type.Literal(a)))

/** Who did it. `system` for the relay's own jobs; `anonymous` for a refused sign-in to no account. */
export const AuditActor = Type.Object({
  kind: Type.Union([Type.Literal('agent'), Type.Literal('key'), Type.Literal('visitor'), Type.Literal('system'), Type.Literal('anonymous')]),
  /** The agent, key or visitor id; null for system and anonymous. */
  id: Type.Union([Id, Type.Null()]),
}, strict)
export type AuditActor = Static<typeof AuditActor>

/** One entry of a brand's audit log. */
export const AuditEntry = Type.Object({
  /** Increasing within the brand: the log's order. */
  entryId: Type.String(),
  at: Timestamp,
  actor: AuditActor,
  action: AuditActionName,
  /** What it was done to: `conversation`/convId, `agent`/agentId, `key`/keyId, `config`/document name … */
  resource: Type.Union([Type.Object({ type: Type.String(), id: Type.Union([Type.String(), Type.Null()]) }, strict), Type.Null()]),
  outcome: Type.Union([Type.Literal('ok'), Type.Literal('denied'), Type.Literal('failed')]),
  /** The error code of a denial or failure; null when it succeeded. */
  code: Type.Union([Type.String(), Type.Null()]),
  /** Where the request came from, truncated per the brand's security settings; null when not kept. */
  address: Type.Union([Type.String(), Type.Null()]),
  /** Ids, counts and field names: never a value a person typed. */
  detail: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
}, strict)
export type AuditEntry = Static<typeof AuditEntry>

/** GET /v1/audit filters: by actor, action, and time (`from` inclusive, `to` exclusive); newest first. */
export const AuditQuery = Type.Object({
  actorKind: Type.Optional(AuditActor.properties.kind),
  actorId: Type.Optional(Id),
  action: Type.Optional(AuditActionName),
  from: Type.Optional(Timestamp),
  to: Type.Optional(Timestamp),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  cursor: Type.Optional(Type.String({ maxLength: 256 })),
}, strict)
export type AuditQuery = Static<typeof AuditQuery>

/** A page of the audit log; `next` continues it. */
export const AuditPage = Type.Object({ entries: Type.Array(AuditEntry), next: Type.Union([Type.String(), Type.Null()]) }, strict)
export type AuditPage = Static<typeof AuditPage>

// ── the brand's security settings (GET/PUT/PATCH /v1/security) ───────────────────────────────────

/** How client addresses are kept in the audit log and session lists. */
export const AddressSetting = Type.Union([
  /** As received. */
  Type.Literal('full'),
  /** IPv4 to its /24 (the last byte zeroed), IPv6 to its /48: enough to tell networks apart. */
  Type.Literal('truncated'),
  /** Not at all. */
  Type.Literal('none'),
])
export type AddressSetting = Static<typeof AddressSetting>

/** How the relay verifies the identity tokens a brand signs for its logged-in customers. */
export const IdentitySettings = Type.Object({
  /** The `iss` every token must carry (absent: not checked). */
  issuer: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
  /** The `aud` every token must carry (absent: the brand id). */
  audience: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
  /** Where the brand publishes its ES256/RS256 public keys (https; a public address unless the operator allows private ones). */
  jwksUrl: Type.Optional(Type.String({ minLength: 8, maxLength: 2048, pattern: '^https?://' })),
  /** ES256/RS256 public keys the brand uploaded (JWK, public parts only), besides or instead of a JWKS URL. */
  publicKeys: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()), { maxItems: 10 })),
  /** The longest a token may live (exp − iat), seconds; default IDENTITY_MAX_AGE_SECONDS. */
  maxAgeSeconds: Type.Optional(Type.Integer({ minimum: 30, maximum: IDENTITY_MAX_AGE_LIMIT_SECONDS })),
  /** Clock skew tolerated on iat, nbf and exp, seconds; default IDENTITY_CLOCK_SKEW_SECONDS. */
  clockSkewSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: IDENTITY_CLOCK_SKEW_LIMIT_SECONDS })),
}, strict)
export type IdentitySettings = Static<typeof IdentitySettings>

/** The brand's security settings document; every field has a default. */
export const SecurityConfig = Type.Object({
  /** Default `truncated`. */
  addresses: Type.Optional(AddressSetting),
  /** Days the audit log is kept (default 365), apart from transcripts. */
  auditRetentionDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  /** Agents (not only supervisors) see a verified customer's earlier conversations (default false). */
  agentsSeeCustomerHistory: Type.Optional(Type.Boolean()),
  identity: Type.Optional(IdentitySettings),
}, strict)
export type SecurityConfig = Static<typeof SecurityConfig>

/** An HS256 secret the brand signs identity tokens with; listed without the secret itself. */
export const IdentitySecret = Type.Object({ secretId: Id, createdAt: Timestamp }, strict)
export type IdentitySecret = Static<typeof IdentitySecret>

/** GET /v1/identity/secrets: at most two at once, so a brand rotates without downtime. */
export const IdentitySecretList = Type.Object({ secrets: Type.Array(IdentitySecret) }, strict)
export type IdentitySecretList = Static<typeof IdentitySecretList>

/** POST /v1/identity/secrets: a new secret, shown once (base64url, 32 bytes); tokens name it as `kid`. */
export const CreatedIdentitySecret = Type.Object({ secretId: Id, createdAt: Timestamp, secret: Type.String() }, strict)
export type CreatedIdentitySecret = Static<typeof CreatedIdentitySecret>

/** Path parameter holding an identity secret id. */
export const IdentitySecretParams = Type.Object({ secretId: Id }, strict)
export type IdentitySecretParams = Static<typeof IdentitySecretParams>

/** A customer the brand verified with a signed token: only claims the brand signed. */
export const VerifiedCustomer = Type.Object({
  /** The token's `sub`: the brand's own id for the customer. */
  customerId: Type.String({ minLength: 1, maxLength: 256 }),
  name: Type.Optional(Type.String({ maxLength: 256 })),
  email: Type.Optional(Type.String({ maxLength: 254 })),
  verifiedAt: Timestamp,
}, strict)
export type VerifiedCustomer = Static<typeof VerifiedCustomer>
