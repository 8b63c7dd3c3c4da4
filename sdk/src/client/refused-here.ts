import { formatError, type ErrorCode } from '../contract/errors.js'
import { InvalidRequestError } from './errors.js'

// Some input the SDK checks before sending it, with the relay's own checks, so that a brand's CI
// fails without a relay; it is refused as the relay would answer it (400, not retryable) but with
// no request id, since no request was made.

/** The InvalidRequestError for input refused before any request: `code` with its message `args`. */
export function refusedHere(code: ErrorCode, args: readonly unknown[]): InvalidRequestError {
  return new InvalidRequestError({ code, message: formatError(code, args), status: 400, retryable: false, requestId: null })
}
