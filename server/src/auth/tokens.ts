import { createHmac, timingSafeEqual } from 'node:crypto'

// Compact HS256 tokens (JWT layout) for visitors and agents. Only HS256 is accepted: a token that
// names any other algorithm, `none` included, is refused before its signature is even looked at.

/** What a token says about its holder. */
export interface TokenClaims {
  /** visitorId or agentId */
  sub: string
  brand: string
  kind: 'visitor' | 'agent'
  /** The session the token belongs to: an agent's sign-in, a visitor's visit (revocable by id). */
  sid?: string
  /** A verified visitor: the customer id the brand signed (visitor.identify). */
  cust?: string
  iat: number
  exp: number
}

/** Why a token was refused. */
export type TokenFailure = 'PARLEY_ERR_AUTH_TOKEN_INVALID' | 'PARLEY_ERR_AUTH_TOKEN_EXPIRED'

/** Signs and verifies tokens with one secret. */
export interface TokenSigner {
  sign(claims: Omit<TokenClaims, 'iat' | 'exp'>, ttlSeconds: number): { token: string; expiresAt: number }
  verify(token: string): { ok: true; claims: TokenClaims } | { ok: false; code: TokenFailure }
}

const B64URL = /^[A-Za-z0-9_-]+$/
const HEADER = b64url(Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })))

/** A signer over `secret` (at least 32 bytes), reading time from `now` (ms). */
export function createTokenSigner(secret: Buffer, now: () => number): TokenSigner {
  if (secret.length < 32) throw new Error('token secret must be at least 32 bytes')
  const mac = (data: string) => createHmac('sha256', secret).update(data).digest()
  return {
    sign(claims, ttlSeconds) {
      const iat = Math.floor(now() / 1000)
      const body: TokenClaims = { ...claims, iat, exp: iat + ttlSeconds }
      const payload = b64url(Buffer.from(JSON.stringify(body)))
      const signed = `${HEADER}.${payload}`
      return { token: `${signed}.${b64url(mac(signed))}`, expiresAt: body.exp * 1000 }
    },
    verify(token) {
      const invalid = { ok: false, code: 'PARLEY_ERR_AUTH_TOKEN_INVALID' } as const
      if (typeof token !== 'string' || token.length > 4096) return invalid
      const parts = token.split('.')
      if (parts.length !== 3) return invalid
      const [h, p, s] = parts as [string, string, string]
      // Base64url decoding skips stray characters; a token must be exactly what we would have signed.
      if (!B64URL.test(h) || !B64URL.test(p) || !B64URL.test(s)) return invalid
      const header = decodeJson(h)
      if (!header || header.alg !== 'HS256') return invalid
      const given = Buffer.from(s, 'base64url')
      const want = mac(`${h}.${p}`)
      if (given.length !== want.length || !timingSafeEqual(given, want) || b64url(given) !== s) return invalid
      const c = decodeJson(p)
      if (!c || typeof c.sub !== 'string' || typeof c.brand !== 'string' || (c.kind !== 'visitor' && c.kind !== 'agent')
        || typeof c.iat !== 'number' || typeof c.exp !== 'number'
        || (c.sid !== undefined && typeof c.sid !== 'string') || (c.cust !== undefined && typeof c.cust !== 'string')) return invalid
      if (c.exp * 1000 <= now()) return { ok: false, code: 'PARLEY_ERR_AUTH_TOKEN_EXPIRED' }
      return { ok: true, claims: c as unknown as TokenClaims }
    },
  }
}

function b64url(buf: Buffer): string {
  return buf.toString('base64url')
}

function decodeJson(part: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null
  } catch {
    return null
  }
}
