import { createHash } from 'node:crypto'
import { createLocalJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWK, type JWTPayload, type JWTVerifyGetKey } from 'jose'
import { IDENTITY_CLOCK_SKEW_SECONDS, IDENTITY_MAX_AGE_SECONDS, type ErrorCode, type IdentitySettings } from '@parley/sdk/contract'
import type { IdentitySecretRecord } from '../store/store.js'

// Verifies the JWT a brand signs for its logged-in customer. Each kind of key has its own algorithm
// allow-list: HS256 only against the brand's own secrets, ES256/RS256 only against its public keys.
// A token naming any other algorithm (`none` included) is refused before a key is looked at, and an
// HS256 token "signed" with a public key's bytes meets only the brand's secrets, so it fails there.
// Only what the brand signed is trusted: sub, name, email.

const ASYMMETRIC = ['ES256', 'RS256'] as const

/** The claims a verified token vouches for. */
export interface VerifiedClaims {
  customerId: string
  name: string | null
  email: string | null
  /** The token's `exp`, ms. */
  expiresAt: number
  /** Until when the token could still verify (exp plus the brand's clock skew), ms: how long a refusal of it must last. */
  verifiableUntil: number
  /** sha256 of the token, base64url: how a logged-out session's tokens are refused later. */
  digest: string
}

/** A verification's outcome: the claims, or a typed refusal. */
export type IdentityResult = { ok: true; claims: VerifiedClaims } | { ok: false; code: ErrorCode; args: unknown[] }

/** What one brand verifies against. */
export interface BrandIdentityKeys {
  brandId: string
  secrets: readonly IdentitySecretRecord[]
  settings: IdentitySettings
  /** The brand's JWKS URL as a key getter (jwks-cache.ts); absent when it has none. */
  remote?: JWTVerifyGetKey
}

/** sha256 of a token, base64url. */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('base64url')
}

/** Verifies `token` against the brand's keys at `now` (ms). */
export async function verifyIdentityToken(token: string, keys: BrandIdentityKeys, now: number): Promise<IdentityResult> {
  const { settings } = keys
  const hasPublic = (settings.publicKeys?.length ?? 0) > 0 || keys.remote !== undefined
  if (keys.secrets.length === 0 && !hasPublic) return refuse('PARLEY_ERR_IDENTITY_NOT_CONFIGURED')
  let header: { alg?: string | undefined; kid?: string | undefined }
  try {
    header = decodeProtectedHeader(token)
  } catch {
    return refuse('PARLEY_ERR_IDENTITY_INVALID')
  }
  const alg = typeof header.alg === 'string' ? header.alg : 'none'
  const options = {
    audience: settings.audience ?? keys.brandId,
    ...(settings.issuer !== undefined ? { issuer: settings.issuer } : {}),
    clockTolerance: settings.clockSkewSeconds ?? IDENTITY_CLOCK_SKEW_SECONDS,
    maxTokenAge: settings.maxAgeSeconds ?? IDENTITY_MAX_AGE_SECONDS,
    requiredClaims: ['sub', 'exp', 'iat'],
    currentDate: new Date(now),
  }
  let payload: JWTPayload
  try {
    if (alg === 'HS256' && keys.secrets.length > 0) {
      payload = await verifyWithSecrets(token, keys.secrets, header.kid, options)
    } else if ((ASYMMETRIC as readonly string[]).includes(alg) && hasPublic) {
      payload = (await jwtVerify(token, publicKeyGetter(settings, keys.remote), { ...options, algorithms: [...ASYMMETRIC] })).payload
    } else {
      return refuse('PARLEY_ERR_IDENTITY_ALGORITHM', alg.slice(0, 16))
    }
  } catch (err) {
    return refusalOf(err)
  }
  return checkedClaims(token, payload, settings.maxAgeSeconds ?? IDENTITY_MAX_AGE_SECONDS, options.clockTolerance)
}

type VerifyOptions = Parameters<typeof jwtVerify>[2]

