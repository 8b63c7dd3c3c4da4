import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Value } from '@sinclair/typebox/value'
import { ALL_SCOPES, ApiKeyList, CreatedApiKey, type Scope } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'
import { createFakeClock } from '../helpers/fake-clock.js'
import { until } from '../helpers/until.js'
import { hashApiKey } from '../../server/src/auth/api-keys.js'

// The brand's API keys over REST: the secret is shown once and stored hashed, scopes are enforced,
// a revoked or expired key is refused at once, rotation keeps two keys working for the grace period,
// and the bootstrap key from `parley brand create` has every scope.

const clock = createFakeClock(Date.UTC(2026, 5, 1))

/**
 * A route that needs each scope, with a valid body where it takes one (the policy answers after
 * validation). data:export and data:erase guard issue 19's routes, not there yet.
 */
const ROUTE_OF_SCOPE: Partial<Record<Scope, { method: 'GET' | 'PATCH'; url: string; body?: unknown }>> = {
  'config:read': { method: 'GET', url: '/v1/agents' },
  'config:write': { method: 'PATCH', url: '/v1/brand', body: { name: 'Renamed by a scoped key' } },
  'transcripts:read': { method: 'GET', url: '/v1/conversations' },
  'reports:read': { method: 'GET', url: '/v1/supervisor' },
  'agents:write': { method: 'GET', url: '/v1/accounts' },
  'keys:write': { method: 'GET', url: '/v1/keys' },
  'audit:read': { method: 'GET', url: '/v1/audit' },
  'webhooks:write': { method: 'GET', url: '/v1/webhooks' },
}

