import { describe, expect, it } from 'vitest'
import { exportJWK, generateKeyPair } from 'jose'
import { checkIdentitySettings } from '../../../../server/src/identity/identity-settings-check.js'

describe('checkIdentitySettings', () => {
  it('accepts public ES256 and RS256 keys and an https JWKS URL; local http only when private key URLs are allowed', async () => {
    const es = await exportJWK((await generateKeyPair('ES256', { extractable: true })).publicKey)
    const rs = await exportJWK((await generateKeyPair('RS256', { extractable: true })).publicKey)
    expect(await checkIdentitySettings({ publicKeys: [es, { ...rs, alg: 'RS256', kid: 'r1' }], jwksUrl: 'https://shop.example/.well-known/jwks.json' })).toBeNull()
    expect(await checkIdentitySettings({ jwksUrl: 'https://203.0.113.7/jwks' })).toBeNull()
    expect(await checkIdentitySettings({ jwksUrl: 'http://localhost:8080/jwks' }, true)).toBeNull()
    expect(await checkIdentitySettings({ jwksUrl: 'http://127.0.0.1:8080/jwks' }, true)).toBeNull()
    expect(await checkIdentitySettings({ jwksUrl: 'https://10.1.2.3/jwks' }, true)).toBeNull()
  })

  it('refuses http, and loopback, private, link-local and unspecified address literals, unless allowed', async () => {
    for (const jwksUrl of ['http://localhost:8080/jwks', 'http://127.0.0.1:8080/jwks', 'https://localhost/jwks', 'https://127.0.0.1/jwks',
      'https://[::1]/jwks', 'https://10.0.0.5/jwks', 'https://172.16.3.4/jwks', 'https://172.31.255.255/jwks', 'https://192.168.1.1/jwks',
      'https://169.254.169.254/latest', 'https://[fe80::1]/jwks', 'https://[fd12::1]/jwks', 'https://0.0.0.0/jwks', 'https://[::]/jwks',
      'https://[::ffff:127.0.0.1]/jwks', 'https://[::ffff:169.254.169.254]/jwks', 'https://2130706433/jwks', 'https://0x7f.1/jwks']) {
      expect((await checkIdentitySettings({ jwksUrl }))?.field, jwksUrl).toBe('identity.jwksUrl')
    }
    expect(await checkIdentitySettings({ jwksUrl: 'https://172.32.0.1/jwks' })).toBeNull()
  })

  it('refuses a private key, a wrong algorithm or curve, junk, and a plain-http or credentialed URL', async () => {
    const pair = await generateKeyPair('ES256', { extractable: true })
    const priv = await exportJWK(pair.privateKey)
    const pub = await exportJWK(pair.publicKey)
    const p384 = await exportJWK((await generateKeyPair('ES384', { extractable: true })).publicKey)
    const cases: [object, string][] = [
      [{ publicKeys: [priv] }, 'identity.publicKeys[0]'],
      [{ publicKeys: [pub, { kty: 'oct', k: 'c2VjcmV0' }] }, 'identity.publicKeys[1]'],
      [{ publicKeys: [{ ...pub, alg: 'RS256' }] }, 'identity.publicKeys[0]'],
      [{ publicKeys: [p384] }, 'identity.publicKeys[0]'],
      [{ publicKeys: [{ kty: 'EC', crv: 'P-256', x: 'nope', y: 'nope' }] }, 'identity.publicKeys[0]'],
      [{ jwksUrl: 'http://shop.example/jwks' }, 'identity.jwksUrl'],
      [{ jwksUrl: 'https://user:pw@shop.example/jwks' }, 'identity.jwksUrl'],
    ]
    for (const [settings, field] of cases) expect((await checkIdentitySettings(settings))?.field, JSON.stringify(settings).slice(0, 80)).toBe(field)
    expect((await checkIdentitySettings({ publicKeys: [priv] }))?.reason).not.toContain(String(priv.d))
  })
})
