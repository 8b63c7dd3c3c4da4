import { createHmac } from 'node:crypto'

// Builds tokens in the relay's compact (JWT) layout by hand, so tests can present what an attacker
// would: other algorithms, edited payloads, borrowed signatures.

/** One base64url JSON segment. */
export function encodeSegment(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

/** The three parts of a token, header and claims decoded. */
export function decodeToken(token: string): { header: Record<string, unknown>; claims: Record<string, unknown>; signature: string } {
  const [h, p, s] = token.split('.') as [string, string, string]
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>,
    claims: JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>,
    signature: s,
  }
}

/**
 * A token with any header and claims. Signed with HMAC over `secret` using `hash` (default sha256),
 * or carrying `signature` verbatim when given.
 */
export function forgeToken(opts: {
  header?: Record<string, unknown>
  claims: Record<string, unknown>
  secret?: Buffer
  hash?: 'sha256' | 'sha512'
  signature?: string
}): string {
  const signed = `${encodeSegment(opts.header ?? { alg: 'HS256', typ: 'JWT' })}.${encodeSegment(opts.claims)}`
  const signature = opts.signature
    ?? (opts.secret ? createHmac(opts.hash ?? 'sha256', opts.secret).update(signed).digest('base64url') : '')
  return `${signed}.${signature}`
}
