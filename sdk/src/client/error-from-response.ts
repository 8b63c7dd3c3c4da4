import {
  AuthenticationError, ConflictError, InvalidRequestError, NotFoundError, ParleyApiError, PermissionError,
  RateLimitError, ServerError, type ParleyErrorFields,
} from './errors.js'

// Turns an error answer into one typed error. The relay always answers with its error body
// ({ code, message, retryable, requestId }); a proxy in front of it may not (an HTML 502), so every
// field has a fallback taken from the status alone.

type ApiErrorClass = new (f: ParleyErrorFields) => ParleyApiError

const BY_STATUS: Readonly<Record<number, ApiErrorClass>> = {
  400: InvalidRequestError, 401: AuthenticationError, 403: PermissionError, 404: NotFoundError,
  409: ConflictError, 413: InvalidRequestError, 415: InvalidRequestError, 422: InvalidRequestError,
}

/** The code to report when the answer carries none (not the relay's own answer). */
function fallbackCode(status: number): string {
  if (status === 401) return 'PARLEY_ERR_AUTH_REQUIRED'
  if (status === 404) return 'PARLEY_ERR_REQUEST_NOT_FOUND'
  if (status === 429) return 'PARLEY_ERR_LIMIT_RATE'
  return status >= 500 ? 'PARLEY_ERR_SERVER_INTERNAL' : 'PARLEY_ERR_REQUEST_INVALID'
}

/** Whether a status is worth retrying when the body does not say (stripe and openai agree on these). */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500
}

function parseBody(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text)
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null
  } catch {
    return null
  }
}

/** The typed error for an answer with a non-2xx status. */
export function errorFromResponse(
  status: number, headers: { get(name: string): string | null }, text: string, retryAfterMs: number | null,
): ParleyApiError {
  const body = parseBody(text)
  const str = (k: string): string | null => (typeof body?.[k] === 'string' ? (body[k] as string) : null)
  const field = str('field')
  const fields: ParleyErrorFields = {
    status,
    code: str('code') ?? fallbackCode(status),
    message: str('message') ?? `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`,
    retryable: typeof body?.retryable === 'boolean' ? body.retryable : isRetryableStatus(status),
    requestId: str('requestId') ?? headers.get('request-id') ?? headers.get('x-request-id'),
    ...(field !== null ? { field } : {}),
  }
  if (status === 429) return new RateLimitError({ ...fields, retryAfterMs })
  const Class = BY_STATUS[status] ?? (status >= 500 ? ServerError : ParleyApiError)
  return new Class(fields)
}
