import type { ERRORS, ErrorCode } from '../contract/errors.js'

// The close codes and retry advice of the codes the connection raises itself (a relay's close code,
// a local failure), copied from the error table so a browser bundle carries neither the relay's REST
// and frame rows nor their HTTP statuses. The types tie the copy to the table; a test checks values.
// Their message templates are in local-errors.ts, which a browser build may swap for a lean one.

/** The codes a WebSocket close code stands for. */
type ClosingCode = { [K in ErrorCode]: (typeof ERRORS)[K]['close'] extends number ? K : never }[ErrorCode]
/** The codes the connection raises on its own. */
export type LocalCode = ClosingCode | 'PARLEY_ERR_CONNECTION_LOST' | 'PARLEY_ERR_CONNECTION_TIMEOUT' | 'PARLEY_ERR_CONNECTION_INSECURE' | 'PARLEY_ERR_SERVER_INTERNAL'

/** Close code and retry advice of each code the connection raises, as in the table. */
export const LOCAL_CODES: { readonly [K in LocalCode]: Pick<(typeof ERRORS)[K], 'close' | 'retryable'> } = {
  PARLEY_ERR_FRAME_TOO_LARGE: { close: 1009, retryable: false },
  PARLEY_ERR_PROTOCOL_VERSION: { close: 4400, retryable: false },
  PARLEY_ERR_PROTOCOL_HELLO_REQUIRED: { close: 4402, retryable: true },
  PARLEY_ERR_PROTOCOL_HELLO_TIMEOUT: { close: 4408, retryable: true },
  PARLEY_ERR_AUTH_REQUIRED: { close: 4401, retryable: false },
  PARLEY_ERR_AUTH_TOKEN_INVALID: { close: 4401, retryable: false },
  PARLEY_ERR_AUTH_TOKEN_EXPIRED: { close: 4401, retryable: false },
  PARLEY_ERR_AUTH_SESSION_REVOKED: { close: 4401, retryable: false },
  PARLEY_ERR_AUTH_ACCOUNT_INACTIVE: { close: 4401, retryable: false },
  PARLEY_ERR_TENANT_SITE_KEY: { close: 4404, retryable: false },
  PARLEY_ERR_LIMIT_FLOOD: { close: 4429, retryable: true },
  PARLEY_ERR_LIMIT_SLOW_CONSUMER: { close: 4008, retryable: true },
  PARLEY_ERR_CONNECTION_LOST: { close: null, retryable: true },
  PARLEY_ERR_CONNECTION_TIMEOUT: { close: null, retryable: true },
  PARLEY_ERR_CONNECTION_INSECURE: { close: null, retryable: false },
  PARLEY_ERR_SERVER_INTERNAL: { close: null, retryable: true },
  PARLEY_ERR_SERVER_SHUTTING_DOWN: { close: 1012, retryable: true },
}

/** The code a relay's WebSocket close code stands for (the first in the table), or null. */
export function localCodeForClose(close: number): LocalCode | null {
  for (const code of Object.keys(LOCAL_CODES) as LocalCode[]) if (LOCAL_CODES[code].close === close) return code
  return null
}
