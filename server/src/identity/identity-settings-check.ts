import { importJWK, type JWK } from 'jose'
import type { IdentitySettings } from '@parley/sdk/contract'
import { isPrivateHost } from '../net/private-address.js'

// The identity part of a brand's security settings, checked before it is saved (PUT /v1/security
// calls this; the schema already bounded the shapes). An uploaded key must be a public ES256 or
// RS256 key jose can import: a JWK carrying a private part (`d`, or an RSA factor) is refused, so a
// brand that pasted the wrong half learns it now rather than by leaking it into our database. A
// JWKS URL is https to a name or a public address; http, and loopback, private or link-local
// address literals, only when the operator allows private key URLs (development, tests). Names are
// resolved and checked again at fetch time (key-set-fetch.ts).

/** Algorithms a public key may be for. */
const KEY_ALGORITHMS: Record<string, string> = { EC: 'ES256', RSA: 'RS256' }
/** Members of a JWK that only a private key has. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']

/** What is wrong with the settings: which field, and why (no key material in it). */
export type IdentitySettingsProblem = { field: string; reason: string }

/** Null when `settings` may be saved, else the first problem; `allowPrivate` admits http and private addresses. */
export async function checkIdentitySettings(settings: IdentitySettings, allowPrivate = false): Promise<IdentitySettingsProblem | null> {
  if (settings.jwksUrl !== undefined) {
    const problem = checkJwksUrl(settings.jwksUrl, allowPrivate)
    if (problem) return { field: 'identity.jwksUrl', reason: problem }
  }
  for (const [i, key] of (settings.publicKeys ?? []).entries()) {
    const problem = await checkPublicKey(key)
    if (problem) return { field: `identity.publicKeys[${i}]`, reason: problem }
  }
  return null
}

function checkJwksUrl(raw: string, allowPrivate: boolean): string | null {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return 'not a URL'
  }
  if (url.username || url.password) return 'must not carry credentials'
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) return 'must be https'
  return !allowPrivate && isPrivateHost(url.hostname) ? 'must not name a loopback, private or link-local address' : null
}

async function checkPublicKey(key: Record<string, unknown>): Promise<string | null> {
  if (PRIVATE_MEMBERS.some((m) => m in key)) return 'has a private part: upload the public key only'
  const alg = typeof key.kty === 'string' ? KEY_ALGORITHMS[key.kty] : undefined
  if (!alg) return 'kty must be EC (ES256) or RSA (RS256)'
  if (key.alg !== undefined && key.alg !== alg) return `alg must be ${alg} for a ${String(key.kty)} key`
  if (key.kty === 'EC' && key.crv !== 'P-256') return 'an ES256 key is on curve P-256'
  if (key.use !== undefined && key.use !== 'sig') return 'use must be sig'
  try {
    await importJWK(key as JWK, alg)
  } catch {
    return 'does not parse as a public JWK'
  }
  return null
}