describe('API keys', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay({ clock }) })
  afterAll(async () => { await relay.close() })

  async function createKey(brand: TestBrand, body: Record<string, unknown>, token = brand.apiKey) {
    return callRest(relay, { method: 'POST', url: '/v1/keys', token, body })
  }
  async function keyWith(brand: TestBrand, scopes: Scope[], extra: Record<string, unknown> = {}): Promise<CreatedApiKey> {
    const res = await createKey(brand, { name: `key ${scopes.join(' ')}`, scopes, ...extra })
    expect(res.status, res.raw).toBe(201)
    return res.body as CreatedApiKey
  }
  const list = async (brand: TestBrand) => (await callRest(relay, { url: '/v1/keys', token: brand.apiKey })).body as ApiKeyList

  it('shows the secret once at creation and lists the key without it', async () => {
    const brand = await createTestBrand(relay)
    const created = await keyWith(brand, ['transcripts:read', 'reports:read'])
    expect(Value.Check(CreatedApiKey, created)).toBe(true)
    expect(created.secret).toMatch(/^sk_/)
    expect(created.key).toMatchObject({ name: 'key transcripts:read reports:read', scopes: ['transcripts:read', 'reports:read'], lastUsedAt: null, revokedAt: null, expiresAt: null })
    expect(created.secret.startsWith(created.key.prefix)).toBe(true)
    const res = await callRest(relay, { url: '/v1/keys', token: brand.apiKey })
    expect(Value.Check(ApiKeyList, res.body)).toBe(true)
    expect(res.body.keys.find((k: { keyId: string }) => k.keyId === created.key.keyId)).toEqual(created.key)
    expect(res.raw).not.toContain(created.secret)
    expect(res.raw).not.toContain(created.secret.slice(created.key.prefix.length))
  })

  it('gives the bootstrap key from brand creation every scope', async () => {
    const brand = await createTestBrand(relay)
    const { keys } = await list(brand)
    expect(keys).toHaveLength(1)
    expect([...keys[0]!.scopes].sort()).toEqual([...ALL_SCOPES].sort())
    expect(keys[0]!.createdBy).toBe('cli')
    expect(brand.apiKey.startsWith(keys[0]!.prefix)).toBe(true)
  })

  it.each(Object.entries(ROUTE_OF_SCOPE))('refuses a key without %s on a route that needs it with PARLEY_ERR_AUTH_SCOPE', async (scope, route) => {
    const brand = await createTestBrand(relay)
    const others = ALL_SCOPES.filter((s) => s !== scope)
    const without = await keyWith(brand, others)
    expectErrorBody(await callRest(relay, { ...route!, token: without.secret }), 'PARLEY_ERR_AUTH_SCOPE')
    const only = await keyWith(brand, [scope as Scope])
    const allowed = await callRest(relay, { ...route!, token: only.secret })
    expect(allowed.status, allowed.raw).toBeLessThan(400)
  })

  it('refuses creating a key with a scope its creating key lacks, and creates nothing', async () => {
    const brand = await createTestBrand(relay)
    const manager = await keyWith(brand, ['keys:write', 'reports:read'])
    const ids = async () => (await list(brand)).keys.map((k) => k.keyId)
    const before = await ids()
    expectErrorBody(await createKey(brand, { name: 'wider', scopes: ['reports:read', 'transcripts:read'] }, manager.secret), 'PARLEY_ERR_AUTH_SCOPE')
    expect(await ids()).toEqual(before)
    const narrower = await createKey(brand, { name: 'narrower', scopes: ['reports:read'] }, manager.secret)
    expect(narrower.status).toBe(201)
    expect(narrower.body.key.createdBy).toBe(`key:${manager.key.keyId}`)
  })

  it('audits a key refused for granting scopes it lacks as access.denied with PARLEY_ERR_AUTH_SCOPE', async () => {
    const brand = await createTestBrand(relay)
    const narrow = await keyWith(brand, ['keys:write'])
    expectErrorBody(await createKey(brand, { name: 'wider', scopes: ['audit:read'] }, narrow.secret), 'PARLEY_ERR_AUTH_SCOPE')
    const entries = await relay.deps.store.listAudit(brand.brandId, { limit: 50 })
    expect(entries.filter((e) => e.action === 'access.denied')).toEqual([expect.objectContaining({
      actor: { kind: 'key', id: narrow.key.keyId }, outcome: 'denied', code: 'PARLEY_ERR_AUTH_SCOPE', detail: expect.objectContaining({ action: 'keys.manage' }),
    })])
  })

  it('refuses a key rotating a key with scopes it lacks (no wider secret by rotation)', async () => {
    const brand = await createTestBrand(relay)
    const manager = await keyWith(brand, ['keys:write'])
    const bootstrap = (await list(brand)).keys.find((k) => k.createdBy === 'cli')!
    const res = await callRest(relay, { method: 'POST', url: `/v1/keys/${bootstrap.keyId}/rotate`, token: manager.secret, body: {} })
    expectErrorBody(res, 'PARLEY_ERR_AUTH_SCOPE')
    expect((await callRest(relay, { url: '/v1/keys', token: brand.apiKey })).status).toBe(200)
  })

  it('lets an admin agent grant any scope, and refuses a supervisor with PARLEY_ERR_AUTH_ROLE', async () => {
    const brand = await createTestBrand(relay)
    const admin = await createTestAgent(relay, brand.brandId, 'Admin', 'admin')
    const made = await createKey(brand, { name: 'from the console', scopes: [...ALL_SCOPES] }, admin.token)
    expect(made.status, made.raw).toBe(201)
    expect(made.body.key.createdBy).toBe(`agent:${admin.agentId}`)
    const supervisor = await createTestAgent(relay, brand.brandId, 'Sup', 'supervisor')
    expectErrorBody(await createKey(brand, { name: 'x', scopes: ['reports:read'] }, supervisor.token), 'PARLEY_ERR_AUTH_ROLE')
  })

  it('refuses an expiry that is not in the future, and a blank name, with PARLEY_ERR_REQUEST_INVALID', async () => {
    const brand = await createTestBrand(relay)
    const before = await list(brand)
    expectErrorBody(await createKey(brand, { name: 'past', scopes: ['reports:read'], expiresAt: clock.now() }), 'PARLEY_ERR_REQUEST_INVALID')
    expectErrorBody(await createKey(brand, { name: '   ', scopes: ['reports:read'] }), 'PARLEY_ERR_REQUEST_INVALID')
    expectErrorBody(await createKey(brand, { name: 'dupes', scopes: ['reports:read', 'reports:read'] }), 'PARLEY_ERR_REQUEST_INVALID')
    expectErrorBody(await createKey(brand, { name: 'unknown', scopes: ['everything'] }), 'PARLEY_ERR_REQUEST_INVALID')
    expect(await list(brand)).toEqual(before)
  })

  it('refuses a revoked key at once with PARLEY_ERR_AUTH_KEY_REVOKED, the caller\'s own key too', async () => {
    const brand = await createTestBrand(relay)
    const k = await keyWith(brand, ['keys:write'])
    expect((await callRest(relay, { url: '/v1/keys', token: k.secret })).status).toBe(200)
    const res = await callRest(relay, { method: 'DELETE', url: `/v1/keys/${k.key.keyId}`, token: k.secret })
    expect(res.status).toBe(204)
    expectErrorBody(await callRest(relay, { url: '/v1/keys', token: k.secret }), 'PARLEY_ERR_AUTH_KEY_REVOKED')
    const listed = (await list(brand)).keys.find((x) => x.keyId === k.key.keyId)!
    expect(listed.revokedAt).toBe(clock.now())
  })

  it('refuses a revoked key on a node whose clock runs behind the one that revoked it', async () => {
    const brand = await createTestBrand(relay)
    const k = await keyWith(brand, ['reports:read'])
    expect((await callRest(relay, { method: 'DELETE', url: `/v1/keys/${k.key.keyId}`, token: brand.apiKey })).status).toBe(204)
    const revokedAt = clock.now()
    clock.set(revokedAt - 60_000)
    try {
      expectErrorBody(await callRest(relay, { url: '/v1/supervisor', token: k.secret }), 'PARLEY_ERR_AUTH_KEY_REVOKED')
    } finally {
      clock.set(revokedAt)
    }
  })

  it('answers PARLEY_ERR_KEY_NOT_FOUND for an unknown key, and for another brand\'s', async () => {
    const brand = await createTestBrand(relay)
    const other = await createTestBrand(relay)
    const theirs = await keyWith(other, ['reports:read'])
    for (const keyId of ['k_nope', theirs.key.keyId]) {
      expectErrorBody(await callRest(relay, { method: 'DELETE', url: `/v1/keys/${keyId}`, token: brand.apiKey }), 'PARLEY_ERR_KEY_NOT_FOUND')
      expectErrorBody(await callRest(relay, { method: 'POST', url: `/v1/keys/${keyId}/rotate`, token: brand.apiKey, body: {} }), 'PARLEY_ERR_KEY_NOT_FOUND')
    }
    expect((await callRest(relay, { url: '/v1/supervisor', token: theirs.secret })).status).toBe(200)
  })

  it('refuses an expired key with PARLEY_ERR_AUTH_KEY_EXPIRED', async () => {
    const brand = await createTestBrand(relay)
    const k = await keyWith(brand, ['reports:read'], { expiresAt: clock.now() + 60_000 })
    expect((await callRest(relay, { url: '/v1/supervisor', token: k.secret })).status).toBe(200)
    clock.advance(60_000)
    expectErrorBody(await callRest(relay, { url: '/v1/supervisor', token: k.secret }), 'PARLEY_ERR_AUTH_KEY_EXPIRED')
  })

  it('rotates with a grace period: both keys work during it, the old one is refused after', async () => {
    const brand = await createTestBrand(relay)
    const old = await keyWith(brand, ['reports:read', 'transcripts:read'])
    const res = await callRest(relay, { method: 'POST', url: `/v1/keys/${old.key.keyId}/rotate`, token: brand.apiKey, body: { graceSeconds: 120 } })
    expect(res.status, res.raw).toBe(201)
    const rotated = res.body as CreatedApiKey
    expect(rotated.key).toMatchObject({ name: old.key.name, scopes: old.key.scopes, expiresAt: null })
    expect(rotated.secret).not.toBe(old.secret)
    for (const secret of [old.secret, rotated.secret]) expect((await callRest(relay, { url: '/v1/supervisor', token: secret })).status).toBe(200)
    clock.advance(119_999)
    expect((await callRest(relay, { url: '/v1/supervisor', token: old.secret })).status).toBe(200)
    clock.advance(1)
    expectErrorBody(await callRest(relay, { url: '/v1/supervisor', token: old.secret }), 'PARLEY_ERR_AUTH_KEY_EXPIRED')
    expect((await callRest(relay, { url: '/v1/supervisor', token: rotated.secret })).status).toBe(200)
  })

  it('rotates with graceSeconds 0 by revoking the old key at once, and defaults to a day', async () => {
    const brand = await createTestBrand(relay)
    const now = await keyWith(brand, ['reports:read'])
    const res = await callRest(relay, { method: 'POST', url: `/v1/keys/${now.key.keyId}/rotate`, token: brand.apiKey, body: { graceSeconds: 0 } })
    expect(res.status).toBe(201)
    expectErrorBody(await callRest(relay, { url: '/v1/supervisor', token: now.secret }), 'PARLEY_ERR_AUTH_KEY_REVOKED')
    expectErrorBody(await callRest(relay, { method: 'POST', url: `/v1/keys/${now.key.keyId}/rotate`, token: brand.apiKey, body: {} }), 'PARLEY_ERR_KEY_ROTATED')

    const later = await keyWith(brand, ['reports:read'])
    expect((await callRest(relay, { method: 'POST', url: `/v1/keys/${later.key.keyId}/rotate`, token: brand.apiKey, body: {} })).status).toBe(201)
    const listed = (await list(brand)).keys.find((k) => k.keyId === later.key.keyId)!
    expect(listed.expiresAt).toBe(clock.now() + 86_400_000)
  })

  it('refuses rotating a key again in its grace with 409 PARLEY_ERR_KEY_ROTATED, and makes no second key', async () => {
    const brand = await createTestBrand(relay)
    const expiresAt = clock.now() + 30 * 86_400_000
    const old = await keyWith(brand, ['reports:read'], { expiresAt })
    const rotate = () => callRest(relay, { method: 'POST', url: `/v1/keys/${old.key.keyId}/rotate`, token: brand.apiKey, body: { graceSeconds: 600 } })
    const first = await rotate()
    expect(first.status, first.raw).toBe(201)
    const successor = (first.body as CreatedApiKey).key
    expect(successor).toMatchObject({ expiresAt, replacedBy: null })
    const again = await rotate()
    expect(again.status).toBe(409)
    expectErrorBody(again, 'PARLEY_ERR_KEY_ROTATED')
    const keys = (await list(brand)).keys
    expect(keys.filter((k) => k.name === old.key.name)).toHaveLength(2)
    expect(keys.find((k) => k.keyId === old.key.keyId)).toMatchObject({ replacedBy: successor.keyId, expiresAt: clock.now() + 600_000 })
    // The successor rotates on, with the original term.
    const next = await callRest(relay, { method: 'POST', url: `/v1/keys/${successor.keyId}/rotate`, token: brand.apiKey, body: {} })
    expect(next.status, next.raw).toBe(201)
    expect((next.body as CreatedApiKey).key.expiresAt).toBe(expiresAt)
  })

  it('lets only one of two rotations at once go through: the other is refused with PARLEY_ERR_KEY_ROTATED', async () => {
    const brand = await createTestBrand(relay)
    const old = await keyWith(brand, ['reports:read'])
    const rotate = () => callRest(relay, { method: 'POST', url: `/v1/keys/${old.key.keyId}/rotate`, token: brand.apiKey, body: {} })
    const answers = await Promise.all([rotate(), rotate()])
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409])
    expect((await list(brand)).keys.filter((k) => k.name === old.key.name)).toHaveLength(2)
  })

  it('moves lastUsedAt forward at most once a minute', async () => {
    const brand = await createTestBrand(relay)
    const k = await keyWith(brand, ['reports:read'])
    const lastUsed = async () => (await list(brand)).keys.find((x) => x.keyId === k.key.keyId)!.lastUsedAt
    const first = clock.now()
    await callRest(relay, { url: '/v1/supervisor', token: k.secret })
    await until(async () => (await lastUsed()) === first, 'first use recorded')
    clock.advance(59_999)
    await callRest(relay, { url: '/v1/supervisor', token: k.secret })
    // A later use that did move it would be seen by the next read; give the write its chance first.
    const marker = await keyWith(brand, ['reports:read'])
    await callRest(relay, { url: '/v1/supervisor', token: marker.secret })
    await until(async () => (await list(brand)).keys.find((x) => x.keyId === marker.key.keyId)!.lastUsedAt !== null, 'marker use recorded')
    expect(await lastUsed()).toBe(first)
    clock.advance(1)
    await callRest(relay, { url: '/v1/supervisor', token: k.secret })
    await until(async () => (await lastUsed()) === first + 60_000, 'use a minute later recorded')
  })

  it('answers a repeat revoke with 204 and changes nothing: the first time stands, one audit entry', async () => {
    const brand = await createTestBrand(relay)
    const k = await keyWith(brand, ['reports:read'])
    const revoke = () => callRest(relay, { method: 'DELETE', url: `/v1/keys/${k.key.keyId}`, token: brand.apiKey })
    expect((await revoke()).status).toBe(204)
    const first = clock.now()
    clock.advance(5_000)
    expect((await revoke()).status).toBe(204)
    expect((await list(brand)).keys.find((x) => x.keyId === k.key.keyId)!.revokedAt).toBe(first)
    const entries = await relay.deps.store.listAudit(brand.brandId, { limit: 50 })
    expect(entries.filter((e) => e.action === 'key.revoke')).toHaveLength(1)
  })

  it('audits create, rotate and revoke with the name and scope names, never the secret', async () => {
    const brand = await createTestBrand(relay)
    const k = await keyWith(brand, ['reports:read', 'audit:read'])
    const rotated = (await callRest(relay, { method: 'POST', url: `/v1/keys/${k.key.keyId}/rotate`, token: brand.apiKey, body: { graceSeconds: 0 } })).body as CreatedApiKey
    expect((await callRest(relay, { method: 'DELETE', url: `/v1/keys/${rotated.key.keyId}`, token: brand.apiKey })).status).toBe(204)
    const entries = await relay.deps.store.listAudit(brand.brandId, { limit: 50 })
    const keyEntries = entries.filter((e) => e.action.startsWith('key.'))
    expect(keyEntries.map((e) => [e.action, e.resource?.id]).reverse()).toEqual([
      ['key.create', k.key.keyId], ['key.rotate', k.key.keyId], ['key.revoke', rotated.key.keyId],
    ])
    for (const e of keyEntries) expect(e.detail).toMatchObject({ name: k.key.name, scopes: 'reports:read,audit:read' })
    const text = JSON.stringify(entries)
    for (const secret of [k.secret, rotated.secret, brand.apiKey]) expect(text).not.toContain(secret)
  })
})

