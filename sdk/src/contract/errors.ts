/**
 * The one table of Parley error codes, grouped by area. Every layer (relay, SDK, widget, console)
 * uses these codes; a shipped code is never reused or renumbered.
 *
 * - `status`: the HTTP status when the error answers a REST request.
 * - `close`: the WebSocket close code when the error ends the connection (null: the socket stays
 *   open, or the error only ever answers an HTTP request such as a refused upgrade). Private codes:
 *   4400 protocol version, 4401 authentication, 4402 hello missing, 4404 unknown site, 4408 hello
 *   timeout, 4008 slow reader, 4429 flood; 1009 frame over the hard cap, 1012 relay restarting.
 * - `retryable`: whether sending the same request again later can succeed.
 * - `message`: a template; each `%s` takes one argument in order.
 */
export const ERRORS = {
  // ── frames: what arrived on the socket could not be understood ──────────────────────────────────
  PARLEY_ERR_FRAME_MALFORMED: { status: 400, close: null, retryable: false, message: 'Frame is not a JSON object' },
  PARLEY_ERR_FRAME_INVALID: { status: 400, close: null, retryable: false, message: 'Frame does not match the schema of %s: %s' },
  PARLEY_ERR_FRAME_UNKNOWN_TYPE: { status: 400, close: null, retryable: false, message: 'Unknown frame type %s' },
  PARLEY_ERR_FRAME_TOO_LARGE: { status: 413, close: 1009, retryable: false, message: 'Frame of %s bytes exceeds the limit of %s bytes' },
  PARLEY_ERR_FRAME_BINARY: { status: 400, close: null, retryable: false, message: 'Binary frames are not accepted; send JSON text' },

  // ── protocol: frames in the wrong order or version ─────────────────────────────────────────────
  PARLEY_ERR_PROTOCOL_VERSION: { status: 400, close: 4400, retryable: false, message: 'Protocol version %s is not supported; this relay speaks %s' },
  PARLEY_ERR_PROTOCOL_HELLO_REQUIRED: { status: 400, close: 4402, retryable: true, message: 'The first frame must be hello' },
  PARLEY_ERR_PROTOCOL_HELLO_TIMEOUT: { status: 408, close: 4408, retryable: true, message: 'No hello within %s ms' },
  PARLEY_ERR_PROTOCOL_ALREADY_HELLO: { status: 400, close: null, retryable: false, message: 'This connection is already authenticated' },
  PARLEY_ERR_PROTOCOL_ROLE: { status: 403, close: null, retryable: false, message: 'A %s may not send %s' },

  // ── auth: who is speaking ────────────────────────────────────────────────────────────────────
  PARLEY_ERR_AUTH_REQUIRED: { status: 401, close: 4401, retryable: false, message: 'Authentication required' },
  PARLEY_ERR_AUTH_TOKEN_INVALID: { status: 401, close: 4401, retryable: false, message: 'Token is malformed, forged or not for this brand' },
  PARLEY_ERR_AUTH_TOKEN_EXPIRED: { status: 401, close: 4401, retryable: false, message: 'Token has expired' },
  PARLEY_ERR_AUTH_CREDENTIALS: { status: 401, close: null, retryable: false, message: 'Unknown brand, e-mail or password' },
  PARLEY_ERR_AUTH_FORBIDDEN: { status: 403, close: null, retryable: false, message: 'This credential may not %s' },
  PARLEY_ERR_AUTH_ROLE: { status: 403, close: null, retryable: false, message: 'The %s role may not %s' },
  PARLEY_ERR_AUTH_SCOPE: { status: 403, close: null, retryable: false, message: 'This API key lacks the scope %s' },
  PARLEY_ERR_AUTH_NOT_PARTICIPANT: { status: 403, close: null, retryable: false, message: 'Agents see only the conversations they take or took part in; %s is not one' },
  PARLEY_ERR_AUTH_SESSION_REVOKED: { status: 401, close: 4401, retryable: false, message: 'This session was signed out or revoked' },
  PARLEY_ERR_AUTH_ACCOUNT_INACTIVE: { status: 401, close: 4401, retryable: false, message: 'This agent account is deactivated' },
  PARLEY_ERR_AUTH_KEY_REVOKED: { status: 401, close: null, retryable: false, message: 'This API key was revoked' },
  PARLEY_ERR_AUTH_KEY_EXPIRED: { status: 401, close: null, retryable: false, message: 'This API key expired' },
  PARLEY_ERR_AUTH_LAST_ADMIN: { status: 409, close: null, retryable: false, message: 'The brand must keep at least one active admin' },
  PARLEY_ERR_KEY_NOT_FOUND: { status: 404, close: null, retryable: false, message: 'API key %s not found' },
  PARLEY_ERR_KEY_ROTATED: { status: 409, close: null, retryable: false, message: 'API key %s was already rotated (replaced by %s): rotate that one instead' },
  PARLEY_ERR_SESSION_NOT_FOUND: { status: 404, close: null, retryable: false, message: 'Session %s not found' },

  // ── identity: a visitor the brand has verified (its signed JWT) ──────────────────────────────────
  PARLEY_ERR_IDENTITY_NOT_CONFIGURED: { status: 409, close: null, retryable: false, message: 'This brand has no identity keys: add a secret or public keys first' },
  PARLEY_ERR_IDENTITY_INVALID: { status: 401, close: null, retryable: false, message: 'Identity token is malformed or its signature does not verify' },
  PARLEY_ERR_IDENTITY_ALGORITHM: { status: 401, close: null, retryable: false, message: 'Identity token algorithm %s is not accepted for this key' },
  PARLEY_ERR_IDENTITY_EXPIRED: { status: 401, close: null, retryable: false, message: 'Identity token has expired' },
  PARLEY_ERR_IDENTITY_NOT_YET_VALID: { status: 401, close: null, retryable: false, message: 'Identity token is not valid yet (iat or nbf in the future)' },
  PARLEY_ERR_IDENTITY_CLAIM: { status: 401, close: null, retryable: false, message: 'Identity token claim %s is missing or wrong' },
  PARLEY_ERR_IDENTITY_REVOKED: { status: 401, close: null, retryable: false, message: 'Identity token was used by a session that has logged out' },
  PARLEY_ERR_IDENTITY_KEYS_UNAVAILABLE: { status: 503, close: null, retryable: true, message: "The brand's key set (JWKS) could not be fetched" },
  PARLEY_ERR_IDENTITY_SECRET_NOT_FOUND: { status: 404, close: null, retryable: false, message: 'Identity secret %s not found' },
  PARLEY_ERR_IDENTITY_SECRET_LIMIT: { status: 409, close: null, retryable: false, message: 'A brand keeps at most %s identity secrets: delete the old one first' },
  PARLEY_ERR_IDENTITY_KEY_INVALID: { status: 400, close: null, retryable: false, message: 'Identity setting %s is not acceptable: %s' },

  // ── tenancy: which brand ─────────────────────────────────────────────────────────────────────
  PARLEY_ERR_TENANT_SITE_KEY: { status: 404, close: 4404, retryable: false, message: 'Unknown site key' },
  PARLEY_ERR_TENANT_ORIGIN: { status: 403, close: null, retryable: false, message: 'Origin %s is not allowed for this site' },
  PARLEY_ERR_TENANT_EXISTS: { status: 409, close: null, retryable: false, message: 'Already taken: another %s has that %s' },

  // ── conversations and messages ────────────────────────────────────────────────────────────────
  PARLEY_ERR_CONV_NOT_FOUND: { status: 404, close: null, retryable: false, message: 'Conversation %s not found' },
  PARLEY_ERR_CONV_CLOSED: { status: 409, close: null, retryable: false, message: 'Conversation %s is closed' },
  PARLEY_ERR_CONV_NOT_JOINED: { status: 403, close: null, retryable: false, message: 'Join conversation %s before writing to it' },
  PARLEY_ERR_CONV_ASSIGNED: { status: 409, close: null, retryable: false, message: 'Conversation %s is already assigned to another agent' },
  PARLEY_ERR_AGENT_NOT_FOUND: { status: 404, close: null, retryable: false, message: 'Agent %s not found' },
  PARLEY_ERR_MESSAGE_TOO_LONG: { status: 413, close: null, retryable: false, message: 'Message of %s characters exceeds the limit of %s' },
  PARLEY_ERR_MESSAGE_EMPTY: { status: 400, close: null, retryable: false, message: 'Message text is empty' },
  PARLEY_ERR_MESSAGE_REFUSED: { status: 422, close: null, retryable: false, message: 'Message refused: %s' },
  PARLEY_ERR_MESSAGE_ID_REUSED: { status: 409, close: null, retryable: false, message: 'Message id %s was already used for a different conversation' },

  // ── masking: a brand's masking configuration ─────────────────────────────────────────────────
  PARLEY_ERR_MASKING_PATTERN: { status: 400, close: null, retryable: false, message: 'Brand pattern %s is refused: %s' },
  PARLEY_ERR_MASKING_RUN_NOT_FOUND: { status: 404, close: null, retryable: false, message: 'Masking run %s not found' },

  // ── rules: deployment rules and business hours ───────────────────────────────────────────────
  PARLEY_ERR_RULES_INVALID: { status: 400, close: null, retryable: false, message: 'Rules are refused at %s: %s' },
  PARLEY_ERR_HOURS_INVALID: { status: 400, close: null, retryable: false, message: 'Business hours are refused at %s: %s' },
  PARLEY_ERR_HOURS_NOT_FOUND: { status: 404, close: null, retryable: false, message: 'No business hours are set: the brand is always open' },

  // ── surveys: definitions, answers and reports ────────────────────────────────────────────────
  PARLEY_ERR_SURVEYS_INVALID: { status: 400, close: null, retryable: false, message: 'Surveys are refused at %s: %s' },
  PARLEY_ERR_SURVEY_NOT_FOUND: { status: 404, close: null, retryable: false, message: 'Survey %s (version %s) not found' },
  PARLEY_ERR_SURVEY_ANSWER_INVALID: { status: 400, close: null, retryable: false, message: 'Answer to field %s is refused: %s' },
  PARLEY_ERR_SURVEY_ANSWERED: { status: 409, close: null, retryable: false, message: 'Survey %s is already answered in conversation %s' },
  PARLEY_ERR_REPORT_RANGE: { status: 400, close: null, retryable: false, message: 'Report period is refused: %s' },

  // ── the agent's day: routing, canned replies, notes, attachments ─────────────────────────────
  PARLEY_ERR_OFFER_NOT_FOUND: { status: 404, close: null, retryable: false, message: 'Conversation %s is not offered to you now' },
  PARLEY_ERR_AGENT_UNAVAILABLE: { status: 409, close: null, retryable: false, message: 'Agent %s is offline and cannot take the chat' },
  PARLEY_ERR_SKILL_UNKNOWN: { status: 404, close: null, retryable: false, message: 'No agent of the brand has skill %s' },
  PARLEY_ERR_CANNED_NOT_FOUND: { status: 404, close: null, retryable: false, message: 'Canned reply %s not found' },
  PARLEY_ERR_CANNED_SHORTCUT_TAKEN: { status: 409, close: null, retryable: false, message: 'Shortcut /%s is already used in this scope' },
  PARLEY_ERR_CANNED_LIMIT: { status: 409, close: null, retryable: false, message: 'The brand already keeps %s canned replies' },
  PARLEY_ERR_NOTE_EMPTY: { status: 400, close: null, retryable: false, message: 'Note text is empty' },
  PARLEY_ERR_ATTACHMENT_NOT_FOUND: { status: 404, close: null, retryable: false, message: 'Attachment %s not found' },
  PARLEY_ERR_ATTACHMENT_TYPE: { status: 415, close: null, retryable: false, message: 'Files of type %s are not accepted here; allowed: %s' },
  PARLEY_ERR_ATTACHMENT_TOO_LARGE: { status: 413, close: null, retryable: false, message: 'File of %s bytes exceeds the limit of %s bytes' },
  PARLEY_ERR_ATTACHMENT_CONTENT: { status: 415, close: null, retryable: false, message: 'File content is not %s' },
  PARLEY_ERR_ATTACHMENT_IN_USE: { status: 409, close: null, retryable: false, message: 'Attachment %s was already sent in another message' },
  PARLEY_ERR_ATTACHMENT_DISABLED: { status: 403, close: null, retryable: false, message: 'This brand does not accept files from visitors' },
  PARLEY_ERR_ATTACHMENT_STORE: { status: 503, close: null, retryable: true, message: 'File storage is unavailable; nothing was stored' },

  // ── data rights: a visitor's export, correction, erasure and consent; retention; webhooks ─────
  PARLEY_ERR_VISITOR_NOT_FOUND: { status: 404, close: null, retryable: false, message: 'No visitor of this brand matches the %s given' },
  PARLEY_ERR_ERASURE_NOT_FOUND: { status: 404, close: null, retryable: false, message: 'Erasure request %s not found' },
  PARLEY_ERR_ERASURE_NOT_CANCELLABLE: { status: 409, close: null, retryable: false, message: 'Erasure request %s is %s and can no longer be cancelled' },
  PARLEY_ERR_CONV_ERASED: { status: 409, close: null, retryable: false, message: 'Conversation %s was erased' },
  PARLEY_ERR_CONV_HELD: { status: 409, close: null, retryable: false, message: 'Conversation %s is under a legal hold' },
  PARLEY_ERR_SURVEY_RESPONSE_NOT_FOUND: { status: 404, close: null, retryable: false, message: 'Conversation %s has no answers to survey %s' },
  PARLEY_ERR_WEBHOOK_NOT_FOUND: { status: 404, close: null, retryable: false, message: 'Webhook endpoint %s not found' },
  PARLEY_ERR_WEBHOOK_URL_REFUSED: { status: 400, close: null, retryable: false, message: 'Webhook URL is refused: %s' },
  PARLEY_ERR_WEBHOOK_LIMIT: { status: 409, close: null, retryable: false, message: 'The brand already has %s webhook endpoints' },
  PARLEY_ERR_WEBHOOK_DELIVERY_NOT_FOUND: { status: 404, close: null, retryable: false, message: 'Webhook delivery %s not found' },

  // ── limits: protecting the relay and other brands ────────────────────────────────────────────
  PARLEY_ERR_LIMIT_RATE: { status: 429, close: null, retryable: true, message: 'Rate limit of %s per second exceeded; retry after %s ms' },
  PARLEY_ERR_LIMIT_FLOOD: { status: 429, close: 4429, retryable: true, message: 'Too many rejected frames; connection closed' },
  PARLEY_ERR_LIMIT_CONNECTIONS: { status: 429, close: null, retryable: true, message: 'Too many connections from this address (limit %s)' },
  PARLEY_ERR_LIMIT_SLOW_CONSUMER: { status: 503, close: 4008, retryable: true, message: 'Send queue exceeded %s bytes; reconnect and resume' },
  PARLEY_ERR_LIMIT_BUSY: { status: 503, close: null, retryable: true, message: 'Too many %s waiting; retry after %s ms' },
  PARLEY_ERR_LIMIT_CONVERSATIONS: { status: 429, close: null, retryable: true, message: 'Too many new conversations from this %s (limit %s a minute); retry after %s ms' },
  PARLEY_ERR_LIMIT_REPLAY: { status: 400, close: null, retryable: false, message: 'Resume lists %s conversations; the limit is %s' },

  // ── requests (REST) ──────────────────────────────────────────────────────────────────────────
  PARLEY_ERR_REQUEST_INVALID: { status: 400, close: null, retryable: false, message: 'Invalid request: %s' },
  PARLEY_ERR_REQUEST_NOT_FOUND: { status: 404, close: null, retryable: false, message: 'No route %s' },
  PARLEY_ERR_REQUEST_TOO_LARGE: { status: 413, close: null, retryable: false, message: 'Request body too large' },
  PARLEY_ERR_REQUEST_IDEMPOTENCY_MISMATCH: { status: 422, close: null, retryable: false, message: 'Idempotency-Key %s was already used for a different request' },
  PARLEY_ERR_REQUEST_IDEMPOTENCY_IN_PROGRESS: { status: 409, close: null, retryable: true, message: 'A request with Idempotency-Key %s is still being processed' },
  PARLEY_ERR_REQUEST_MEDIA_TYPE: { status: 415, close: null, retryable: false, message: 'Content-Type %s is not accepted; send %s' },

  // ── connection: raised by the client library itself, never sent by the relay ─────────────────
  PARLEY_ERR_CONNECTION_LOST: { status: 503, close: null, retryable: true, message: 'The connection closed before %s was answered' },
  PARLEY_ERR_CONNECTION_TIMEOUT: { status: 504, close: null, retryable: true, message: 'No answer to %s within %s ms' },
  PARLEY_ERR_CONNECTION_INSECURE: { status: 400, close: null, retryable: false, message: 'Refusing to connect to %s: use wss:// (plain ws:// is only allowed to localhost)' },

  // ── server: not the caller's fault ───────────────────────────────────────────────────────────
  PARLEY_ERR_SERVER_INTERNAL: { status: 500, close: null, retryable: true, message: 'Internal error (ref %s)' },
  PARLEY_ERR_SERVER_SHUTTING_DOWN: { status: 503, close: 1012, retryable: true, message: 'Relay is restarting; reconnect and resume' },
  PARLEY_ERR_SERVER_STORE: { status: 503, close: null, retryable: true, message: 'Storage is unavailable; nothing was stored' },
} as const satisfies Record<string, ErrorSpec>

/** One row of the error table. */
export interface ErrorSpec {
  readonly status: number
  readonly close: number | null
  readonly retryable: boolean
  readonly message: string
}

/** Every Parley error code. */
export type ErrorCode = keyof typeof ERRORS

/** Whether a string is a code from the table (for narrowing codes that arrive over the wire). */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(ERRORS, code)
}

/** The message of `code` with its `%s` placeholders filled in order. */
export function formatError(code: ErrorCode, args: readonly unknown[] = []): string {
  let i = 0
  return ERRORS[code].message.replace(/%s/g, () => (i < args.length ? String(args[i++]) : '%s'))
}

/** The code for a WebSocket close code the relay sent, or null when it maps to none. */
export function errorCodeForClose(close: number): ErrorCode | null {
  for (const code of Object.keys(ERRORS) as ErrorCode[]) {
    if (ERRORS[code].close === close) return code
  }
  return null
}
