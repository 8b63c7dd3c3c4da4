import { randomBytes } from 'node:crypto'
import { beforeEach, describe, expect, it } from 'vitest'
import type { AuditRecord } from '../../../server/src/store/store.js'
import { adminQuery, describeWithPostgres, usePostgresStores } from '../../helpers/postgres.js'

// The PostgreSQL store's audit log, identity secrets, customers and refused token ids, down to the
// rows: what a customer link moves (checked in the tables, past row-level security), audit entries
// of several brands in one call, and cursors this store never made. The behaviour both stores share
// is in test/unit/server/store/access.test.ts.

const T = 1_000_000
const id = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`

describeWithPostgres('PostgreSQL store: access records', () => {
  const suite = usePostgresStores()
  let brand = ''
  const newBrand = async () => {
    const brandId = id('b_')
    await suite.store.createBrand({ brandId, name: 'B', siteKey: id('s_'), allowedOrigins: [], apiKeyHash: id('h_'), createdAt: T })
    return brandId
  }
  beforeEach(async () => { brand = await newBrand() })

  const entry = (brandId: string, at: number, fields: Partial<AuditRecord> = {}): AuditRecord => ({
    brandId, at, actor: { kind: 'agent', id: 'a1' }, action: 'conversation.read', resource: { type: 'conversation', id: 'c1' },
    outcome: 'ok', code: null, address: '192.0.2.0', detail: { count: 1, field: 'name', ok: true }, ...fields,
  })

  describe('audit log', () => {
    it('appends entries of several brands in one call, each brand numbered in the order given', async () => {
      const other = await newBrand()
      await suite.store.appendAudit([entry(brand, T + 3), entry(other, T), entry(brand, T + 1), entry(brand, T + 2)])
      const mine = await suite.store.listAudit(brand, { limit: 10 })
      expect(mine.map((e) => e.at)).toEqual([T + 2, T + 1, T + 3])
      expect(mine.map((e) => Number(e.entryId))).toEqual([...mine.map((e) => Number(e.entryId))].sort((a, b) => b - a))
      expect(await suite.store.listAudit(other, { limit: 10 })).toHaveLength(1)
    })

    it('reads an entry back whole, null resource and actor id included', async () => {
      await suite.store.appendAudit([entry(brand, T), entry(brand, T + 1, { actor: { kind: 'system', id: null }, resource: null, outcome: 'denied', code: 'PARLEY_ERR_AUTH_ROLE', address: null, detail: {} })])
      const [second, first] = await suite.store.listAudit(brand, { limit: 10 })
      const { brandId: _b, ...plain } = entry(brand, T)
      expect(first).toEqual({ entryId: expect.any(String), ...plain })
      expect(second).toMatchObject({ actor: { kind: 'system', id: null }, resource: null, outcome: 'denied', code: 'PARLEY_ERR_AUTH_ROLE', address: null, detail: {} })
    })

    it('filters by actor, action and time, and pages with before', async () => {
      await suite.store.appendAudit([
        entry(brand, T), entry(brand, T + 1, { actor: { kind: 'key', id: 'k1' } }), entry(brand, T + 2, { action: 'conversation.search' }), entry(brand, T + 3),
      ])
      const all = await suite.store.listAudit(brand, { limit: 10 })
      expect(all.map((e) => e.at)).toEqual([T + 3, T + 2, T + 1, T])
      expect((await suite.store.listAudit(brand, { actorKind: 'key', limit: 10 })).map((e) => e.at)).toEqual([T + 1])
      expect((await suite.store.listAudit(brand, { actorKind: 'agent', actorId: 'a1', limit: 10 })).map((e) => e.at)).toEqual([T + 3, T + 2, T])
      expect((await suite.store.listAudit(brand, { action: 'conversation.search', limit: 10 })).map((e) => e.at)).toEqual([T + 2])
      expect((await suite.store.listAudit(brand, { from: T + 1, to: T + 3, limit: 10 })).map((e) => e.at)).toEqual([T + 2, T + 1])
      expect((await suite.store.listAudit(brand, { before: all[1]!.entryId, limit: 1 })).map((e) => e.at)).toEqual([T + 1])
    })

    it('answers no entries for a cursor it never made, rather than failing', async () => {
      await suite.store.appendAudit([entry(brand, T)])
      for (const before of ['x', '-1', '1.5', '99999999999999999999999', "1' OR '1'='1"]) {
        expect(await suite.store.listAudit(brand, { before, limit: 10 })).toEqual([])
      }
    })

    it('purges oldest first, at most the limit', async () => {
      await suite.store.appendAudit([entry(brand, T), entry(brand, T + 1), entry(brand, T + 2), entry(brand, T + 10)])
      expect(await suite.store.purgeAudit(brand, T + 5, 2)).toBe(2)
      expect((await suite.store.listAudit(brand, { limit: 10 })).map((e) => e.at)).toEqual([T + 10, T + 2])
      expect(await suite.store.purgeAudit(brand, T + 5, 10)).toBe(1)
      expect(await suite.store.purgeAudit(brand, T + 5, 10)).toBe(0)
    })
  })

  describe('brands, settings and secrets', () => {
    it('pages through every brand id in byte order', async () => {
      const seen: string[] = []
      for (let after: string | null = null; ;) {
        const page: string[] = await suite.store.listBrandIds(after, 2)
        if (page.length === 0) break
        seen.push(...page)
        after = page.at(-1)!
      }
      expect(seen).toContain(brand)
      expect(seen).toEqual([...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)))
      expect(new Set(seen).size).toBe(seen.length)
    })

    it('keeps the security settings as a brand document', async () => {
      expect(await suite.store.getSecurityConfig(brand)).toBeNull()
      const config = { addresses: 'none' as const, auditRetentionDays: 30, agentsSeeCustomerHistory: true }
      await suite.store.setSecurityConfig(brand, config)
      expect(await suite.store.getSecurityConfig(brand)).toEqual(config)
      expect(await suite.store.getSecurityConfig(await newBrand())).toBeNull()
    })

    it('lists identity secrets oldest first and deletes one of its brand only', async () => {
      const other = await newBrand()
      await suite.store.addIdentitySecret({ brandId: brand, secretId: 'new', secret: 'c2', createdAt: T + 1 })
      await suite.store.addIdentitySecret({ brandId: brand, secretId: 'old', secret: 'c1', createdAt: T })
      expect((await suite.store.listIdentitySecrets(brand)).map((s) => s.secretId)).toEqual(['old', 'new'])
      expect(await suite.store.deleteIdentitySecret(other, 'old')).toBe(false)
      expect(await suite.store.deleteIdentitySecret(brand, 'old')).toBe(true)
      expect(await suite.store.deleteIdentitySecret(brand, 'old')).toBe(false)
      expect(await suite.store.listIdentitySecrets(brand)).toEqual([{ brandId: brand, secretId: 'new', secret: 'c2', createdAt: T + 1 }])
    })

    it('refuses a token id until its time, never shortening a refusal', async () => {
      await suite.store.revokeTokenIds(brand, [{ id: 't1', until: T + 100 }, { id: 't1', until: T + 50 }])
      await suite.store.revokeTokenIds(brand, [{ id: 't1', until: T + 10 }])
      expect(await suite.store.isTokenIdRevoked(brand, 't1', T + 99)).toBe(true)
      expect(await suite.store.isTokenIdRevoked(brand, 't1', T + 100)).toBe(false)
      expect(await suite.store.isTokenIdRevoked(await newBrand(), 't1', T)).toBe(false)
    })
  })

  describe('customers', () => {
    /** A conversation the visitor opened with one message. */
    async function chat(visitorId: string): Promise<string> {
      const convId = id('c_')
      const [opened] = await suite.store.appendMessages([{ brandId: brand, convId, clientMsgId: id('m_'), from: { kind: 'visitor', id: visitorId }, text: 'hi', at: T, context: null }])
      expect(opened?.ok).toBe(true)
      return convId
    }

    it('stands a new customer for a fresh visitor, moving nothing', async () => {
      const { customer, moved } = await suite.store.linkCustomer({ brandId: brand, customerId: 'cu1', visitorId: 'anon', newVisitorId: 'v1', convIds: [], name: 'Ann', email: 'ann@x.example', at: T })
      expect(moved).toBe(0)
      expect(customer).toEqual({ brandId: brand, customerId: 'cu1', visitorId: 'v1', name: 'Ann', email: 'ann@x.example', verifiedAt: T })
      expect(await suite.store.getCustomerByVisitor(brand, 'v1')).toEqual(customer)
      expect(await suite.store.getCustomer(brand, 'cu1')).toEqual(customer)
    })

    it("moves everything of the named conversations that names another visitor to the customer's visitor in one change", async () => {
      await suite.store.linkCustomer({ brandId: brand, customerId: 'cu1', visitorId: 'anon', newVisitorId: 'home', convIds: [], name: 'Ann', email: null, at: T })
      const [c1, c2] = [await chat('phone'), await chat('phone')]
      await suite.store.createAttachment({
        brandId: brand, attachmentId: 'f1', uploader: 'visitor:phone', name: 'a.png', type: 'image/png', size: 1, width: null, height: null,
        blobKey: 'k', thumbKey: null, createdAt: T, convId: null, seq: null,
      })
      const { customer, moved } = await suite.store.linkCustomer({ brandId: brand, customerId: 'cu1', visitorId: 'phone', newVisitorId: 'unused', convIds: [c1!, c2!], name: 'Ann B', email: 'ann@x.example', at: T + 5 })
      expect(moved).toBe(2)
      expect(customer).toMatchObject({ visitorId: 'home', name: 'Ann B', email: 'ann@x.example', verifiedAt: T + 5 })
      const left = await adminQuery<{ n: number }>(`SELECT
          (SELECT count(*) FROM conversations WHERE brand_id = $1 AND visitor_id = 'phone')
        + (SELECT count(*) FROM messages WHERE brand_id = $1 AND sender_kind = 'visitor' AND sender_id = 'phone')
        + (SELECT count(*) FROM participants WHERE brand_id = $1 AND kind = 'visitor' AND participant_id = 'phone')
        + (SELECT count(*) FROM attachments WHERE brand_id = $1 AND uploader = 'visitor:phone') AS n`, [brand], suite.db.adminUrl)
      expect(Number(left[0]!.n)).toBe(0)
      const mine = await adminQuery<{ conv_id: string }>(`SELECT conv_id FROM conversations WHERE brand_id = $1 AND visitor_id = 'home' ORDER BY conv_id`, [brand], suite.db.adminUrl)
      expect(mine.map((c) => c.conv_id)).toEqual([c1, c2].sort())
      const participants = await adminQuery<{ conv_id: string }>(`SELECT conv_id FROM participants WHERE brand_id = $1 AND kind = 'visitor' AND participant_id = 'home' ORDER BY conv_id`, [brand], suite.db.adminUrl)
      expect(participants.map((p) => p.conv_id)).toEqual([c1, c2].sort())
    })

    it("moves a message whose clientMsgId the customer's visitor used too, keeping the first one found by a resend", async () => {
      const say = (convId: string, visitorId: string, at: number) => suite.store.appendMessages([{ brandId: brand, convId, clientMsgId: 'same', from: { kind: 'visitor', id: visitorId }, text: 'hi', at, context: null }])
      await say('home', 'v1', T)
      await suite.store.linkCustomer({ brandId: brand, customerId: 'cu1', visitorId: 'v1', newVisitorId: 'v1', convIds: [], name: null, email: null, at: T })
      await say('phone', 'v2', T + 1)
      expect((await suite.store.linkCustomer({ brandId: brand, customerId: 'cu1', visitorId: 'v2', newVisitorId: 'unused', convIds: ['phone'], name: null, email: null, at: T + 2 })).moved).toBe(1)
      const [phone] = await suite.store.readMessages(brand, 'phone', 0, 10)
      expect(phone).toMatchObject({ seq: 1, from: { kind: 'visitor', id: 'v1' } })
      const [resent] = await say('home', 'v1', T + 3)
      expect(resent).toMatchObject({ ok: true, duplicate: true, message: { convId: 'home', seq: 1, at: T } })
    })

    it('moves nothing when the visitor already stands for the customer, and keeps the newest verification', async () => {
      await suite.store.linkCustomer({ brandId: brand, customerId: 'cu1', visitorId: 'v1', newVisitorId: 'v1', convIds: [], name: 'A', email: null, at: T + 10 })
      const again = await suite.store.linkCustomer({ brandId: brand, customerId: 'cu1', visitorId: 'v1', newVisitorId: 'unused', convIds: [], name: 'B', email: null, at: T })
      expect(again).toMatchObject({ moved: 0, customer: { name: 'B', verifiedAt: T + 10 } })
    })

    it('links two first identifications of one customer at once to one customer', async () => {
      const results = await Promise.all(['v1', 'v2'].map((visitorId) => suite.store.linkCustomer({ brandId: brand, customerId: 'cu1', visitorId, newVisitorId: `new-${visitorId}`, convIds: [], name: null, email: null, at: T })))
      expect(new Set(results.map((r) => r.customer.visitorId)).size).toBe(1)
      expect(results.map((r) => r.moved).sort()).toEqual([0, 0])
      expect((await adminQuery('SELECT 1 FROM customers WHERE brand_id = $1', [brand], suite.db.adminUrl))).toHaveLength(1)
    })
  })
})
