import { describe, expect, it } from 'vitest'
import { Parley } from '../../../../sdk/src/client/client.js'
import type { FetchLike } from '../../../../sdk/src/client/web-globals.js'

// Calls whose answer holds a secret are not replayed by the relay (it keeps no copy of a secret), so
// a retry after a lost answer would act twice. These calls must reach the relay once, whatever the
// client's retry setting; other mutating calls keep retrying.

/** A fetch that answers every call with a retryable 502 and counts the calls per path. */
function failingFetch(calls: string[]): FetchLike {
  return async (url, init) => {
    calls.push(`${init.method} ${new URL(url).pathname}`)
    return new Response(JSON.stringify({ code: 'PARLEY_ERR_SERVER_STORE', message: 'lost', retryable: true }), {
      status: 502, headers: { 'content-type': 'application/json', 'retry-after': '0' },
    })
  }
}

const SECRET_CALLS: [string, (p: Parley) => Promise<unknown>][] = [
  ['keys.create', (p) => p.keys.create({ name: 'ci', scopes: ['transcripts:read'] })],
  ['keys.rotate', (p) => p.keys.rotate('key_1', { graceSeconds: 0 })],
  ['identity.secrets.create', (p) => p.identity.secrets.create()],
]

describe('calls answering a secret', () => {
  it.each(SECRET_CALLS)('%s is sent once even with retries on, and the error reaches the caller', async (_name, call) => {
    const calls: string[] = []
    const parley = new Parley({ relay: 'http://localhost:1', apiKey: 'pk_test', fetch: failingFetch(calls), maxRetries: 3 })
    await expect(call(parley)).rejects.toMatchObject({ status: 502 })
    expect(calls).toHaveLength(1)
  })

  it('keys.create is sent once even when the call itself asks for retries', async () => {
    const calls: string[] = []
    const parley = new Parley({ relay: 'http://localhost:1', apiKey: 'pk_test', fetch: failingFetch(calls) })
    await expect(parley.keys.create({ name: 'ci', scopes: ['transcripts:read'] }, { maxRetries: 3 })).rejects.toMatchObject({ status: 502 })
    expect(calls).toEqual(['POST /v1/keys'])
  })

  it('an ordinary mutating call still retries (the control)', async () => {
    const calls: string[] = []
    const parley = new Parley({ relay: 'http://localhost:1', apiKey: 'pk_test', fetch: failingFetch(calls), maxRetries: 2 })
    await expect(parley.keys.revoke('key_1')).rejects.toMatchObject({ status: 502 })
    expect(calls).toHaveLength(3)
  })
})
