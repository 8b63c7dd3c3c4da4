import { createHash, randomBytes } from 'node:crypto'

// Brand secret API keys: 32 random bytes, shown once, stored only as a SHA-256 hash. A fast hash is
// right here (unlike passwords): the key has 256 bits of entropy, nothing to brute-force.

const PREFIX = 'sk_'

/** A new secret API key. */
export function createApiKey(): string {
  return PREFIX + randomBytes(32).toString('base64url')
}

/** Whether a bearer credential looks like an API key (rather than a session token). */
export function isApiKey(credential: string): boolean {
  return credential.startsWith(PREFIX)
}

/** The hash under which a key is stored and looked up. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}
