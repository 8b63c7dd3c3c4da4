import type { ERRORS, ErrorCode } from '../contract/errors.js'
import type { LocalCode } from './local-codes.js'

// The texts of the error table the connection uses at run time: every code's name (to tell a known
// code in an error frame from a newer relay's) and the message template of each code it raises
// itself. The consumer widget's build swaps this module for widget/src/browser/lean-errors.ts: it
// shows its own localised strings by code, so these bytes would buy it nothing. The types tie each
// copy to the table: a missing code or a changed message is a compile error.

/** Message template of each code the connection raises, as in the table. */
export const LOCAL_MESSAGES: { readonly [K in LocalCode]: (typeof ERRORS)[K]['message'] } = {
  PARLEY_ERR_FRAME_TOO_LARGE: 'Frame of %s bytes exceeds the limit of %s bytes',
  PARLEY_ERR_PROTOCOL_VERSION: 'Protocol version %s is not supported; this relay speaks %s',
  PARLEY_ERR_PROTOCOL_HELLO_REQUIRED: 'The first frame must be hello',
  PARLEY_ERR_PROTOCOL_HELLO_TIMEOUT: 'No hello within %s ms',
  PARLEY_ERR_AUTH_REQUIRED: 'Authentication required',
  PARLEY_ERR_AUTH_TOKEN_INVALID: 'Token is malformed, forged or not for this brand',
  PARLEY_ERR_AUTH_TOKEN_EXPIRED: 'Token has expired',
  PARLEY_ERR_AUTH_SESSION_REVOKED: 'This session was signed out or revoked',
  PARLEY_ERR_AUTH_ACCOUNT_INACTIVE: 'This agent account is deactivated',
  PARLEY_ERR_TENANT_SITE_KEY: 'Unknown site key',
  PARLEY_ERR_LIMIT_FLOOD: 'Too many rejected frames; connection closed',
  PARLEY_ERR_LIMIT_SLOW_CONSUMER: 'Send queue exceeded %s bytes; reconnect and resume',
  PARLEY_ERR_CONNECTION_LOST: 'The connection closed before %s was answered',
  PARLEY_ERR_CONNECTION_TIMEOUT: 'No answer to %s within %s ms',
  PARLEY_ERR_CONNECTION_INSECURE: 'Refusing to connect to %s: use wss:// (plain ws:// is only allowed to localhost)',
  PARLEY_ERR_SERVER_INTERNAL: 'Internal error (ref %s)',
  PARLEY_ERR_SERVER_SHUTTING_DOWN: 'Relay is restarting; reconnect and resume',
}

