import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createHmac, randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SignJWT, exportJWK, exportSPKI, generateKeyPair, createRemoteJWKSet, type JWK } from 'jose'
import { verifyIdentityToken, type BrandIdentityKeys } from '../../../../server/src/identity/verify-identity.js'
import type { IdentitySecretRecord } from '../../../../server/src/store/store.js'

// The verifier with real jose keys and tokens: each refusal has its code, and only signed claims come out.

const NOW = 1_800_000_000_000
const nowS = NOW / 1000
const BRAND = 'b_brand'

function secret(secretId: string): IdentitySecretRecord {
  return { brandId: BRAND, secretId, secret: randomBytes(32).toString('base64url'), createdAt: NOW }
}

function hs(s: IdentitySecretRecord, claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({ sub: 'cust-1', aud: BRAND, iat: nowS, exp: nowS + 300, name: 'Ada', email: 'ada@example.com', ...claims })
    .setProtectedHeader({ alg: 'HS256', ...header })
    .sign(Buffer.from(s.secret, 'base64url'))
}

/** A compact JWT put together by hand (for what jose refuses to sign). */
function rawToken(header: object, payload: object, sign: (input: string) => string): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
  const input = `${enc(header)}.${enc(payload)}`
  return `${input}.${sign(input)}`
}

const claims = { sub: 'cust-1', aud: BRAND, iat: nowS, exp: nowS + 300 }

