import createError, { type FastifyErrorConstructor } from '@fastify/error'
import { ERRORS, formatError, type ErrorCode, type ErrorFrame } from '@parley/sdk/contract'

// The relay's errors, generated from the one table in the SDK contract: REST handlers throw
// `httpError(code, ...args)`; the socket sends `errorFrame(code, args, ref)`.

const constructors = new Map<ErrorCode, FastifyErrorConstructor>()
for (const code of Object.keys(ERRORS) as ErrorCode[]) {
  constructors.set(code, createError(code, ERRORS[code].message, ERRORS[code].status))
}

/** A Fastify error for `code`, with the table's status and message. */
export function httpError(code: ErrorCode, ...args: unknown[]): Error & { code: ErrorCode; statusCode: number } {
  const Ctor = constructors.get(code)!
  return new Ctor(...args) as Error & { code: ErrorCode; statusCode: number }
}

/** httpError for a refused survey answer: the body names the `field` as well as the message. */
export function fieldError(code: ErrorCode, field: string, ...args: unknown[]): Error & { code: ErrorCode; statusCode: number; field: string } {
  return Object.assign(httpError(code, ...args), { field })
}

/** The wire form of an error for the socket. */
export function errorFrame(code: ErrorCode, args: readonly unknown[] = [], ref?: string, retryAfterMs?: number, field?: string): ErrorFrame {
  const frame: ErrorFrame = { type: 'error', code, message: formatError(code, args), retryable: ERRORS[code].retryable }
  if (ref !== undefined) frame.ref = ref
  if (retryAfterMs !== undefined) frame.retryAfterMs = retryAfterMs
  if (field !== undefined) frame.field = field
  return frame
}
