import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ALL_SCOPES } from '@parley/sdk/contract'
import type { ApiKeyRecord, SessionRecord, Store } from '../../../../server/src/store/store.js'
import { STORES, type OpenedStore } from '../../../helpers/stores.js'

// The access methods of every store (issue 18): roles and deactivation that always keep an active
// admin, agent sessions, a brand's API keys (found by hash across brands, revoked and expired ones
// too), the append-only audit log, the security document, identity secrets, verified customers and
// refused token ids.

const T = 1_000_000
const id = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`

describe.each(STORES)('access on the $name store', (factory) => {
  let opened: OpenedStore
  let store: Store
  let brand = ''
  let keyHash = ''
  beforeAll(async () => { opened = await factory.create(); store = opened.store })
  afterAll(async () => { await opened.dispose() })
  beforeEach(async () => {
    brand = id('b_')
    keyHash = id('hash_')
    await store.createBrand({ brandId: brand, name: 'B', siteKey: id('s_'), allowedOrigins: [], apiKeyHash: keyHash, createdAt: T })
  })
  const agent = (agentId: string, role?: 'agent' | 'supervisor' | 'admin', brandId = brand) =>
    store.createAgent({ brandId, agentId, email: `${agentId}@x.example`, name: agentId, passwordHash: 'x', createdAt: T, ...(role ? { role } : {}) })
  const session = (sessionId: string, agentId: string, fields: Partial<SessionRecord> = {}): SessionRecord => ({
    brandId: brand, sessionId, agentId, createdAt: T, lastSeenAt: T, expiresAt: T + 1000, revokedAt: null, address: '192.0.2.0', userAgent: 'UA',
    ...fields,
  })
  const key = (keyId: string, fields: Partial<ApiKeyRecord> = {}): ApiKeyRecord => ({
    brandId: brand, keyId, name: keyId, scopes: ['transcripts:read'], keyHash: id('kh_'), prefix: 'sk_ab', createdAt: T + 1,
    lastUsedAt: null, expiresAt: null, revokedAt: null, createdBy: 'agent:adm', ...fields,
  })

  describe('roles', () => {
    it('stores a new account as role agent unless given, active', async () => {
      expect(await agent('plain')).toMatchObject({ role: 'agent', active: true })
      await agent('boss', 'admin')
      expect(await store.getAgent(brand, 'plain')).toMatchObject({ role: 'agent', active: true })
      expect(await store.getAgent(brand, 'boss')).toMatchObject({ role: 'admin', active: true })
      expect((await store.listAgents(brand, 10)).map((a) => [a.agentId, a.role])).toEqual([['boss', 'admin'], ['plain', 'agent']])
    })

    it('keeps role and activity through updateAgent', async () => {
      await agent('sup', 'supervisor')
      expect(await store.updateAgent(brand, 'sup', { name: 'Renamed' })).toMatchObject({ name: 'Renamed', role: 'supervisor', active: true })
    })

    it('changes a role and answers the account', async () => {
      await agent('a1')
      const r = await store.setAgentAccess(brand, 'a1', { role: 'supervisor' }, T)
      expect(r).toMatchObject({ ok: true, agent: { agentId: 'a1', role: 'supervisor', active: true }, revokedSessions: [] })
      expect((await store.getAgent(brand, 'a1'))?.role).toBe('supervisor')
    })

    it('refuses an unknown account with PARLEY_ERR_AGENT_NOT_FOUND', async () => {
      await agent('other', 'admin', (await makeOtherBrand()))
      expect(await store.setAgentAccess(brand, 'other', { role: 'agent' }, T)).toEqual({ ok: false, code: 'PARLEY_ERR_AGENT_NOT_FOUND' })
    })

    it('refuses to demote the last active admin with PARLEY_ERR_AUTH_LAST_ADMIN and changes nothing', async () => {
      await agent('adm', 'admin')
      await agent('sup', 'supervisor')
      expect(await store.setAgentAccess(brand, 'adm', { role: 'supervisor' }, T)).toEqual({ ok: false, code: 'PARLEY_ERR_AUTH_LAST_ADMIN' })
      expect(await store.getAgent(brand, 'adm')).toMatchObject({ role: 'admin', active: true })
    })

    it('refuses to deactivate the last active admin, and leaves its sessions working', async () => {
      await agent('adm', 'admin')
      await store.createSession(session('s1', 'adm'))
      expect(await store.setAgentAccess(brand, 'adm', { active: false }, T)).toEqual({ ok: false, code: 'PARLEY_ERR_AUTH_LAST_ADMIN' })
      expect((await store.getSession(brand, 's1'))?.revokedAt).toBeNull()
    })

    it('counts only active admins: an inactive admin does not keep the brand administered', async () => {
      await agent('a1', 'admin')
      await agent('a2', 'admin')
      expect((await store.setAgentAccess(brand, 'a2', { active: false }, T)).ok).toBe(true)
      expect(await store.setAgentAccess(brand, 'a1', { role: 'agent' }, T)).toEqual({ ok: false, code: 'PARLEY_ERR_AUTH_LAST_ADMIN' })
      // Reactivating a2 lets a1 step down.
      expect((await store.setAgentAccess(brand, 'a2', { active: true }, T)).ok).toBe(true)
      expect(await store.setAgentAccess(brand, 'a1', { role: 'agent' }, T)).toMatchObject({ ok: true, agent: { role: 'agent' } })
    })

    it("does not count another brand's admins", async () => {
      const other = await makeOtherBrand()
      await agent('adm', 'admin', other)
      await agent('adm', 'admin')
      expect(await store.setAgentAccess(brand, 'adm', { role: 'agent' }, T)).toEqual({ ok: false, code: 'PARLEY_ERR_AUTH_LAST_ADMIN' })
    })

    it('lets an admin step down when another active admin remains, and lets two demotions at once leave one admin', async () => {
      await agent('a1', 'admin')
      await agent('a2', 'admin')
      const both = await Promise.all([
        store.setAgentAccess(brand, 'a1', { role: 'agent' }, T), store.setAgentAccess(brand, 'a2', { role: 'agent' }, T),
      ])
      expect(both.filter((r) => r.ok)).toHaveLength(1)
      expect(both.filter((r) => !r.ok)).toEqual([{ ok: false, code: 'PARLEY_ERR_AUTH_LAST_ADMIN' }])
      const roles = (await store.listAgents(brand, 10)).map((a) => a.role).sort()
      expect(roles).toEqual(['admin', 'agent'])
    })

    it("deactivating revokes the account's working sessions in the same change and answers their ids", async () => {
      await agent('adm', 'admin')
      await agent('a1')
      await store.createSession(session('s1', 'a1'))
      await store.createSession(session('s2', 'a1', { createdAt: T + 1 }))
      await store.createSession(session('old', 'a1', { expiresAt: T + 10 }))
      await store.createSession(session('gone', 'a1', { revokedAt: T + 5 }))
      await store.createSession(session('adm1', 'adm'))
      const r = await store.setAgentAccess(brand, 'a1', { active: false }, T + 50)
      expect(r).toMatchObject({ ok: true, agent: { active: false } })
      expect(r.ok && [...r.revokedSessions].sort()).toEqual(['s1', 's2'])
      expect((await store.getSession(brand, 's1'))?.revokedAt).toBe(T + 50)
      expect((await store.getSession(brand, 'gone'))?.revokedAt).toBe(T + 5)
      expect((await store.getSession(brand, 'old'))?.revokedAt).toBeNull()
      expect((await store.getSession(brand, 'adm1'))?.revokedAt).toBeNull()
      expect(await store.getAgent(brand, 'a1')).toMatchObject({ active: false })
    })
  })

  describe('sessions', () => {
    it('stores a session and reads it back whole', async () => {
      await store.createSession(session('s1', 'a1'))
      expect(await store.getSession(brand, 's1')).toEqual(session('s1', 'a1'))
      expect(await store.getSession(await makeOtherBrand(), 's1')).toBeNull()
    })

    it('moves lastSeenAt forward, never back', async () => {
      await store.createSession(session('s1', 'a1'))
      await store.touchSession(brand, 's1', T + 20)
      await store.touchSession(brand, 's1', T + 10)
      expect((await store.getSession(brand, 's1'))?.lastSeenAt).toBe(T + 20)
    })

    it('lists working sessions newest first, leaving out revoked and expired ones; one agent when asked', async () => {
      await store.createSession(session('s1', 'a1', { createdAt: T }))
      await store.createSession(session('s2', 'a2', { createdAt: T + 2 }))
      await store.createSession(session('s3', 'a1', { createdAt: T + 1 }))
      await store.createSession(session('expired', 'a1', { expiresAt: T + 100 }))
      await store.createSession(session('revoked', 'a1', { revokedAt: T + 1 }))
      expect((await store.listSessions(brand, { activeAt: T + 100 })).map((s) => s.sessionId)).toEqual(['s2', 's3', 's1'])
      expect((await store.listSessions(brand, { agentId: 'a1', activeAt: T + 100 })).map((s) => s.sessionId)).toEqual(['s3', 's1'])
      expect(await store.listSessions(await makeOtherBrand(), { activeAt: T })).toEqual([])
    })

    it('revokes one session, keeping the first revokedAt; null for a session of another brand', async () => {
      await store.createSession(session('s1', 'a1'))
      expect(await store.revokeSession(await makeOtherBrand(), 's1', T + 1)).toBeNull()
      expect((await store.revokeSession(brand, 's1', T + 5))?.revokedAt).toBe(T + 5)
      expect((await store.revokeSession(brand, 's1', T + 9))?.revokedAt).toBe(T + 5)
      expect(await store.revokeSession(brand, 'nope', T)).toBeNull()
    })

    it("revokes every working session of one agent and answers the ids it revoked now", async () => {
      await store.createSession(session('s1', 'a1'))
      await store.createSession(session('s2', 'a1'))
      await store.createSession(session('done', 'a1', { revokedAt: T }))
      await store.createSession(session('b1', 'a2'))
      expect([...await store.revokeAgentSessions(brand, 'a1', T + 3)].sort()).toEqual(['s1', 's2'])
      expect(await store.revokeAgentSessions(brand, 'a1', T + 4)).toEqual([])
      expect((await store.getSession(brand, 'b1'))?.revokedAt).toBeNull()
    })
  })

  describe('API keys', () => {
    it("makes the brand's key its bootstrap key with every scope", async () => {
      const k = await store.findApiKey(keyHash)
      expect(k).toMatchObject({ brandId: brand, name: 'bootstrap', keyHash, createdBy: 'cli', createdAt: T, revokedAt: null, expiresAt: null, lastUsedAt: null })
      expect([...k!.scopes].sort()).toEqual([...ALL_SCOPES].sort())
      expect(k!.keyId).toMatch(/^k_/)
      expect(await store.getApiKey(brand, k!.keyId)).toEqual(k)
    })

    it('stores a key with its own prefix when the brand names one', async () => {
      const b = id('b_')
      const h = id('hash_')
      await store.createBrand({ brandId: b, name: 'B', siteKey: id('s_'), allowedOrigins: [], apiKeyHash: h, apiKeyPrefix: 'sk_abcd', createdAt: T })
      expect((await store.findApiKey(h))?.prefix).toBe('sk_abcd')
    })

    it('creates keys and lists them newest first, within the brand only', async () => {
      const a = key('k_a', { createdAt: T + 1 })
      const b = key('k_b', { createdAt: T + 2, scopes: ['reports:read', 'config:read'], expiresAt: T + 99 })
      await store.createApiKey(a)
      await store.createApiKey(b)
      const list = await store.listApiKeys(brand)
      expect(list.map((k) => k.keyId)).toEqual(['k_b', 'k_a', list[2]!.keyId])
      expect(list[0]).toEqual(b)
      expect(await store.getApiKey(brand, 'k_a')).toEqual(a)
    })

    it("finds a key by hash only as its own brand's, never another brand's", async () => {
      const other = await makeOtherBrand()
      const mine = key('k_same')
      const theirs = key('k_same', { brandId: other })
      await store.createApiKey(mine)
      await store.createApiKey(theirs)
      expect((await store.findApiKey(mine.keyHash))?.brandId).toBe(brand)
      expect((await store.findApiKey(theirs.keyHash))?.brandId).toBe(other)
      expect((await store.getApiKey(other, 'k_same'))?.keyHash).toBe(theirs.keyHash)
      expect(await store.getApiKey(other, (await store.findApiKey(keyHash))!.keyId)).toBeNull()
      expect(await store.findApiKey(id('unknown_'))).toBeNull()
    })

    it('still finds revoked and expired keys (the caller says why they are refused)', async () => {
      const revoked = key('k_r', { revokedAt: T + 1 })
      const expired = key('k_e', { expiresAt: T })
      await store.createApiKey(revoked)
      await store.createApiKey(expired)
      expect(await store.findApiKey(revoked.keyHash)).toEqual(revoked)
      expect(await store.findApiKey(expired.keyHash)).toEqual(expired)
    })

    it('updates expiry (to null too), keeps the first revocation and moves last use forward only', async () => {
      await store.createApiKey(key('k_1'))
      expect(await store.updateApiKey(brand, 'k_1', { expiresAt: T + 50 })).toMatchObject({ expiresAt: T + 50, revokedAt: null, lastUsedAt: null })
      expect(await store.updateApiKey(brand, 'k_1', { lastUsedAt: T + 7 })).toMatchObject({ expiresAt: T + 50, lastUsedAt: T + 7 })
      expect(await store.updateApiKey(brand, 'k_1', { lastUsedAt: T + 3 })).toMatchObject({ lastUsedAt: T + 7 })
      expect(await store.updateApiKey(brand, 'k_1', { expiresAt: null })).toMatchObject({ expiresAt: null, lastUsedAt: T + 7 })
      expect(await store.updateApiKey(brand, 'k_1', { revokedAt: T + 8 })).toMatchObject({ revokedAt: T + 8 })
      expect(await store.updateApiKey(brand, 'k_1', { revokedAt: T + 9 })).toMatchObject({ revokedAt: T + 8 })
    })

    it('answers null for a key the brand does not have', async () => {
      const other = await makeOtherBrand()
      await store.createApiKey(key('k_1'))
      expect(await store.updateApiKey(other, 'k_1', { revokedAt: T })).toBeNull()
      expect((await store.getApiKey(brand, 'k_1'))?.revokedAt).toBeNull()
    })
  })

  async function makeOtherBrand(): Promise<string> {
    const other = id('b_')
    await store.createBrand({ brandId: other, name: 'Other', siteKey: id('s_'), allowedOrigins: [], apiKeyHash: id('hash_'), createdAt: T })
    return other
  }
})
