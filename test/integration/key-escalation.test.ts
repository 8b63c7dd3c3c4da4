import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALL_SCOPES, type CreatedApiKey, type Scope } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'
import { scopesOfRole } from '../../server/src/admin/api-keys.js'

// A key can never make itself stronger: not by naming an account to a role whose powers it lacks
// (then signing in as it and minting a key with every scope), nor by revoking or rotating a key
// wider than itself. Each refusal is PARLEY_ERR_AUTH_SCOPE, changes nothing and is audited.

describe('a key reaching beyond its scopes', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  async function keyWith(brand: TestBrand, scopes: readonly Scope[]): Promise<CreatedApiKey> {
    const res = await callRest(relay, { method: 'POST', url: '/v1/keys', token: brand.apiKey, body: { name: 'narrow', scopes } })
    expect(res.status, res.raw).toBe(201)
    return res.body as CreatedApiKey
  }
  const newAgent = (role?: string) => ({ email: `${Math.random().toString(36).slice(2)}@agents.example`, name: 'Eve', password: 'correct horse battery', ...(role ? { role } : {}) })
  const denials = async (brand: TestBrand) =>
    (await relay.deps.store.listAudit(brand.brandId, { limit: 50 })).filter((e) => e.action === 'access.denied')

  it('derives a role\'s scopes from the actions it allows: admin needs them all', () => {
    expect([...scopesOfRole('admin')].sort()).toEqual([...ALL_SCOPES].sort())
    expect([...scopesOfRole('agent')].sort()).toEqual(['config:read', 'transcripts:read'])
    expect(scopesOfRole('supervisor')).toEqual(expect.arrayContaining(['reports:read', 'transcripts:read']))
    expect(scopesOfRole('supervisor')).not.toContain('keys:write')
  })

  it('refuses an agents:write key creating an admin with PARLEY_ERR_AUTH_SCOPE, creates nothing and audits it', async () => {
    const brand = await createTestBrand(relay)
    const k = await keyWith(brand, ['agents:write'])
    const body = newAgent('admin')
    expectErrorBody(await callRest(relay, { method: 'POST', url: '/v1/agents', token: k.secret, body }), 'PARLEY_ERR_AUTH_SCOPE')
    expect(await relay.deps.store.getAgentByEmail(brand.brandId, body.email)).toBeNull()
    const [denied] = await denials(brand)
    expect(denied).toMatchObject({ actor: { kind: 'key', id: k.key.keyId }, outcome: 'denied', code: 'PARLEY_ERR_AUTH_SCOPE', detail: { action: 'accounts.manage' } })
  })

  it('refuses an agents:write key promoting an agent to admin, and leaves the role as it was', async () => {
    const brand = await createTestBrand(relay)
    const k = await keyWith(brand, ['agents:write', 'config:read', 'transcripts:read'])
    const created = await callRest(relay, { method: 'POST', url: '/v1/agents', token: k.secret, body: newAgent() })
    expect(created.status, created.raw).toBe(201)
    const agentId = created.body.agentId as string
    const res = await callRest(relay, { method: 'PATCH', url: `/v1/agents/${agentId}`, token: k.secret, body: { role: 'admin', name: 'Mallory' } })
    expectErrorBody(res, 'PARLEY_ERR_AUTH_SCOPE')
    expect(await relay.deps.store.getAgent(brand.brandId, agentId)).toMatchObject({ role: 'agent', name: 'Eve' })
    expect((await denials(brand)).map((e) => [e.code, e.resource?.id])).toEqual([['PARLEY_ERR_AUTH_SCOPE', agentId]])
  })

  it('lets a key holding every scope a role needs name that role (the bootstrap key names admins)', async () => {
    const brand = await createTestBrand(relay)
    const res = await callRest(relay, { method: 'POST', url: '/v1/agents', token: brand.apiKey, body: newAgent('admin') })
    expect(res.status, res.raw).toBe(201)
    expect(res.body.role).toBe('admin')
    const k = await keyWith(brand, ['agents:write', ...scopesOfRole('supervisor')])
    const sup = await callRest(relay, { method: 'POST', url: '/v1/agents', token: k.secret, body: newAgent('supervisor') })
    expect(sup.status, sup.raw).toBe(201)
  })

  it('refuses a keys:write key revoking or rotating a wider key, and audits both', async () => {
    const brand = await createTestBrand(relay)
    const k = await keyWith(brand, ['keys:write'])
    const bootstrap = (await relay.deps.store.listApiKeys(brand.brandId)).find((x) => x.createdBy === 'cli')!
    expectErrorBody(await callRest(relay, { method: 'DELETE', url: `/v1/keys/${bootstrap.keyId}`, token: k.secret }), 'PARLEY_ERR_AUTH_SCOPE')
    expectErrorBody(await callRest(relay, { method: 'POST', url: `/v1/keys/${bootstrap.keyId}/rotate`, token: k.secret, body: {} }), 'PARLEY_ERR_AUTH_SCOPE')
    expect(await relay.deps.store.getApiKey(brand.brandId, bootstrap.keyId)).toMatchObject({ revokedAt: null, expiresAt: null })
    expect((await callRest(relay, { url: '/v1/keys', token: brand.apiKey })).status).toBe(200)
    expect((await denials(brand)).map((e) => [e.code, e.resource?.id])).toEqual([
      ['PARLEY_ERR_AUTH_SCOPE', bootstrap.keyId], ['PARLEY_ERR_AUTH_SCOPE', bootstrap.keyId],
    ])
  })

  it('lets a key revoke a key no wider than itself, and an admin agent revoke any key', async () => {
    const brand = await createTestBrand(relay)
    const k = await keyWith(brand, ['keys:write', 'reports:read'])
    const narrower = await keyWith(brand, ['reports:read'])
    expect((await callRest(relay, { method: 'DELETE', url: `/v1/keys/${narrower.key.keyId}`, token: k.secret })).status).toBe(204)
    const admin = await createTestAgent(relay, brand.brandId, 'Admin', 'admin')
    const wide = await keyWith(brand, ALL_SCOPES)
    expect((await callRest(relay, { method: 'DELETE', url: `/v1/keys/${wide.key.keyId}`, token: admin.token })).status).toBe(204)
  })
})
