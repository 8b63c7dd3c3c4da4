import { describe, expect, it } from 'vitest'
import { ApiError } from '../../../widget/src/console/api.js'
import { signInRefusal, waitFor } from '../../../widget/src/console/sign-in-refusal.js'

// The sign-in form's sentences, chosen by code: the relay's message text never reaches the agent.

const refused = (status: number, code: string, retryAfter: number | null = null) =>
  new ApiError(status, { code, message: 'Rate limit of 0.167 per second exceeded; retry after 59873 ms' }, retryAfter)

describe('sign-in refusals', () => {
  it('says how long to wait after too many attempts, in whole minutes from 45 seconds on', () => {
    expect(signInRefusal(refused(429, 'PARLEY_ERR_LIMIT_RATE', 60))).toBe('Too many sign-in attempts. Try again in 1 minute.')
    expect(signInRefusal(refused(429, 'PARLEY_ERR_LIMIT_RATE', 45))).toBe('Too many sign-in attempts. Try again in 1 minute.')
    expect(signInRefusal(refused(429, 'PARLEY_ERR_LIMIT_RATE', 61))).toBe('Too many sign-in attempts. Try again in 2 minutes.')
  })

  it('counts seconds below a minute with the plural the number needs', () => {
    expect(waitFor(1)).toBe('1 second')
    expect(waitFor(44)).toBe('44 seconds')
    expect(waitFor(0.2)).toBe('1 second')
  })

  it('still says to wait when the relay sent no Retry-After', () => {
    expect(signInRefusal(refused(429, 'PARLEY_ERR_LIMIT_RATE'))).toBe('Too many sign-in attempts. Try again in a minute.')
  })

  it('maps a busy relay and wrong credentials to sentences of their own, never the message text', () => {
    const busy = signInRefusal(refused(503, 'PARLEY_ERR_LIMIT_BUSY', 1))
    expect(busy).toBe('The server is busy signing in other agents. Try again in a moment.')
    expect(signInRefusal(refused(401, 'PARLEY_ERR_AUTH_CREDENTIALS'))).toBe('Unknown brand, e-mail or password.')
    expect(signInRefusal(refused(500, 'PARLEY_ERR_SERVER_INTERNAL'))).not.toContain('Rate limit')
    expect(signInRefusal(new Error('boom'))).toBe('Signing in failed. Try again, or ask your administrator.')
  })
})
