import type { ERRORS, ErrorCode } from '../contract/errors.js'

// The rows of the error table the connection needs at run time, so a browser bundle carries neither
// the relay's REST and frame messages nor their HTTP statuses: every code's name (to tell a known
// code in an error frame from a newer relay's) and, for the codes the connection raises itself (a
// relay's close code, a local failure), its close code, retry advice and message. The types tie
// each copy to the table: a missing code or a changed message is a compile error.

/** The codes a WebSocket close code stands for. */
type ClosingCode = { [K in ErrorCode]: (typeof ERRORS)[K]['close'] extends number ? K : never }[ErrorCode]
/** The codes the connection raises on its own. */
export type LocalCode = ClosingCode | 'PARLEY_ERR_CONNECTION_LOST' | 'PARLEY_ERR_CONNECTION_TIMEOUT' | 'PARLEY_ERR_CONNECTION_INSECURE' | 'PARLEY_ERR_SERVER_INTERNAL'

/** Close code, retry advice and message template of each code the connection raises, as in the table. */
export const LOCAL_ERRORS: { readonly [K in LocalCode]: Pick<(typeof ERRORS)[K], 'close' | 'retryable' | 'message'> } = {
  PARLEY_ERR_FRAME_TOO_LARGE: { close: 1009, retryable: false, message: 'Frame of %s bytes exceeds the limit of %s bytes' },
  PARLEY_ERR_PROTOCOL_VERSION: { close: 4400, retryable: false, message: 'Protocol version %s is not supported; this relay speaks %s' },
  PARLEY_ERR_PROTOCOL_HELLO_REQUIRED: { close: 4402, retryable: true, message: 'The first frame must be hello' },
  PARLEY_ERR_PROTOCOL_HELLO_TIMEOUT: { close: 4408, retryable: true, message: 'No hello within %s ms' },
  PARLEY_ERR_AUTH_REQUIRED: { close: 4401, retryable: false, message: 'Authentication required' },
  PARLEY_ERR_AUTH_TOKEN_INVALID: { close: 4401, retryable: false, message: 'Token is malformed, forged or not for this brand' },
  PARLEY_ERR_AUTH_TOKEN_EXPIRED: { close: 4401, retryable: false, message: 'Token has expired' },
  PARLEY_ERR_TENANT_SITE_KEY: { close: 4404, retryable: false, message: 'Unknown site key' },
  PARLEY_ERR_LIMIT_FLOOD: { close: 4429, retryable: true, message: 'Too many rejected frames; connection closed' },
  PARLEY_ERR_LIMIT_SLOW_CONSUMER: { close: 4008, retryable: true, message: 'Send queue exceeded %s bytes; reconnect and resume' },
  PARLEY_ERR_CONNECTION_LOST: { close: null, retryable: true, message: 'The connection closed before %s was answered' },
  PARLEY_ERR_CONNECTION_TIMEOUT: { close: null, retryable: true, message: 'No answer to %s within %s ms' },
  PARLEY_ERR_CONNECTION_INSECURE: { close: null, retryable: false, message: 'Refusing to connect to %s: use wss:// (plain ws:// is only allowed to localhost)' },
  PARLEY_ERR_SERVER_INTERNAL: { close: null, retryable: true, message: 'Internal error (ref %s)' },
  PARLEY_ERR_SERVER_SHUTTING_DOWN: { close: 1012, retryable: true, message: 'Relay is restarting; reconnect and resume' },
}

/** Every code of the table, by name. */
const KNOWN: Readonly<Record<ErrorCode, 1>> = {
  PARLEY_ERR_FRAME_MALFORMED: 1, PARLEY_ERR_FRAME_INVALID: 1, PARLEY_ERR_FRAME_UNKNOWN_TYPE: 1,
  PARLEY_ERR_FRAME_TOO_LARGE: 1, PARLEY_ERR_FRAME_BINARY: 1, PARLEY_ERR_PROTOCOL_VERSION: 1,
  PARLEY_ERR_PROTOCOL_HELLO_REQUIRED: 1, PARLEY_ERR_PROTOCOL_HELLO_TIMEOUT: 1,
  PARLEY_ERR_PROTOCOL_ALREADY_HELLO: 1, PARLEY_ERR_PROTOCOL_ROLE: 1, PARLEY_ERR_AUTH_REQUIRED: 1,
  PARLEY_ERR_AUTH_TOKEN_INVALID: 1, PARLEY_ERR_AUTH_TOKEN_EXPIRED: 1, PARLEY_ERR_AUTH_CREDENTIALS: 1,
  PARLEY_ERR_AUTH_FORBIDDEN: 1, PARLEY_ERR_TENANT_SITE_KEY: 1, PARLEY_ERR_TENANT_ORIGIN: 1,
  PARLEY_ERR_TENANT_EXISTS: 1, PARLEY_ERR_CONV_NOT_FOUND: 1, PARLEY_ERR_CONV_CLOSED: 1,
  PARLEY_ERR_CONV_NOT_JOINED: 1, PARLEY_ERR_CONV_ASSIGNED: 1, PARLEY_ERR_AGENT_NOT_FOUND: 1,
  PARLEY_ERR_MESSAGE_TOO_LONG: 1, PARLEY_ERR_MESSAGE_EMPTY: 1, PARLEY_ERR_MESSAGE_ID_REUSED: 1,
  PARLEY_ERR_MESSAGE_REFUSED: 1, PARLEY_ERR_MASKING_PATTERN: 1, PARLEY_ERR_MASKING_RUN_NOT_FOUND: 1, PARLEY_ERR_REQUEST_IDEMPOTENCY_MISMATCH: 1,
  PARLEY_ERR_REQUEST_IDEMPOTENCY_IN_PROGRESS: 1,
  PARLEY_ERR_LIMIT_RATE: 1, PARLEY_ERR_LIMIT_FLOOD: 1, PARLEY_ERR_LIMIT_CONNECTIONS: 1,
  PARLEY_ERR_LIMIT_SLOW_CONSUMER: 1, PARLEY_ERR_LIMIT_BUSY: 1, PARLEY_ERR_LIMIT_CONVERSATIONS: 1,
  PARLEY_ERR_LIMIT_REPLAY: 1, PARLEY_ERR_REQUEST_INVALID: 1, PARLEY_ERR_REQUEST_NOT_FOUND: 1,
  PARLEY_ERR_REQUEST_TOO_LARGE: 1, PARLEY_ERR_REQUEST_MEDIA_TYPE: 1, PARLEY_ERR_CONNECTION_LOST: 1, PARLEY_ERR_CONNECTION_TIMEOUT: 1,
  PARLEY_ERR_CONNECTION_INSECURE: 1, PARLEY_ERR_SERVER_INTERNAL: 1, PARLEY_ERR_SERVER_SHUTTING_DOWN: 1,
  PARLEY_ERR_SERVER_STORE: 1,
}

/** Whether a code that arrived over the wire is one of the table's. */
export function isKnownCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(KNOWN, code)
}

/** The code a relay's WebSocket close code stands for (the first in the table), or null. */
export function localCodeForClose(close: number): LocalCode | null {
  for (const code of Object.keys(LOCAL_ERRORS) as LocalCode[]) if (LOCAL_ERRORS[code].close === close) return code
  return null
}

/** The message of a code the connection raises, with its `%s` filled in order. */
export function localMessage(code: LocalCode, args: readonly unknown[]): string {
  let i = 0
  return LOCAL_ERRORS[code].message.replace(/%s/g, () => (i < args.length ? String(args[i++]) : '%s'))
}
