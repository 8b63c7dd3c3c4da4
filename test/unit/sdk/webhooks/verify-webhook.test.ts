import { describe, expect, it } from 'vitest'
import { verifyWebhook } from '../../../../sdk/src/webhooks/verify-webhook.js'

// verifyWebhook on the Standard Webhooks libraries' published example: accepted as signed, refused
// when anything signed changed, when stale, or when no signature is by the secret.

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const BODY = '{"test": 2432232314}'
const HEADERS = { 'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek', 'webhook-timestamp': '1614265330', 'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' }
const NOW = 1614265330_000

describe('verifyWebhook', () => {
  it('resolves the payload of the published example', async () => {
    expect(await verifyWebhook(SECRET, HEADERS, BODY, { now: NOW })).toEqual({ test: 2432232314 })
  })

  it('accepts any matching signature of several, by any of several secrets (a rotation)', async () => {
    const headers = { ...HEADERS, 'webhook-signature': `v1,AAAA v1a,xyz ${HEADERS['webhook-signature']}` }
    expect(await verifyWebhook(['whsec_' + 'B'.repeat(32), SECRET], headers, BODY, { now: NOW })).not.toBeNull()
  })

  it.each([
    ['a changed body', HEADERS, '{"test": 2432232315}', NOW],
    ['a changed id', { ...HEADERS, 'webhook-id': 'msg_other' }, BODY, NOW],
    ['a changed timestamp', { ...HEADERS, 'webhook-timestamp': '1614265331' }, BODY, NOW],
    ['a timestamp over 5 minutes old', HEADERS, BODY, NOW + 301_000],
    ['a timestamp over 5 minutes ahead', HEADERS, BODY, NOW - 301_000],
    ['no signature header', { 'webhook-id': HEADERS['webhook-id'], 'webhook-timestamp': HEADERS['webhook-timestamp'] }, BODY, NOW],
    ['a signature of another version', { ...HEADERS, 'webhook-signature': HEADERS['webhook-signature'].replace('v1,', 'v2,') }, BODY, NOW],
  ])('refuses %s', async (_what, headers, body, now) => {
    expect(await verifyWebhook(SECRET, headers, body, { now })).toBeNull()
  })
})
