import { describe, expect, it } from 'vitest'
import { ERRORS, type ErrorCode } from '@parley/sdk/contract'
import { errorFromResponse } from '../../../../sdk/src/client/error-from-response.js'
import {
  AuthenticationError, ConflictError, InvalidRequestError, NotFoundError, ParleyApiError, ParleyError,
  PermissionError, RateLimitError, ServerError,
} from '../../../../sdk/src/client/errors.js'

const noHeaders = { get: () => null }
const body = (code: ErrorCode) => JSON.stringify({ code, message: 'm', retryable: ERRORS[code].retryable, requestId: 'req-7' })

// Every code of the table that answers a REST request lands in the family its status names.
const FAMILY: Record<number, unknown> = {
  400: InvalidRequestError, 401: AuthenticationError, 403: PermissionError, 404: NotFoundError, 409: ConflictError,
  413: InvalidRequestError, 415: InvalidRequestError, 422: InvalidRequestError, 429: RateLimitError,
  500: ServerError, 503: ServerError, 504: ServerError,
}

describe('errorFromResponse', () => {
  it.each(Object.keys(ERRORS) as ErrorCode[])('maps %s to its family with the body\'s code, retryable and requestId', (code) => {
    const { status, retryable } = ERRORS[code]
    const err = errorFromResponse(status, noHeaders, body(code), null)
    expect(err).toBeInstanceOf(ParleyError)
    expect(err).toBeInstanceOf(ParleyApiError)
    expect(err).toBeInstanceOf((FAMILY[status] ?? ParleyApiError) as typeof ParleyApiError)
    expect(err).toMatchObject({ code, status, retryable, requestId: 'req-7', message: 'm' })
    expect(err.name).toBe((FAMILY[status] as { name?: string } | undefined)?.name ?? 'ParleyApiError')
  })

  it('carries the wait a 429 asked for', () => {
    const err = errorFromResponse(429, noHeaders, body('PARLEY_ERR_LIMIT_RATE'), 2000)
    expect(err).toBeInstanceOf(RateLimitError)
    expect((err as RateLimitError).retryAfterMs).toBe(2000)
  })

  it('names the survey field a refused answer was for, as the body did', () => {
    const text = JSON.stringify({ code: 'PARLEY_ERR_SURVEY_ANSWER_INVALID', message: 'm', retryable: false, requestId: 'r', field: 'email' })
    const err = errorFromResponse(400, noHeaders, text, null)
    expect(err).toBeInstanceOf(InvalidRequestError)
    expect(err.field).toBe('email')
  })

  it('leaves field unset when the body names none', () => {
    expect(errorFromResponse(400, noHeaders, body('PARLEY_ERR_REQUEST_INVALID'), null).field).toBeUndefined()
  })

  it('keeps a code this SDK does not know (a newer relay) as it came', () => {
    const err = errorFromResponse(409, noHeaders, JSON.stringify({ code: 'PARLEY_ERR_FUTURE', message: 'x', retryable: false, requestId: 'r' }), null)
    expect(err).toBeInstanceOf(ConflictError)
    expect(err.code).toBe('PARLEY_ERR_FUTURE')
  })

  it('falls back on the status for an answer that is not the relay\'s (a proxy\'s HTML 502)', () => {
    const err = errorFromResponse(502, { get: (n: string) => (n === 'x-request-id' ? 'proxy-1' : null) }, '<html>Bad gateway</html>', null)
    expect(err).toBeInstanceOf(ServerError)
    expect(err).toMatchObject({ code: 'PARLEY_ERR_SERVER_INTERNAL', status: 502, retryable: true, requestId: 'proxy-1' })
    expect(err.message).toContain('502')
    const auth = errorFromResponse(401, noHeaders, '', null)
    expect(auth).toBeInstanceOf(AuthenticationError)
    expect(auth).toMatchObject({ code: 'PARLEY_ERR_AUTH_REQUIRED', retryable: false, requestId: null })
  })
})
