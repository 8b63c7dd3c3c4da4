import { createHmac, randomBytes } from 'node:crypto'
import type { WebhookSecretRecord } from '../store/store.js'

// Standard Webhooks signing (https://www.standardwebhooks.com): the signed content is
// `${id}.${timestamp}.${body}`, the key is the base64 part of a `whsec_` secret, and the header lists
// one `v1,<base64 HMAC-SHA256>` per secret, space-separated. While a secret is being rotated out both
// the new and the old one sign, so a receiver that knows either accepts the delivery.

const PREFIX = 'whsec_'

/** A new secret: `whsec_` and the base64 of 32 random bytes. */
export function createWebhookSecret(): string {
  return PREFIX + randomBytes(32).toString('base64')
}

/** The `v1,<signature>` of one secret over a delivery. */
function signOne(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64')
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`
}

/** The secrets that still sign at `now`: the current one, and a rotated-out one within its grace. */
export function signingSecrets(secrets: readonly WebhookSecretRecord[], now: number): string[] {
  return secrets.filter((s) => s.expiresAt === null || s.expiresAt > now).map((s) => s.secret)
}

/** The three Standard Webhooks headers of a delivery, signed by each of `secrets`; `timestamp` in seconds. */
export function webhookHeaders(secrets: readonly string[], id: string, timestamp: number, body: string): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((s) => signOne(s, id, timestamp, body)).join(' '),
  }
}
