import { describe, expect, it } from 'vitest'
import { createTokenSigner } from '../../../../server/src/auth/tokens.js'
import { createFakeClock } from '../../../helpers/fake-clock.js'
import { forgeToken } from '../../../helpers/forge-token.js'

const SECRET = Buffer.from('0123456789abcdef0123456789abcdef')
const T0 = Date.UTC(2030, 0, 1)
const fakeClock = () => createFakeClock(T0)

/** A raw base64url segment (not necessarily JSON). */
const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url')

/** A token with any header and payload, signed correctly with SECRET (to test what is checked besides the MAC). */
const forge = (header: Record<string, unknown>, claims: unknown) => forgeToken({ header, claims: claims as Record<string, unknown>, secret: SECRET })

describe('createTokenSigner', () => {
  it('verifies a token it signed and returns its claims', () => {
    const clock = fakeClock()
    const signer = createTokenSigner(SECRET, clock.now)
    const { token, expiresAt } = signer.sign({ sub: 'v_1', brand: 'b_1', kind: 'visitor' }, 3600)
    expect(signer.verify(token)).toEqual({
      ok: true, claims: { sub: 'v_1', brand: 'b_1', kind: 'visitor', iat: T0 / 1000, exp: T0 / 1000 + 3600 },
    })
    expect(expiresAt).toBe(T0 + 3600_000)
  })

  it('refuses a token whose payload was changed after signing', () => {
    const signer = createTokenSigner(SECRET, fakeClock().now)
    const [h, , s] = signer.sign({ sub: 'v_1', brand: 'b_1', kind: 'visitor' }, 60).token.split('.')
    const p = b64({ sub: 'a_admin', brand: 'b_1', kind: 'agent', iat: T0 / 1000, exp: T0 / 1000 + 60 })
    expect(signer.verify(`${h}.${p}.${s}`)).toEqual({ ok: false, code: 'PARLEY_ERR_AUTH_TOKEN_INVALID' })
  })

  it('refuses a token whose signature was changed', () => {
    const signer = createTokenSigner(SECRET, fakeClock().now)
    const [h, p, s] = signer.sign({ sub: 'v_1', brand: 'b_1', kind: 'visitor' }, 60).token.split('.') as [string, string, string]
    // The first character carries six whole bits of the MAC (the last one carries padding bits too).
    const flipped = `${h}.${p}.${s[0] === 'A' ? 'B' : 'A'}${s.slice(1)}`
    expect(signer.verify(flipped)).toEqual({ ok: false, code: 'PARLEY_ERR_AUTH_TOKEN_INVALID' })
  })

  it('refuses a token with a character outside base64url in its signature', () => {
    const signer = createTokenSigner(SECRET, fakeClock().now)
    const token = signer.sign({ sub: 'v_1', brand: 'b_1', kind: 'visitor' }, 60).token
    expect(signer.verify(`${token}!`)).toEqual({ ok: false, code: 'PARLEY_ERR_AUTH_TOKEN_INVALID' })
  })

  it('refuses a second spelling of the same signature (unused low bits of the last character set)', () => {
    const signer = createTokenSigner(SECRET, fakeClock().now)
    const token = signer.sign({ sub: 'v_1', brand: 'b_1', kind: 'visitor' }, 60).token
    // 43 characters carry 258 bits for a 256-bit MAC: the last character's two low bits are padding.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const twin = token.slice(0, -1) + alphabet[alphabet.indexOf(token.at(-1)!) ^ 1]
    expect(Buffer.from(twin.split('.')[2]!, 'base64url')).toEqual(Buffer.from(token.split('.')[2]!, 'base64url'))
    expect(signer.verify(twin)).toEqual({ ok: false, code: 'PARLEY_ERR_AUTH_TOKEN_INVALID' })
  })

  it('refuses a token signed with another secret', () => {
    const clock = fakeClock()
    const other = createTokenSigner(Buffer.from('another-secret-another-secret-32'), clock.now)
    const token = other.sign({ sub: 'v_1', brand: 'b_1', kind: 'visitor' }, 60).token
    expect(createTokenSigner(SECRET, clock.now).verify(token)).toEqual({ ok: false, code: 'PARLEY_ERR_AUTH_TOKEN_INVALID' })
  })

  it('refuses alg none, even with no signature at all', () => {
    const signer = createTokenSigner(SECRET, fakeClock().now)
    const claims = { sub: 'v_1', brand: 'b_1', kind: 'visitor', iat: T0 / 1000, exp: T0 / 1000 + 60 }
    expect(signer.verify(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`)).toEqual({ ok: false, code: 'PARLEY_ERR_AUTH_TOKEN_INVALID' })
  })

  it.each(['none', 'HS512', 'RS256', 'hs256'])('refuses a header naming alg %s even when the HMAC is right', (alg) => {
    const signer = createTokenSigner(SECRET, fakeClock().now)
    const claims = { sub: 'v_1', brand: 'b_1', kind: 'visitor', iat: T0 / 1000, exp: T0 / 1000 + 60 }
    expect(signer.verify(forge({ alg, typ: 'JWT' }, claims))).toEqual({ ok: false, code: 'PARLEY_ERR_AUTH_TOKEN_INVALID' })
  })

  it('accepts a well-formed token built outside the signer (so the refusals above are about alg)', () => {
    const signer = createTokenSigner(SECRET, fakeClock().now)
    const claims = { sub: 'v_1', brand: 'b_1', kind: 'visitor', iat: T0 / 1000, exp: T0 / 1000 + 60 }
    expect(signer.verify(forge({ alg: 'HS256', typ: 'JWT' }, claims))).toEqual({ ok: true, claims })
  })

  it.each([
    ['a kind other than visitor or agent', { sub: 'x', brand: 'b', kind: 'admin', iat: 1, exp: 9e9 }],
    ['no sub', { brand: 'b', kind: 'visitor', iat: 1, exp: 9e9 }],
    ['a numeric brand', { sub: 'x', brand: 7, kind: 'visitor', iat: 1, exp: 9e9 }],
    ['no exp', { sub: 'x', brand: 'b', kind: 'visitor', iat: 1 }],
    ['exp as a string', { sub: 'x', brand: 'b', kind: 'visitor', iat: 1, exp: '9999999999' }],
    ['an array payload', ['x']],
    ['a payload that is a JSON string', 'not an object'],
  ])('refuses a correctly signed token with %s', (_what, payload) => {
    const signer = createTokenSigner(SECRET, fakeClock().now)
    expect(signer.verify(forge({ alg: 'HS256', typ: 'JWT' }, payload))).toEqual({ ok: false, code: 'PARLEY_ERR_AUTH_TOKEN_INVALID' })
  })

  it.each([
    ['an empty string', ''],
    ['two parts', 'a.b'],
    ['four parts', 'a.b.c.d'],
    ['a header that is not JSON', `${b64('{')}.${b64({})}.x`],
    ['over 4096 characters', 'a'.repeat(4097)],
  ])('refuses %s', (_what, token) => {
    expect(createTokenSigner(SECRET, fakeClock().now).verify(token)).toEqual({ ok: false, code: 'PARLEY_ERR_AUTH_TOKEN_INVALID' })
  })

  it('accepts a token until the second before it expires', () => {
    const clock = fakeClock()
    const signer = createTokenSigner(SECRET, clock.now)
    const { token } = signer.sign({ sub: 'a_1', brand: 'b_1', kind: 'agent' }, 60)
    clock.advance(59_999)
    expect(signer.verify(token).ok).toBe(true)
  })

  it('refuses a token from the moment it expires with PARLEY_ERR_AUTH_TOKEN_EXPIRED', () => {
    const clock = fakeClock()
    const signer = createTokenSigner(SECRET, clock.now)
    const { token } = signer.sign({ sub: 'a_1', brand: 'b_1', kind: 'agent' }, 60)
    clock.advance(60_000)
    expect(signer.verify(token)).toEqual({ ok: false, code: 'PARLEY_ERR_AUTH_TOKEN_EXPIRED' })
  })

  it('refuses an expired token as invalid, not expired, when its signature is wrong', () => {
    const clock = fakeClock()
    const { token } = createTokenSigner(Buffer.from('another-secret-another-secret-32'), clock.now).sign({ sub: 'a_1', brand: 'b_1', kind: 'agent' }, 60)
    clock.advance(3600_000)
    expect(createTokenSigner(SECRET, clock.now).verify(token)).toEqual({ ok: false, code: 'PARLEY_ERR_AUTH_TOKEN_INVALID' })
  })

  it('throws when the secret is shorter than 32 bytes', () => {
    expect(() => createTokenSigner(Buffer.alloc(31, 1), Date.now)).toThrow(/at least 32 bytes/)
  })

  it('accepts a secret of exactly 32 bytes', () => {
    expect(() => createTokenSigner(Buffer.alloc(32, 1), Date.now)).not.toThrow()
  })
})
