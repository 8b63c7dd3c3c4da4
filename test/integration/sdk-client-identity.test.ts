import { describe, expect, it } from 'vitest'
import { ConflictError, InvalidRequestError, NotFoundError, Parley, PermissionError } from '@parley/sdk'
import { exportJWK, generateKeyPair } from 'jose'
import { createTestAgent } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { rejection, sdkRelay } from '../helpers/sdk-relay.js'

// parley.identity.secrets and the identity part of parley.security against a real relay: what they
// return, their typed errors, who may call them, and what the audit log keeps (never a secret).

describe('parley.identity', () => {
  const s = sdkRelay()

  it('creates at most two secrets, lists them without the secret, deletes one, and audits each change', async () => {
    const a = await s.parley.identity.secrets.create()
    expect(a.secretId).toMatch(/^is_/)
    expect(Buffer.from(a.secret, 'base64url')).toHaveLength(32)
    const b = await s.parley.identity.secrets.create()
    const third = await rejection(s.parley.identity.secrets.create())
    expect(third).toBeInstanceOf(ConflictError)
    expect(third.code).toBe('PARLEY_ERR_IDENTITY_SECRET_LIMIT')
    const listed = await s.parley.identity.secrets.list()
    expect(listed).toEqual([{ secretId: a.secretId, createdAt: a.createdAt }, { secretId: b.secretId, createdAt: b.createdAt }])
    await s.parley.identity.secrets.delete(a.secretId)
    const gone = await rejection(s.parley.identity.secrets.delete(a.secretId))
    expect(gone).toBeInstanceOf(NotFoundError)
    expect(gone.code).toBe('PARLEY_ERR_IDENTITY_SECRET_NOT_FOUND')
    expect((await s.parley.identity.secrets.list()).map((x) => x.secretId)).toEqual([b.secretId])

    const audit = await callRest(s.relay, { url: '/v1/audit?action=identity.change', token: s.brand.apiKey })
    expect(audit.status, audit.raw).toBe(200)
    expect(audit.body.entries.map((e: { detail: { which: string } }) => e.detail.which).sort()).toEqual(['secret.create', 'secret.create', 'secret.delete'])
    expect(audit.raw).not.toContain(a.secret)
    expect(audit.raw).not.toContain(b.secret)
  })

  it('is for admins: a supervisor is refused', async () => {
    const sup = await createTestAgent(s.relay, s.brand.brandId, 'Sam', 'supervisor')
    const res = await callRest(s.relay, { method: 'POST', url: '/v1/identity/secrets', token: sup.token })
    expect(res.status, res.raw).toBe(403)
    expect(res.body.code).toBe('PARLEY_ERR_AUTH_ROLE')
    const narrow = await s.parley.keys.create({ name: 'reports only', scopes: ['reports:read'] })
    const e = await rejection(new Parley({ relay: s.relay.url, apiKey: narrow.secret, maxRetries: 0 }).identity.secrets.list())
    expect(e).toBeInstanceOf(PermissionError)
    expect(e.code).toBe('PARLEY_ERR_AUTH_SCOPE')
  })

  it('saves public keys through parley.security.update and refuses a private one, changing nothing', async () => {
    const pair = await generateKeyPair('ES256', { extractable: true })
    const pub = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' }
    const saved = await s.parley.security.update({ identity: { publicKeys: [pub], audience: 'shop.example', maxAgeSeconds: 300 } })
    expect(saved.identity).toMatchObject({ audience: 'shop.example', maxAgeSeconds: 300 })
    const priv = await exportJWK(pair.privateKey)
    for (const identity of [{ publicKeys: [priv] }, { jwksUrl: 'http://shop.example/jwks.json' }]) {
      const e = await rejection(s.parley.security.update({ identity }))
      expect(e).toBeInstanceOf(InvalidRequestError)
      expect(e.code).toBe('PARLEY_ERR_IDENTITY_KEY_INVALID')
      expect(e.message).not.toContain(String(priv.d))
    }
    expect((await s.parley.security.get()).identity).toEqual(saved.identity)
  })
})
