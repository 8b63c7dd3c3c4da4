import { plural } from '../i18n/plural.js'
import { ApiError } from './api.js'

// What the sign-in form says when the relay refuses: a sentence chosen by the error's code, never
// by its message, which is written for logs and SDK users ("Rate limit of 0.167 per second…").

const SECONDS = { one: '%s second', other: '%s seconds' }
const MINUTES = { one: '%s minute', other: '%s minutes' }

/** "1 minute", "30 seconds": how long to wait; from 45 s on in whole minutes, rounded up (a limit's window is a minute). */
export function waitFor(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds))
  return s < 45 ? plural('en', SECONDS, s) : plural('en', MINUTES, Math.ceil(s / 60))
}

/** The sentence the sign-in form shows for `err`. */
export function signInRefusal(err: unknown): string {
  const code = err instanceof ApiError ? err.code : null
  switch (code) {
    case 'PARLEY_ERR_AUTH_CREDENTIALS': return 'Unknown brand, e-mail or password.'
    case 'PARLEY_ERR_LIMIT_RATE': {
      const wait = (err as ApiError).retryAfter
      return `Too many sign-in attempts. Try again ${wait === null ? 'in a minute' : `in ${waitFor(wait)}`}.`
    }
    case 'PARLEY_ERR_LIMIT_BUSY': return 'The server is busy signing in other agents. Try again in a moment.'
    case 'PARLEY_ERR_CONNECTION_LOST': return 'The server could not be reached. Check your connection and try again.'
    case 'PARLEY_ERR_REQUEST_INVALID': return 'Check the brand id, e-mail address and password.'
    default: return 'Signing in failed. Try again, or ask your administrator.'
  }
}
