import type { ErrorCode } from '../contract/errors.js'
import { LOCAL_CODES, type LocalCode } from './local-codes.js'
import { isKnownCode, localMessage } from './local-errors.js'
import type { ConnectionErrorInfo } from './types.js'

/** A typed failure of the live connection: branch on `code`, never on the message. */
export class ConnectionError extends Error implements ConnectionErrorInfo {
  readonly code: ErrorCode
  readonly retryable: boolean
  readonly ref?: string
  readonly retryAfterMs?: number
  readonly field?: string

  constructor(info: ConnectionErrorInfo) {
    super(info.message)
    this.name = 'ConnectionError'
    this.code = info.code
    this.retryable = info.retryable
    if (info.ref !== undefined) this.ref = info.ref
    if (info.retryAfterMs !== undefined) this.retryAfterMs = info.retryAfterMs
    if (info.field !== undefined) this.field = info.field
  }
}

/** The error info for a code the connection raises itself, with its message filled in. */
export function errorInfo(code: LocalCode, args: readonly unknown[] = [], ref?: string): ConnectionErrorInfo {
  return { code, message: localMessage(code, args), retryable: LOCAL_CODES[code].retryable, ...(ref !== undefined ? { ref } : {}) }
}

/** Error info from an error frame; an unknown code (a newer relay) is kept as an internal error. */
export function errorFromFrame(f: { code: string; message: string; retryable: boolean; ref?: string; retryAfterMs?: number; field?: string }): ConnectionErrorInfo {
  const code: ErrorCode = isKnownCode(f.code) ? f.code : 'PARLEY_ERR_SERVER_INTERNAL'
  return {
    code, message: f.message, retryable: f.retryable,
    ...(f.ref !== undefined ? { ref: f.ref } : {}), ...(f.retryAfterMs !== undefined ? { retryAfterMs: f.retryAfterMs } : {}),
    ...(f.field !== undefined ? { field: f.field } : {}),
  }
}
