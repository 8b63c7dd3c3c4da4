import type { ErrorCode } from '../contract/errors.js'

// The REST client's typed errors: one class per family, all extending ParleyError, so a caller
// branches on `instanceof` or on `code`, never on message text. The relay's error body gives code,
// message, retryable and requestId; the HTTP status picks the class.

/** A code from the error table, or one a newer relay sent that this SDK does not know yet. */
export type ParleyErrorCode = ErrorCode | (string & {})

/** What every Parley error carries. */
export interface ParleyErrorFields {
  code: ParleyErrorCode
  message: string
  /** The HTTP status of the answer; null when no answer arrived. */
  status: number | null
  /** Whether sending the same request again later can succeed (the client already retried it). */
  retryable: boolean
  /** The relay's id of the request, as in its log; null when no answer arrived. */
  requestId: string | null
  /** The survey field an answer was refused for (PARLEY_ERR_SURVEY_ANSWER_INVALID); absent otherwise. */
  field?: string
  cause?: unknown
}

/** Base class of every error the REST client throws (an aborted call rejects with the abort reason instead). */
export class ParleyError extends Error {
  readonly code: ParleyErrorCode
  readonly status: number | null
  readonly retryable: boolean
  readonly requestId: string | null
  /** The survey field an answer was refused for, so a form can point at it without reading the message. */
  readonly field?: string

  constructor(f: ParleyErrorFields) {
    super(f.message, f.cause === undefined ? undefined : { cause: f.cause })
    this.name = new.target.name
    this.code = f.code
    this.status = f.status
    this.retryable = f.retryable
    this.requestId = f.requestId
    if (f.field !== undefined) this.field = f.field
  }
}

/** The relay answered with an error status; the subclass says which family. */
export class ParleyApiError extends ParleyError {
  declare readonly status: number
}

/** 401: the API key is missing, unknown or revoked. */
export class AuthenticationError extends ParleyApiError {}
/** 403: the credential may not do this (an agent token on a brand-key route, a disallowed origin). */
export class PermissionError extends ParleyApiError {}
/** 404: no such resource for this brand (another brand's ids look the same as missing ones). */
export class NotFoundError extends ParleyApiError {}
/** 409: the request conflicts with the current state (an agent e-mail taken, a key still in flight). */
export class ConflictError extends ParleyApiError {}
/** 400, 413, 415, 422: the request is invalid; `message` names the field. Nothing was changed. */
export class InvalidRequestError extends ParleyApiError {}
/** 5xx: not the caller's fault; retried automatically. */
export class ServerError extends ParleyApiError {}

/** 429: too many requests; `retryAfterMs` says when the relay will take the next one (null: not said). */
export class RateLimitError extends ParleyApiError {
  readonly retryAfterMs: number | null

  constructor(f: ParleyErrorFields & { retryAfterMs: number | null }) {
    super(f)
    this.retryAfterMs = f.retryAfterMs
  }
}

/** No answer: the network failed, the relay is unreachable, or the answer could not be read. */
export class APIConnectionError extends ParleyError {
  constructor(message: string, opts: { cause?: unknown; code?: ParleyErrorCode } = {}) {
    super({ code: opts.code ?? 'PARLEY_ERR_CONNECTION_LOST', message, status: null, retryable: true, requestId: null, cause: opts.cause })
  }
}

/** No answer within `timeoutMs`. */
export class TimeoutError extends APIConnectionError {
  constructor(what: string, timeoutMs: number) {
    super(`No answer to ${what} within ${timeoutMs} ms`, { code: 'PARLEY_ERR_CONNECTION_TIMEOUT' })
  }
}
