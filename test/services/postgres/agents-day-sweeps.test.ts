import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeWithPostgres, usePostgresStores } from '../../helpers/postgres.js'

// The agent's day's sweeps over every brand on PostgreSQL (schema/004-agents-day.ts): the serving
// role sees one brand per transaction, so these go through SECURITY DEFINER functions that answer
// ids, and the rows are then read under each brand's own policy. Here each sweep must reach two
// brands, in order across them, and the serving role must not reach the rows around them.

const id = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`

describeWithPostgres('PostgreSQL store: sweeps across brands', () => {
  const suite = usePostgresStores()
  let admin: pg.Client
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: suite.db.adminUrl })
    await admin.connect()
  })
  afterAll(async () => { await admin?.end() })

  /** A brand with one agent and one waiting live chat. */
  async function brand(): Promise<{ brandId: string; agentId: string; convId: string }> {
    const brandId = id('b_')
    const agentId = id('a_')
    const convId = id('c_')
    await admin.query('INSERT INTO brands (brand_id, name, site_key, created_at) VALUES ($1, $1, $1, 0)', [brandId])
    await admin.query(`INSERT INTO agents (brand_id, agent_id, email, name, password_hash, created_at) VALUES ($1, $2, $2 || '@agents.example', $2, 'x', 0)`, [brandId, agentId])
    await admin.query(`INSERT INTO conversations (brand_id, conv_id, visitor_id, status, created_at) VALUES ($1, $2, 'v', 'open', 0)`, [brandId, convId])
    return { brandId, agentId, convId }
  }

  it("lists every brand's pending offers, soonest to expire first, and prunes ended ones oldest first across brands", async () => {
    const [a, b] = [await brand(), await brand()]
    expect(await suite.store.createOffer({ brandId: a.brandId, convId: a.convId, agentId: a.agentId, offeredAt: 100, expiresAt: 900 })).toBe(true)
    expect(await suite.store.createOffer({ brandId: b.brandId, convId: b.convId, agentId: b.agentId, offeredAt: 100, expiresAt: 500 })).toBe(true)
    expect((await suite.store.listPendingOffers(null)).map((o) => o.brandId)).toEqual([b.brandId, a.brandId])
    expect((await suite.store.listPendingOffers(a.brandId)).map((o) => o.brandId)).toEqual([a.brandId])
    await suite.store.endOffer(a.brandId, a.convId, null, 'declined', 200)
    await suite.store.endOffer(b.brandId, b.convId, null, 'timeout', 300)
    expect(await suite.store.listPendingOffers(null)).toEqual([])
    expect(await suite.store.pruneEndedOffers(250, 10)).toBe(1)
    expect(await suite.store.listOfferedAgents(a.brandId, a.convId, 0)).toEqual([])
    expect(await suite.store.listOfferedAgents(b.brandId, b.convId, 0)).toEqual([b.agentId])
    expect(await suite.store.pruneEndedOffers(1000, 10)).toBe(1)
    expect(await suite.store.pruneEndedOffers(1000, 10)).toBe(0)
  })

  it('lists brands with an open live chat, and not those whose chats are closed or offline', async () => {
    const [open, closed, offline] = [await brand(), await brand(), await brand()]
    await admin.query(`UPDATE conversations SET status = 'closed', closed_at = 1 WHERE brand_id = $1`, [closed.brandId])
    await admin.query(`UPDATE conversations SET origin = 'offline' WHERE brand_id = $1`, [offline.brandId])
    const brands = await suite.store.listBrandsWithOpenChats()
    expect(brands).toContain(open.brandId)
    expect(brands).not.toContain(closed.brandId)
    expect(brands).not.toContain(offline.brandId)
  })

  it("lists every brand's unsent uploads oldest first, leaving out sent ones and newer ones", async () => {
    const [a, b] = [await brand(), await brand()]
    const upload = (brandId: string, createdAt: number, convId: string | null = null) => ({
      brandId, attachmentId: id('f_'), uploader: 'visitor:v', name: 'a.png', type: 'image/png' as const, size: 10, width: 1, height: 1,
      blobKey: id('k_'), thumbKey: null, createdAt, convId, seq: convId === null ? null : 1,
    })
    const files = [upload(a.brandId, 30), upload(b.brandId, 10), upload(a.brandId, 20), upload(b.brandId, 15, b.convId), upload(b.brandId, 99)]
    for (const f of files) await suite.store.createAttachment(f)
    const [a30, b10, a20] = files
    expect(await suite.store.listUnsentAttachments(50, 10)).toEqual([b10, a20, a30])
    expect(await suite.store.listUnsentAttachments(50, 2)).toEqual([b10, a20])
  })

  it('shows the serving role no offer, note or upload of any brand without the brand set', async () => {
    const a = await brand()
    await suite.store.createOffer({ brandId: a.brandId, convId: a.convId, agentId: a.agentId, offeredAt: 1, expiresAt: 2 })
    await suite.store.addNote({ brandId: a.brandId, convId: a.convId, noteId: id('n_'), clientNoteId: id('cn_'), author: { kind: 'agent', id: a.agentId }, text: 'x', at: 1 })
    const serving = new pg.Client({ connectionString: suite.db.url })
    await serving.connect()
    try {
      for (const table of ['routing_offers', 'conversation_notes', 'attachments', 'canned_replies']) {
        expect((await serving.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n).toBe(0)
      }
    } finally {
      await serving.end()
    }
  })
})