/** Tries the secret the token names by `kid`, or each of the brand's (at most two). */
async function verifyWithSecrets(token: string, secrets: readonly IdentitySecretRecord[], kid: string | undefined, options: VerifyOptions): Promise<JWTPayload> {
  const candidates = kid !== undefined ? secrets.filter((s) => s.secretId === kid) : secrets
  if (candidates.length === 0) throw new errors.JWSSignatureVerificationFailed()
  let last: unknown
  for (const s of candidates) {
    try {
      return (await jwtVerify(token, Buffer.from(s.secret, 'base64url'), { ...options, algorithms: ['HS256'] })).payload
    } catch (err) {
      // Only a signature mismatch means "maybe the other secret": a bad claim under a good signature is the answer.
      if (!(err instanceof errors.JWSSignatureVerificationFailed)) throw err
      last = err
    }
  }
  throw last
}

/** The brand's uploaded keys first; its JWKS URL for a kid they do not hold. */
function publicKeyGetter(settings: IdentitySettings, remote: JWTVerifyGetKey | undefined): JWTVerifyGetKey {
  const uploaded = (settings.publicKeys?.length ?? 0) > 0 ? createLocalJWKSet({ keys: settings.publicKeys as JWK[] }) : undefined
  return async (header, input) => {
    if (uploaded) {
      try {
        return await uploaded(header, input)
      } catch (err) {
        if (!remote || !(err instanceof errors.JWKSNoMatchingKey)) throw err
      }
    }
    try {
      return await remote!(header, input)
    } catch (err) {
      // No matching kid is the token's fault; anything else (refused, timed out, not JSON) is the key set's.
      if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) throw err
      throw new KeysUnavailable()
    }
  }
}

/** The brand's JWKS URL could not be read. */
class KeysUnavailable extends Error {}

function checkedClaims(token: string, payload: JWTPayload, maxAgeSeconds: number, skewSeconds: number): IdentityResult {
  const { sub, exp, iat, name, email } = payload as JWTPayload & { name?: unknown; email?: unknown }
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 256) return refuse('PARLEY_ERR_IDENTITY_CLAIM', 'sub')
  // A long-lived token is a standing credential, whatever its iat says now.
  if (typeof exp !== 'number' || typeof iat !== 'number' || exp - iat > maxAgeSeconds) return refuse('PARLEY_ERR_IDENTITY_CLAIM', 'exp')
  if (name !== undefined && (typeof name !== 'string' || name.length > 256)) return refuse('PARLEY_ERR_IDENTITY_CLAIM', 'name')
  if (email !== undefined && (typeof email !== 'string' || email.length > 254)) return refuse('PARLEY_ERR_IDENTITY_CLAIM', 'email')
  return {
    ok: true,
    claims: { customerId: sub, name: name ?? null, email: email ?? null, expiresAt: exp * 1000, verifiableUntil: (exp + skewSeconds) * 1000, digest: tokenDigest(token) },
  }
}

/** jose's error, as the table's code. */
function refusalOf(err: unknown): IdentityResult {
  if (err instanceof errors.JWTExpired) return refuse('PARLEY_ERR_IDENTITY_EXPIRED')
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'nbf' || (err.claim === 'iat' && err.reason === 'check_failed')) return refuse('PARLEY_ERR_IDENTITY_NOT_YET_VALID')
    return refuse('PARLEY_ERR_IDENTITY_CLAIM', err.claim.slice(0, 32))
  }
  if (err instanceof errors.JOSEAlgNotAllowed) return refuse('PARLEY_ERR_IDENTITY_ALGORITHM', 'this')
  if (err instanceof KeysUnavailable) return refuse('PARLEY_ERR_IDENTITY_KEYS_UNAVAILABLE')
  // Malformed, a signature that does not verify, no key with its kid: all one answer to the page.
  return refuse('PARLEY_ERR_IDENTITY_INVALID')
}

function refuse(code: ErrorCode, ...args: unknown[]): IdentityResult {
  return { ok: false, code, args }
}