describe('verifyIdentityToken', () => {
  const a = secret('is_a')
  const b = secret('is_b')
  const keys: BrandIdentityKeys = { brandId: BRAND, secrets: [a, b], settings: {} }

  it('accepts a token signed with either secret, by kid or without, and returns only signed claims', async () => {
    for (const token of [await hs(a), await hs(b), await hs(b, {}, { kid: 'is_b' })]) {
      const r = await verifyIdentityToken(token, keys, NOW)
      expect(r).toMatchObject({ ok: true, claims: { customerId: 'cust-1', name: 'Ada', email: 'ada@example.com', expiresAt: (nowS + 300) * 1000 } })
    }
    const r = await verifyIdentityToken(await hs(a, { verified: true, role: 'admin' }), keys, NOW)
    expect(r.ok && Object.keys(r.claims).sort()).toEqual(['customerId', 'digest', 'email', 'expiresAt', 'name', 'verifiableUntil'])
  })

  const refusals: [string, BrandIdentityKeys, () => Promise<string>, string][] = [
    ['no keys at all', { ...keys, secrets: [] }, () => hs(a), 'PARLEY_ERR_IDENTITY_NOT_CONFIGURED'],
    ['garbage', keys, async () => 'not.a.jwt', 'PARLEY_ERR_IDENTITY_INVALID'],
    ['alg none', keys, async () => rawToken({ alg: 'none' }, claims, () => ''), 'PARLEY_ERR_IDENTITY_ALGORITHM'],
    ['HS384', keys, async () => rawToken({ alg: 'HS384' }, claims, (i) => createHmac('sha384', Buffer.from(a.secret, 'base64url')).update(i).digest('base64url')), 'PARLEY_ERR_IDENTITY_ALGORITHM'],
    ['another brand\'s secret', keys, () => hs(secret('is_other')), 'PARLEY_ERR_IDENTITY_INVALID'],
    ['a kid the brand does not have', keys, () => hs(a, {}, { kid: 'is_gone' }), 'PARLEY_ERR_IDENTITY_INVALID'],
    ['expired', keys, () => hs(a, { exp: nowS - 120, iat: nowS - 400 }), 'PARLEY_ERR_IDENTITY_EXPIRED'],
    ['not yet valid (nbf)', keys, () => hs(a, { nbf: nowS + 120 }), 'PARLEY_ERR_IDENTITY_NOT_YET_VALID'],
    ['issued in the future', keys, () => hs(a, { iat: nowS + 120, exp: nowS + 400 }), 'PARLEY_ERR_IDENTITY_NOT_YET_VALID'],
    ['issued too long ago', keys, () => hs(a, { iat: nowS - 700, exp: nowS + 100 }), 'PARLEY_ERR_IDENTITY_EXPIRED'],
    ['living longer than maxAge', keys, () => hs(a, { exp: nowS + 3600 }), 'PARLEY_ERR_IDENTITY_CLAIM'],
    ['wrong audience', keys, () => hs(a, { aud: 'b_other' }), 'PARLEY_ERR_IDENTITY_CLAIM'],
    ['wrong issuer', { ...keys, settings: { issuer: 'https://shop.example' } }, () => hs(a, { iss: 'https://evil.example' }), 'PARLEY_ERR_IDENTITY_CLAIM'],
    ['missing sub', keys, async () => rawToken({ alg: 'HS256' }, { aud: BRAND, iat: nowS, exp: nowS + 60 }, (i) => createHmac('sha256', Buffer.from(a.secret, 'base64url')).update(i).digest('base64url')), 'PARLEY_ERR_IDENTITY_CLAIM'],
    ['a name that is not text', keys, () => hs(a, { name: { first: 'Ada' } }), 'PARLEY_ERR_IDENTITY_CLAIM'],
  ]
  it.each(refusals)('refuses %s', async (_name, k, token, code) => {
    const r = await verifyIdentityToken(await token(), k, NOW)
    expect(r).toMatchObject({ ok: false, code })
  })

  it('tolerates the configured clock skew and audience', async () => {
    const k: BrandIdentityKeys = { ...keys, settings: { audience: 'shop', clockSkewSeconds: 0, maxAgeSeconds: 60 } }
    expect((await verifyIdentityToken(await hs(a, { aud: 'shop', exp: nowS + 60 }), k, NOW)).ok).toBe(true)
    expect(await verifyIdentityToken(await hs(a, { aud: 'shop', iat: nowS + 1, exp: nowS + 60 }), k, NOW)).toMatchObject({ code: 'PARLEY_ERR_IDENTITY_NOT_YET_VALID' })
    expect(await verifyIdentityToken(await hs(a), k, NOW)).toMatchObject({ code: 'PARLEY_ERR_IDENTITY_CLAIM' })
  })

  describe('public keys', () => {
    let es: Awaited<ReturnType<typeof generateKeyPair>>
    let rs: Awaited<ReturnType<typeof generateKeyPair>>
    let esJwk: JWK
    let rsJwk: JWK
    let server: Server
    let jwksUrl: string
    let served: JWK[] = []
    beforeAll(async () => {
      es = await generateKeyPair('ES256')
      rs = await generateKeyPair('RS256')
      esJwk = { ...(await exportJWK(es.publicKey)), kid: 'es-1', alg: 'ES256' }
      rsJwk = { ...(await exportJWK(rs.publicKey)), kid: 'rs-1', alg: 'RS256' }
      served = [esJwk, rsJwk]
      server = createServer((_req, res) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ keys: served })) })
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
      jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`
    })
    afterAll(async () => { await new Promise((r) => server.close(r)) })

    const signed = (alg: 'ES256' | 'RS256', kid: string, key: CryptoKey, extra: Record<string, unknown> = {}) =>
      new SignJWT({ ...extra }).setProtectedHeader({ alg, kid }).setSubject('cust-9').setAudience(BRAND).setIssuedAt(nowS).setExpirationTime(nowS + 300).sign(key)

    it('verifies ES256 and RS256 against uploaded keys', async () => {
      const k: BrandIdentityKeys = { brandId: BRAND, secrets: [], settings: { publicKeys: [esJwk, rsJwk] as Record<string, unknown>[] } }
      expect(await verifyIdentityToken(await signed('ES256', 'es-1', es.privateKey), k, NOW)).toMatchObject({ ok: true, claims: { customerId: 'cust-9' } })
      expect(await verifyIdentityToken(await signed('RS256', 'rs-1', rs.privateKey), k, NOW)).toMatchObject({ ok: true })
      // An HS256 token can never meet a public key, whatever it was signed with.
      expect(await verifyIdentityToken(await hs(a), k, NOW)).toMatchObject({ code: 'PARLEY_ERR_IDENTITY_ALGORITHM' })
    })

    it('refuses HS/RS confusion: an HS256 token keyed with the RSA public key', async () => {
      const pem = await exportSPKI(rs.publicKey)
      const forged = rawToken({ alg: 'HS256', kid: 'rs-1' }, claims, (i) => createHmac('sha256', pem).update(i).digest('base64url'))
      const forgedNoKid = rawToken({ alg: 'HS256' }, claims, (i) => createHmac('sha256', pem).update(i).digest('base64url'))
      const pub: BrandIdentityKeys = { brandId: BRAND, secrets: [], settings: { publicKeys: [rsJwk] as Record<string, unknown>[] } }
      expect(await verifyIdentityToken(forged, pub, NOW)).toMatchObject({ ok: false, code: 'PARLEY_ERR_IDENTITY_ALGORITHM' })
      const both: BrandIdentityKeys = { ...pub, secrets: [a] }
      expect(await verifyIdentityToken(forgedNoKid, both, NOW)).toMatchObject({ ok: false, code: 'PARLEY_ERR_IDENTITY_INVALID' })
    })

    it('verifies against a JWKS URL, and says when the key set cannot be fetched', async () => {
      const remote = createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: 2000 })
      const k: BrandIdentityKeys = { brandId: BRAND, secrets: [], settings: { jwksUrl }, remote }
      expect(await verifyIdentityToken(await signed('ES256', 'es-1', es.privateKey), k, NOW)).toMatchObject({ ok: true })
      expect(await verifyIdentityToken(await signed('RS256', 'rs-1', rs.privateKey), k, NOW)).toMatchObject({ ok: true })
      const other = await generateKeyPair('ES256')
      expect(await verifyIdentityToken(await signed('ES256', 'es-1', other.privateKey), k, NOW)).toMatchObject({ code: 'PARLEY_ERR_IDENTITY_INVALID' })
      const dead: BrandIdentityKeys = { ...k, remote: createRemoteJWKSet(new URL('http://127.0.0.1:1/jwks.json'), { timeoutDuration: 2000 }) }
      expect(await verifyIdentityToken(await signed('ES256', 'es-1', es.privateKey), dead, NOW)).toMatchObject({ code: 'PARLEY_ERR_IDENTITY_KEYS_UNAVAILABLE' })
    })
  })
})
