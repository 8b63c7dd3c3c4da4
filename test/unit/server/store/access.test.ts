import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ALL_SCOPES } from '@parley/sdk/contract'
import type { ApiKeyRecord, AppendRequest, AuditRecord, SessionRecord, Store } from '../../../../server/src/store/store.js'
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
    lastUsedAt: null, expiresAt: null, revokedAt: null, createdBy: 'agent:adm', replacedBy: null, ...fields,
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
      expect(k).toMatchObject({ brandId: brand, name: 'bootstrap', keyHash, createdBy: 'cli', replacedBy: null, createdAt: T, revokedAt: null, expiresAt: null, lastUsedAt: null })
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

    it('names a successor once: a second replacedBy keeps the first, and the key reads back with it', async () => {
      await store.createApiKey(key('k_r'))
      expect((await store.getApiKey(brand, 'k_r'))!.replacedBy).toBeNull()
      expect(await store.updateApiKey(brand, 'k_r', { replacedBy: 'k_next' })).toMatchObject({ replacedBy: 'k_next', revokedAt: null })
      expect(await store.updateApiKey(brand, 'k_r', { replacedBy: 'k_other' })).toMatchObject({ replacedBy: 'k_next' })
      expect(await store.updateApiKey(brand, 'k_r', { lastUsedAt: T + 2 })).toMatchObject({ replacedBy: 'k_next' })
      expect((await store.listApiKeys(brand)).find((k) => k.keyId === 'k_r')!.replacedBy).toBe('k_next')
    })

    it('answers null for a key the brand does not have', async () => {
      const other = await makeOtherBrand()
      await store.createApiKey(key('k_1'))
      expect(await store.updateApiKey(other, 'k_1', { revokedAt: T })).toBeNull()
      expect((await store.getApiKey(brand, 'k_1'))?.revokedAt).toBeNull()
    })
  })

  describe('audit log', () => {
    const entry = (fields: Partial<AuditRecord> = {}): AuditRecord => ({
      brandId: brand, at: T, actor: { kind: 'agent', id: 'a1' }, action: 'conversation.read', resource: { type: 'conversation', id: 'c1' },
      outcome: 'ok', code: null, address: '192.0.2.0', detail: { seq: 3, messages: 'count', full: true }, ...fields,
    })
    const ids = (entries: { entryId: string }[]) => entries.map((e) => e.entryId)

    it('stores every field and reads entries back newest first, numbered increasing within the brand', async () => {
      const other = await makeOtherBrand()
      await store.appendAudit([entry({ at: T }), entry({ brandId: other, at: T + 1 }), entry({ at: T + 2, resource: null, outcome: 'denied', code: 'PARLEY_ERR_AUTH_ROLE', address: null, detail: {} })])
      await store.appendAudit([entry({ at: T + 3, actor: { kind: 'system', id: null }, action: 'retention.purge' })])
      const list = await store.listAudit(brand, { limit: 10 })
      expect(list).toHaveLength(3)
      expect(list.map((e) => e.at)).toEqual([T + 3, T + 2, T])
      const numbers = list.map((e) => BigInt(e.entryId))
      expect(numbers[0]! > numbers[1]! && numbers[1]! > numbers[2]!).toBe(true)
      const { brandId: _, ...first } = entry({ at: T })
      expect(list[2]).toEqual({ ...first, entryId: list[2]!.entryId })
      expect(list[1]).toMatchObject({ resource: null, outcome: 'denied', code: 'PARLEY_ERR_AUTH_ROLE', address: null, detail: {} })
      expect(list[0]).toMatchObject({ actor: { kind: 'system', id: null }, action: 'retention.purge' })
      expect(await store.listAudit(other, { limit: 10 })).toHaveLength(1)
    })

    it('pages with the before cursor (an entryId)', async () => {
      for (let i = 0; i < 5; i++) await store.appendAudit([entry({ at: T + i })])
      const first = await store.listAudit(brand, { limit: 2 })
      const second = await store.listAudit(brand, { limit: 2, before: first[1]!.entryId })
      const third = await store.listAudit(brand, { limit: 2, before: second[1]!.entryId })
      expect([...first, ...second, ...third].map((e) => e.at)).toEqual([T + 4, T + 3, T + 2, T + 1, T])
      expect(await store.listAudit(brand, { limit: 2, before: third[0]!.entryId })).toEqual([])
      expect(await store.listAudit(brand, { limit: 2, before: null })).toEqual(first)
    })

    it('filters by actor kind, actor id, action and time, all AND-ed', async () => {
      await store.appendAudit([
        entry({ at: T, actor: { kind: 'agent', id: 'a1' }, action: 'conversation.read' }),
        entry({ at: T + 1, actor: { kind: 'agent', id: 'a2' }, action: 'conversation.read' }),
        entry({ at: T + 2, actor: { kind: 'key', id: 'a1' }, action: 'conversation.search' }),
        entry({ at: T + 3, actor: { kind: 'agent', id: 'a1' }, action: 'conversation.search' }),
        entry({ at: T + 4, actor: { kind: 'anonymous', id: null }, action: 'session.sign_in_failed', outcome: 'failed' }),
      ])
      const ats = async (query: Omit<Parameters<Store['listAudit']>[1], 'limit'>) => (await store.listAudit(brand, { limit: 50, ...query })).map((e) => e.at - T)
      expect(await ats({ actorKind: 'agent' })).toEqual([3, 1, 0])
      expect(await ats({ actorId: 'a1' })).toEqual([3, 2, 0])
      expect(await ats({ actorKind: 'agent', actorId: 'a1' })).toEqual([3, 0])
      expect(await ats({ action: 'conversation.search' })).toEqual([3, 2])
      expect(await ats({ actorKind: 'agent', actorId: 'a1', action: 'conversation.search' })).toEqual([3])
      expect(await ats({ from: T + 1, to: T + 4 })).toEqual([3, 2, 1])
      expect(await ats({ from: T + 1, to: T + 4, actorId: 'a1' })).toEqual([3, 2])
      expect(await ats({ actorKind: 'anonymous' })).toEqual([4])
      const page = await store.listAudit(brand, { limit: 1, actorId: 'a1' })
      expect(await ats({ actorId: 'a1', before: page[0]!.entryId })).toEqual([2, 0])
    })

    it('purges only entries older than the time, at most the limit, of that brand only; numbers keep increasing', async () => {
      const other = await makeOtherBrand()
      await store.appendAudit([0, 1, 2, 3].map((i) => entry({ at: T + i })))
      await store.appendAudit([entry({ brandId: other, at: T })])
      expect(await store.purgeAudit(brand, T + 3, 2)).toBe(2)
      expect((await store.listAudit(brand, { limit: 10 })).map((e) => e.at)).toEqual([T + 3, T + 2])
      expect(await store.purgeAudit(brand, T + 3, 10)).toBe(1)
      expect(await store.purgeAudit(brand, T + 3, 10)).toBe(0)
      expect(await store.listAudit(other, { limit: 10 })).toHaveLength(1)
      const last = (await store.listAudit(brand, { limit: 1 }))[0]!
      expect(await store.purgeAudit(brand, T + 10, 10)).toBe(1)
      await store.appendAudit([entry({ at: T + 20 })])
      const next = (await store.listAudit(brand, { limit: 10 }))
      expect(next).toHaveLength(1)
      expect(BigInt(next[0]!.entryId) > BigInt(last.entryId)).toBe(true)
    })

    it('answers nothing for a cursor it never issued', async () => {
      await store.appendAudit([entry()])
      expect(await store.listAudit(brand, { limit: 10, before: 'not-a-cursor' })).toEqual([])
    })

    it('lists brand ids in order, a page at a time', async () => {
      const all = await store.listBrandIds(null, 100_000)
      expect(all).toContain(brand)
      expect([...all].sort()).toEqual(all)
      const i = all.indexOf(brand)
      expect(await store.listBrandIds(brand, 2)).toEqual(all.slice(i + 1, i + 3))
      expect(await store.listBrandIds(all[all.length - 1]!, 2)).toEqual([])
    })
  })

  describe('security settings', () => {
    it('has none until saved, then reads back what was saved, per brand', async () => {
      expect(await store.getSecurityConfig(brand)).toBeNull()
      const config = { addresses: 'none' as const, auditRetentionDays: 30, agentsSeeCustomerHistory: true, identity: { issuer: 'https://shop.example', maxAgeSeconds: 300 } }
      await store.setSecurityConfig(brand, config)
      expect(await store.getSecurityConfig(brand)).toEqual(config)
      await store.setSecurityConfig(brand, { addresses: 'full' })
      expect(await store.getSecurityConfig(brand)).toEqual({ addresses: 'full' })
      expect(await store.getSecurityConfig(await makeOtherBrand())).toBeNull()
    })
  })

  describe('identity secrets', () => {
    it('lists secrets oldest first, per brand, and deletes one (false when there is none)', async () => {
      const other = await makeOtherBrand()
      await store.addIdentitySecret({ brandId: brand, secretId: 'is_new', secret: 'c2VjcmV0Mg', createdAt: T + 5 })
      await store.addIdentitySecret({ brandId: brand, secretId: 'is_old', secret: 'c2VjcmV0MQ', createdAt: T })
      await store.addIdentitySecret({ brandId: other, secretId: 'is_old', secret: 'b3RoZXI', createdAt: T })
      expect(await store.listIdentitySecrets(brand)).toEqual([
        { brandId: brand, secretId: 'is_old', secret: 'c2VjcmV0MQ', createdAt: T },
        { brandId: brand, secretId: 'is_new', secret: 'c2VjcmV0Mg', createdAt: T + 5 },
      ])
      expect(await store.deleteIdentitySecret(brand, 'is_old')).toBe(true)
      expect(await store.deleteIdentitySecret(brand, 'is_old')).toBe(false)
      expect((await store.listIdentitySecrets(brand)).map((s) => s.secretId)).toEqual(['is_new'])
      expect(await store.listIdentitySecrets(other)).toEqual([{ brandId: other, secretId: 'is_old', secret: 'b3RoZXI', createdAt: T }])
    })
  })

  describe('verified customers', () => {
    const say = (convId: string, clientMsgId: string, from: AppendRequest['from'], at = T): AppendRequest => ({
      brandId: brand, convId, clientMsgId, from, text: `text of ${clientMsgId}`, at, context: null,
    })
    /** The customer's visitor when `customerId` is new (the relay passes a fresh id). */
    const cv = (customerId: string) => `cv-${customerId}`
    const link = (customerId: string, visitorId: string, convIds: string[] = [], at = T, claims: { name?: string; email?: string } = {}) =>
      store.linkCustomer({ brandId: brand, customerId, visitorId, newVisitorId: cv(customerId), convIds, name: claims.name ?? null, email: claims.email ?? null, at })
    const convsOf = async (visitorId: string) =>
      (await store.listParticipantConversations(brand, { kind: 'visitor', id: visitorId }, 50)).map((c) => c.convId).sort()

    it('makes a new customer stood for by a fresh visitor, not the browser\'s', async () => {
      const r = await link('cust-1', 'v1', [], T, { name: 'Ann', email: 'ann@shop.example' })
      const customer = { brandId: brand, customerId: 'cust-1', visitorId: cv('cust-1'), name: 'Ann', email: 'ann@shop.example', verifiedAt: T }
      expect(r).toEqual({ customer, moved: 0 })
      expect(await store.getCustomer(brand, 'cust-1')).toEqual(customer)
      expect(await store.getCustomerByVisitor(brand, cv('cust-1'))).toEqual(customer)
      expect(await store.getCustomer(await makeOtherBrand(), 'cust-1')).toBeNull()
      expect(await store.getCustomerByVisitor(brand, 'v1')).toBeNull()
    })

    it('moves only the named conversations: the browser\'s earlier chats stay with it', async () => {
      await store.appendMessages([say('old-1', 'o1', { kind: 'visitor', id: 'v1' }), say('old-2', 'o2', { kind: 'visitor', id: 'v1' }),
        say('current', 'c1', { kind: 'visitor', id: 'v1' }), say('someone-else', 's1', { kind: 'visitor', id: 'v9' })])
      const r = await link('cust-1', 'v1', ['current', 'someone-else', 'missing'])
      expect(r.moved).toBe(1)
      expect(await convsOf(cv('cust-1'))).toEqual(['current'])
      expect(await convsOf('v1')).toEqual(['old-1', 'old-2'])
      expect(await convsOf('v9')).toEqual(['someone-else'])
      expect((await store.readMessages(brand, 'current', 0, 10)).map((m) => m.from.id)).toEqual([cv('cust-1')])
    })

    it('takes the newest claims when the customer\'s visitor identifies again, moving nothing', async () => {
      await link('cust-1', 'v1', [], T, { name: 'Ann' })
      await store.appendMessages([say('c1', 'm1', { kind: 'visitor', id: cv('cust-1') })])
      const r = await link('cust-1', cv('cust-1'), ['c1'], T + 10, { email: 'ann@shop.example' })
      expect(r).toEqual({ customer: { brandId: brand, customerId: 'cust-1', visitorId: cv('cust-1'), name: null, email: 'ann@shop.example', verifiedAt: T + 10 }, moved: 0 })
      expect(await convsOf(cv('cust-1'))).toEqual(['c1'])
    })

    it("moves a second visitor's named conversations to the customer's visitor, who then reads and writes them as their own", async () => {
      const C = cv('cust-1')
      await store.createAgent({ brandId: brand, agentId: 'ag', email: 'ag@x.example', name: 'Ag', passwordHash: 'x', createdAt: T })
      await store.appendMessages([say('home', 'h1', { kind: 'visitor', id: 'v1' })])
      await link('cust-1', 'v1', ['home'])
      // The same customer on a second device, anonymous at first: two conversations, one with an agent.
      await store.appendMessages([say('phone-a', 'p1', { kind: 'visitor', id: 'v2' }), say('phone-b', 'q1', { kind: 'visitor', id: 'v2' })])
      await store.joinConversation(brand, 'phone-a', 'ag', T + 1)
      await store.appendMessages([say('phone-a', 'p2', { kind: 'agent', id: 'ag' }, T + 2), say('phone-a', 'p3', { kind: 'visitor', id: 'v2' }, T + 3)])
      expect(await store.markRead(brand, 'phone-a', { kind: 'visitor', id: 'v2' }, 2)).toBe(2)
      await store.recordVisit(brand, 'v2', null, T)

      const r = await link('cust-1', 'v2', ['phone-a', 'phone-b'], T + 5, { name: 'Ann' })
      expect(r).toMatchObject({ customer: { customerId: 'cust-1', visitorId: C, name: 'Ann', verifiedAt: T + 5 }, moved: 2 })

      expect(await convsOf(C)).toEqual(['home', 'phone-a', 'phone-b'])
      expect(await convsOf('v2')).toEqual([])
      expect((await store.getConversation(brand, 'phone-a'))?.visitorId).toBe(C)
      expect(await store.isParticipant(brand, 'phone-a', { kind: 'visitor', id: C })).toBe(true)
      expect(await store.isParticipant(brand, 'phone-a', { kind: 'visitor', id: 'v2' })).toBe(false)
      const messages = await store.readMessages(brand, 'phone-a', 0, 10)
      expect(messages.map((m) => [m.seq, m.from.kind, m.from.id, m.clientMsgId])).toEqual([
        [1, 'visitor', C, 'p1'], [2, 'agent', 'ag', 'p2'], [3, 'visitor', C, 'p3'],
      ])
      // The read position moved with the conversation.
      expect(await store.markRead(brand, 'phone-a', { kind: 'visitor', id: C }, 1)).toBe(2)
      // A resend of a moved message is the stored one, not a new one; the old visitor can no longer write.
      const [resent, written, refused] = await store.appendMessages([
        say('phone-a', 'p3', { kind: 'visitor', id: C }, T + 9), say('phone-a', 'p4', { kind: 'visitor', id: C }, T + 10),
        say('phone-a', 'p5', { kind: 'visitor', id: 'v2' }, T + 11),
      ])
      expect(resent).toMatchObject({ ok: true, duplicate: true, message: { seq: 3, at: T + 3 } })
      expect(written).toMatchObject({ ok: true, duplicate: false, message: { seq: 4 }, visitorId: C })
      expect(refused?.ok).toBe(false)
      // The agent keeps the conversation.
      expect((await store.listParticipantConversations(brand, { kind: 'agent', id: 'ag' }, 10)).map((c) => c.convId)).toEqual(['phone-a'])
      expect(await store.getCustomerByVisitor(brand, 'v2')).toBeNull()
    })

    it('keeps moved conversations the customer visitor\'s after a restart (message dedupe included)', async () => {
      await link('cust-1', 'v1')
      await store.appendMessages([say('phone', 'p1', { kind: 'visitor', id: 'v2' })])
      expect((await link('cust-1', 'v2', ['phone'])).moved).toBe(1)
      store = await opened.reopen()
      expect(await convsOf(cv('cust-1'))).toEqual(['phone'])
      const [again] = await store.appendMessages([say('phone', 'p1', { kind: 'visitor', id: cv('cust-1') }, T + 50)])
      expect(again).toMatchObject({ ok: true, duplicate: true, message: { seq: 1, at: T } })
    })

    it("gives the customer's visitor the files the second visitor uploaded: sent ones stay readable, unsent ones sendable", async () => {
      const C = cv('cust-1')
      await link('cust-1', 'v1')
      const file = (attachmentId: string) => ({
        brandId: brand, attachmentId, uploader: 'visitor:v2', name: `${attachmentId}.png`, type: 'image/png' as const, size: 3,
        width: 1, height: 1, blobKey: `blob-${attachmentId}`, thumbKey: null, createdAt: T, convId: null, seq: null,
      })
      await store.createAttachment(file('f-sent'))
      await store.createAttachment(file('f-unsent'))
      const [sent] = await store.appendMessages([{ ...say('phone', 'p1', { kind: 'visitor', id: 'v2' }), attachmentIds: ['f-sent'] }])
      expect(sent?.ok).toBe(true)
      await link('cust-1', 'v2', ['phone'])
      expect(await store.getAttachment(brand, 'f-sent')).toMatchObject({ uploader: `visitor:${C}`, convId: 'phone', seq: 1 })
      const [later] = await store.appendMessages([{ ...say('phone', 'p2', { kind: 'visitor', id: C }), attachmentIds: ['f-unsent'] }])
      expect(later).toMatchObject({ ok: true, message: { seq: 2, attachments: [{ name: 'f-unsent.png' }] } })
      const [resent] = await store.appendMessages([{ ...say('phone', 'p1', { kind: 'visitor', id: C }), attachmentIds: ['f-sent'] }])
      expect(resent).toMatchObject({ ok: true, duplicate: true, message: { seq: 1, attachments: [{ name: 'f-sent.png' }] } })
    })

    it('switches a visitor who stands for one customer to another without moving the first one\'s conversations', async () => {
      await store.appendMessages([say('c1', 'm1', { kind: 'visitor', id: 'v1' })])
      await link('cust-1', 'v1', ['c1'])
      const r = await link('cust-2', cv('cust-1'), ['c1'])
      expect(r).toMatchObject({ customer: { customerId: 'cust-2', visitorId: cv('cust-2') }, moved: 0 })
      expect(await convsOf(cv('cust-1'))).toEqual(['c1'])
      expect(await convsOf(cv('cust-2'))).toEqual([])
      expect((await store.getCustomerByVisitor(brand, cv('cust-1')))?.customerId).toBe('cust-1')
    })
  })

  describe('refused token ids', () => {
    it('refuses an id until its time, in its brand only; a second refusal lasts until the later time', async () => {
      const other = await makeOtherBrand()
      await store.revokeTokenIds(brand, [{ id: 'sid-1', until: T + 100 }, { id: 'sid-2', until: T + 10 }])
      expect(await store.isTokenIdRevoked(brand, 'sid-1', T + 99)).toBe(true)
      expect(await store.isTokenIdRevoked(brand, 'sid-1', T + 100)).toBe(false)
      expect(await store.isTokenIdRevoked(other, 'sid-1', T)).toBe(false)
      expect(await store.isTokenIdRevoked(brand, 'sid-3', T)).toBe(false)
      await store.revokeTokenIds(brand, [{ id: 'sid-2', until: T + 200 }])
      await store.revokeTokenIds(brand, [{ id: 'sid-2', until: T + 50 }])
      expect(await store.isTokenIdRevoked(brand, 'sid-2', T + 199)).toBe(true)
    })

    it('ends a visit: its sid and every identity token recorded for it are refused, each until its own time', async () => {
      const other = await makeOtherBrand()
      for (const [digest, until] of [['dg-1', T + 100], ['dg-2', T + 300], ['dg-3', T + 200]] as const) {
        expect(await store.recordIdentityToken(brand, 'visit-1', digest, until)).toBe(true)
      }
      expect(await store.recordIdentityToken(brand, 'visit-2', 'dg-other-visit', T + 100)).toBe(true)
      expect(await store.recordIdentityToken(other, 'visit-1', 'dg-other-brand', T + 100)).toBe(true)
      expect(await store.isTokenIdRevoked(brand, 'dg-1', T)).toBe(false)
      await store.endVisit(brand, 'visit-1', T + 50)
      expect(await store.isTokenIdRevoked(brand, 'visit-1', T + 49)).toBe(true)
      expect(await store.isTokenIdRevoked(brand, 'visit-1', T + 50)).toBe(false)
      expect(await store.isTokenIdRevoked(brand, 'dg-1', T + 99)).toBe(true)
      expect(await store.isTokenIdRevoked(brand, 'dg-2', T + 299)).toBe(true)
      expect(await store.isTokenIdRevoked(brand, 'dg-3', T + 199)).toBe(true)
      expect(await store.isTokenIdRevoked(brand, 'dg-3', T + 200)).toBe(false)
      expect(await store.isTokenIdRevoked(brand, 'dg-other-visit', T)).toBe(false)
      expect(await store.isTokenIdRevoked(other, 'dg-other-brand', T)).toBe(false)
    })

    it('records no identity token for a visit that already ended', async () => {
      await store.endVisit(brand, 'visit-ended', T + 1_000)
      expect(await store.recordIdentityToken(brand, 'visit-ended', 'dg-late', T + 500)).toBe(false)
      await store.endVisit(brand, 'visit-ended', T + 1_000)
      expect(await store.isTokenIdRevoked(brand, 'dg-late', T)).toBe(false)
    })

    it('prunes only refusals past their time, at most the limit', async () => {
      // Far in the future: other tests' refusals (same store) are not past it.
      const F = 9_000_000_000_000
      await store.revokeTokenIds(brand, [{ id: 'a', until: F + 1 }, { id: 'b', until: F + 2 }, { id: 'c', until: F + 3 }, { id: 'd', until: F + 50 }])
      const pastOthers = await store.pruneRevokedTokenIds(F, 1_000_000)
      expect(pastOthers).toBeGreaterThanOrEqual(0)
      expect(await store.pruneRevokedTokenIds(F + 3, 2)).toBe(2)
      expect(await store.pruneRevokedTokenIds(F + 3, 2)).toBe(1)
      expect(await store.pruneRevokedTokenIds(F + 3, 2)).toBe(0)
      expect(await store.isTokenIdRevoked(brand, 'd', F + 3)).toBe(true)
    })
  })

  async function makeOtherBrand(): Promise<string> {
    const other = id('b_')
    await store.createBrand({ brandId: other, name: 'Other', siteKey: id('s_'), allowedOrigins: [], apiKeyHash: id('hash_'), createdAt: T })
    return other
  }
})