/** Every code of the table, by name. */
const KNOWN: Readonly<Record<ErrorCode, 1>> = {
  PARLEY_ERR_FRAME_MALFORMED: 1, PARLEY_ERR_FRAME_INVALID: 1, PARLEY_ERR_FRAME_UNKNOWN_TYPE: 1,
  PARLEY_ERR_FRAME_TOO_LARGE: 1, PARLEY_ERR_FRAME_BINARY: 1, PARLEY_ERR_PROTOCOL_VERSION: 1,
  PARLEY_ERR_PROTOCOL_HELLO_REQUIRED: 1, PARLEY_ERR_PROTOCOL_HELLO_TIMEOUT: 1,
  PARLEY_ERR_PROTOCOL_ALREADY_HELLO: 1, PARLEY_ERR_PROTOCOL_ROLE: 1, PARLEY_ERR_AUTH_REQUIRED: 1,
  PARLEY_ERR_AUTH_TOKEN_INVALID: 1, PARLEY_ERR_AUTH_TOKEN_EXPIRED: 1, PARLEY_ERR_AUTH_CREDENTIALS: 1,
  PARLEY_ERR_AUTH_FORBIDDEN: 1, PARLEY_ERR_AUTH_ROLE: 1, PARLEY_ERR_AUTH_SCOPE: 1, PARLEY_ERR_AUTH_NOT_PARTICIPANT: 1,
  PARLEY_ERR_AUTH_SESSION_REVOKED: 1, PARLEY_ERR_AUTH_ACCOUNT_INACTIVE: 1, PARLEY_ERR_AUTH_KEY_REVOKED: 1,
  PARLEY_ERR_AUTH_KEY_EXPIRED: 1, PARLEY_ERR_AUTH_LAST_ADMIN: 1, PARLEY_ERR_KEY_NOT_FOUND: 1, PARLEY_ERR_KEY_ROTATED: 1, PARLEY_ERR_SESSION_NOT_FOUND: 1,
  PARLEY_ERR_IDENTITY_NOT_CONFIGURED: 1, PARLEY_ERR_IDENTITY_INVALID: 1, PARLEY_ERR_IDENTITY_ALGORITHM: 1,
  PARLEY_ERR_IDENTITY_EXPIRED: 1, PARLEY_ERR_IDENTITY_NOT_YET_VALID: 1, PARLEY_ERR_IDENTITY_CLAIM: 1,
  PARLEY_ERR_IDENTITY_REVOKED: 1, PARLEY_ERR_IDENTITY_KEYS_UNAVAILABLE: 1, PARLEY_ERR_IDENTITY_SECRET_NOT_FOUND: 1,
  PARLEY_ERR_IDENTITY_SECRET_LIMIT: 1, PARLEY_ERR_IDENTITY_KEY_INVALID: 1,
  PARLEY_ERR_TENANT_SITE_KEY: 1, PARLEY_ERR_TENANT_ORIGIN: 1,
  PARLEY_ERR_TENANT_EXISTS: 1, PARLEY_ERR_CONV_NOT_FOUND: 1, PARLEY_ERR_CONV_CLOSED: 1,
  PARLEY_ERR_CONV_NOT_JOINED: 1, PARLEY_ERR_CONV_ASSIGNED: 1, PARLEY_ERR_AGENT_NOT_FOUND: 1,
  PARLEY_ERR_MESSAGE_TOO_LONG: 1, PARLEY_ERR_MESSAGE_EMPTY: 1, PARLEY_ERR_MESSAGE_ID_REUSED: 1,
  PARLEY_ERR_MESSAGE_REFUSED: 1, PARLEY_ERR_OFFER_NOT_FOUND: 1, PARLEY_ERR_AGENT_UNAVAILABLE: 1, PARLEY_ERR_SKILL_UNKNOWN: 1,
  PARLEY_ERR_CANNED_NOT_FOUND: 1, PARLEY_ERR_CANNED_SHORTCUT_TAKEN: 1,
  PARLEY_ERR_CANNED_LIMIT: 1, PARLEY_ERR_NOTE_EMPTY: 1, PARLEY_ERR_ATTACHMENT_NOT_FOUND: 1, PARLEY_ERR_ATTACHMENT_TYPE: 1,
  PARLEY_ERR_ATTACHMENT_TOO_LARGE: 1, PARLEY_ERR_ATTACHMENT_CONTENT: 1, PARLEY_ERR_ATTACHMENT_IN_USE: 1, PARLEY_ERR_ATTACHMENT_DISABLED: 1,
  PARLEY_ERR_ATTACHMENT_STORE: 1, PARLEY_ERR_MASKING_PATTERN: 1, PARLEY_ERR_RULES_INVALID: 1, PARLEY_ERR_HOURS_INVALID: 1, PARLEY_ERR_HOURS_NOT_FOUND: 1, PARLEY_ERR_MASKING_RUN_NOT_FOUND: 1, PARLEY_ERR_REQUEST_IDEMPOTENCY_MISMATCH: 1,
  PARLEY_ERR_REQUEST_IDEMPOTENCY_IN_PROGRESS: 1,
  PARLEY_ERR_LIMIT_RATE: 1, PARLEY_ERR_LIMIT_FLOOD: 1, PARLEY_ERR_LIMIT_CONNECTIONS: 1,
  PARLEY_ERR_LIMIT_SLOW_CONSUMER: 1, PARLEY_ERR_LIMIT_BUSY: 1, PARLEY_ERR_LIMIT_CONVERSATIONS: 1,
  PARLEY_ERR_LIMIT_REPLAY: 1, PARLEY_ERR_REQUEST_INVALID: 1, PARLEY_ERR_REQUEST_NOT_FOUND: 1,
  PARLEY_ERR_REQUEST_TOO_LARGE: 1, PARLEY_ERR_REQUEST_MEDIA_TYPE: 1, PARLEY_ERR_CONNECTION_LOST: 1, PARLEY_ERR_CONNECTION_TIMEOUT: 1,
  PARLEY_ERR_CONNECTION_INSECURE: 1, PARLEY_ERR_SERVER_INTERNAL: 1, PARLEY_ERR_SERVER_SHUTTING_DOWN: 1,
  PARLEY_ERR_SERVER_STORE: 1, PARLEY_ERR_SURVEYS_INVALID: 1, PARLEY_ERR_SURVEY_NOT_FOUND: 1,
  PARLEY_ERR_SURVEY_ANSWER_INVALID: 1, PARLEY_ERR_SURVEY_ANSWERED: 1, PARLEY_ERR_REPORT_RANGE: 1,
}

/** Whether a code that arrived over the wire is one of the table's. */
export function isKnownCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(KNOWN, code)
}

/** The message of a code the connection raises, with its `%s` filled in order. */
export function localMessage(code: LocalCode, args: readonly unknown[]): string {
  let i = 0
  return LOCAL_MESSAGES[code].replace(/%s/g, () => (i < args.length ? String(args[i++]) : '%s'))
}
