import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createWebhookSecret, signingSecrets, webhookHeaders } from '../../../../server/src/webhooks/signature.js'

// Standard Webhooks signing: the published example of the spec's reference libraries, a check
// written here with node:crypto, and which secrets sign during a rotation.

describe('webhook signatures', () => {
  it("matches the Standard Webhooks libraries' published example", () => {
    const h = webhookHeaders(['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'], 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')
    expect(h).toEqual({
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    })
  })

  it('signs once per secret, space-separated, each an HMAC-SHA256 of id.timestamp.body under the decoded key', () => {
    const secrets = [createWebhookSecret(), createWebhookSecret()]
    const body = '{"type":"webhook.test"}'
    const sigs = webhookHeaders(secrets, 'evt_1', 1700000000, body)['webhook-signature']!.split(' ')
    expect(sigs).toEqual(secrets.map((s) => `v1,${createHmac('sha256', Buffer.from(s.slice(6), 'base64')).update(`evt_1.1700000000.${body}`).digest('base64')}`))
  })

  it('makes secrets of 32 random bytes after whsec_', () => {
    const a = createWebhookSecret()
    expect(a).toMatch(/^whsec_/)
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32)
    expect(createWebhookSecret()).not.toBe(a)
  })

  it('signs with the current secret and a rotated-out one until its expiry, not at or after it', () => {
    const secrets = [{ secret: 'whsec_new', expiresAt: null }, { secret: 'whsec_old', expiresAt: 5000 }]
    expect(signingSecrets(secrets, 4999)).toEqual(['whsec_new', 'whsec_old'])
    expect(signingSecrets(secrets, 5000)).toEqual(['whsec_new'])
  })
})