describe('API key logging', () => {
  it('logs key ids and scope counts, never a secret or its hash', async () => {
    const lines: string[] = []
    const relay = await startRelay({ logStream: { write: (l) => { lines.push(l) } }, logLevel: 'debug' })
    try {
      const brand = await createTestBrand(relay)
      const created = (await callRest(relay, { method: 'POST', url: '/v1/keys', token: brand.apiKey, body: { name: 'logged', scopes: ['reports:read'] } })).body as CreatedApiKey
      await callRest(relay, { url: '/v1/supervisor', token: created.secret })
      const rotated = (await callRest(relay, { method: 'POST', url: `/v1/keys/${created.key.keyId}/rotate`, token: brand.apiKey, body: { graceSeconds: 0 } })).body as CreatedApiKey
      await callRest(relay, { url: '/v1/keys', token: created.secret })
      await callRest(relay, { method: 'DELETE', url: `/v1/keys/${rotated.key.keyId}`, token: brand.apiKey })
      const log = lines.join('')
      expect(log).toContain(created.key.keyId)
      for (const secret of [brand.apiKey, created.secret, rotated.secret]) {
        expect(log).not.toContain(secret)
        expect(log).not.toContain(hashApiKey(secret))
      }
    } finally {
      await relay.close()
    }
  })
})
