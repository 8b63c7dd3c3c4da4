import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Store } from '../../../server/src/store/store.js'
import { describeWithPostgres, type TestDatabase, usePostgresStores } from '../../helpers/postgres.js'
import { until } from '../../helpers/until.js'

// Two relay nodes (two PostgreSQL stores, each with its own pool) on one database, racing the agent's
// day where it matters: offering one chat, an offer's expiry against its accept, two inactivity
// sweeps, and a sweep against a visitor's message. The floor is written as the superuser (past
// row-level security); accepts and messages go through the store, except an accept held in flight,
// which is an open transaction that updated the chat (no store call can be paused half-way).

const ROUNDS = 20
const id = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`

describeWithPostgres('PostgreSQL store: the agent\'s day on two nodes', () => {
  let db: TestDatabase
  let nodeA: Store
  let nodeB: Store
  let admin: pg.Client
  const suite = usePostgresStores({ nodes: 2 })
  beforeAll(async () => {
    db = suite.db
    ;[nodeA, nodeB] = suite.nodes as [Store, Store]
    admin = new pg.Client({ connectionString: db.adminUrl })
    await admin.connect()
  })
  afterAll(async () => {
    await admin?.end()
  })

  /** A brand with two agents. */
  async function floor(): Promise<{ brandId: string; ann: string; ben: string }> {
    const brandId = id('b_')
    await admin.query('INSERT INTO brands (brand_id, name, site_key, created_at) VALUES ($1, $1, $1, 0)', [brandId])
    const [ann, ben] = [id('ann_'), id('ben_')]
    for (const agentId of [ann, ben]) {
      await admin.query(`INSERT INTO agents (brand_id, agent_id, email, name, password_hash, created_at) VALUES ($1, $2, $2 || '@agents.example', $2, 'x', 0)`, [brandId, agentId])
    }
    return { brandId, ann, ben }
  }

  /** An open chat of the brand, waiting in the queue or held by `agentId` (taken at `at`). */
  async function chat(brandId: string, opts: { agentId?: string; at?: number; lastVisitorAt?: number } = {}): Promise<string> {
    const convId = id('c_')
    const at = opts.at ?? 1000
    await admin.query(`INSERT INTO conversations (brand_id, conv_id, visitor_id, status, created_at, assigned_agent, assigned_at, taken_at, last_visitor_at)
      VALUES ($1, $2, $3, 'open', 1000, $4, $5, $5, $6)`, [brandId, convId, id('v_'), opts.agentId ?? null, opts.agentId ? at : null, opts.lastVisitorAt ?? 1000])
    if (opts.agentId) {
      await admin.query(`INSERT INTO participants (brand_id, conv_id, kind, participant_id, joined_at) VALUES ($1, $2, 'agent', $3, $4)`, [brandId, convId, opts.agentId, at])
    }
    return convId
  }

  /** Starts an accept of the chat by `agentId` that has updated the row but not committed; `commit` ends it. */
  async function acceptInFlight(brandId: string, convId: string, agentId: string): Promise<{ pid: number; commit(): Promise<void> }> {
    const c = new pg.Client({ connectionString: db.adminUrl })
    await c.connect()
    await c.query('BEGIN')
    await c.query('UPDATE conversations SET assigned_agent = $3, assigned_at = 5000, taken_at = 5000 WHERE brand_id = $1 AND conv_id = $2', [brandId, convId, agentId])
    const pid = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid
    return { pid, async commit() { await c.query('COMMIT'); await c.end() } }
  }

  /** Resolves once some backend waits for a lock `pid` holds. */
  async function blockedBy(pid: number): Promise<void> {
    await until(async () => (await admin.query('SELECT 1 FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [pid])).rowCount, 'a transaction waiting for the accept')
  }

  it('lets exactly one of two nodes offer a chat, every time of 20', async () => {
    const f = await floor()
    for (let i = 0; i < ROUNDS; i++) {
      const convId = await chat(f.brandId)
      const made = await Promise.all([
        nodeA.createOffer({ brandId: f.brandId, convId, agentId: f.ann, offeredAt: 2000 + i, expiresAt: 32_000 }),
        nodeB.createOffer({ brandId: f.brandId, convId, agentId: f.ben, offeredAt: 2000 + i, expiresAt: 32_000 }),
      ])
      expect(made.filter(Boolean)).toHaveLength(1)
    }
    const pending = await nodeA.listPendingOffers(f.brandId)
    expect(pending).toHaveLength(ROUNDS)
    expect(new Set(pending.map((o) => o.convId)).size).toBe(ROUNDS)
    expect(await nodeB.listPendingOffers(null)).toHaveLength(ROUNDS)
  })

  it('makes no offer of a chat whose accept was in flight when the offer was made', async () => {
    const f = await floor()
    const convId = await chat(f.brandId)
    const accept = await acceptInFlight(f.brandId, convId, f.ann)
    const offer = nodeA.createOffer({ brandId: f.brandId, convId, agentId: f.ben, offeredAt: 2000, expiresAt: 32_000 })
    await blockedBy(accept.pid)
    await accept.commit()
    expect(await offer).toBe(false)
    expect(await nodeA.listPendingOffers(f.brandId)).toEqual([])
  })

  it('ends an offer expiring while its accept is in flight as accepted, never as missed', async () => {
    const f = await floor()
    const convId = await chat(f.brandId)
    expect(await nodeA.createOffer({ brandId: f.brandId, convId, agentId: f.ann, offeredAt: 2000, expiresAt: 3000 })).toBe(true)
    const accept = await acceptInFlight(f.brandId, convId, f.ann)
    const expiry = nodeA.expireOffer(f.brandId, convId, f.ann, 3000)
    await blockedBy(accept.pid)
    await accept.commit()
    expect(await expiry).toMatchObject({ agentId: f.ann, outcome: 'accepted', endedAt: 3000 })
    expect(await nodeB.countMissedOffers(f.brandId, 0)).toEqual({})
  })

  it('ends each accepted offer once, as accepted, when one node expires it as the other ends it (20 races)', async () => {
    const f = await floor()
    for (let i = 0; i < ROUNDS; i++) {
      const convId = await chat(f.brandId)
      expect(await nodeA.createOffer({ brandId: f.brandId, convId, agentId: f.ann, offeredAt: 2000, expiresAt: 3000 })).toBe(true)
      // The accept committed; its conversation.assigned reaches the routers while the timer fires.
      expect((await nodeB.assignConversation(f.brandId, convId, f.ann, 2500, { onlyIfWaiting: true })).ok).toBe(true)
      const ended = await Promise.all([
        nodeA.expireOffer(f.brandId, convId, f.ann, 3000 + i),
        nodeB.endOffer(f.brandId, convId, f.ann, 'accepted', 3000 + i),
      ])
      expect(ended.filter((o) => o !== null).map((o) => o!.outcome)).toEqual(['accepted'])
    }
    expect(await nodeA.countMissedOffers(f.brandId, 0)).toEqual({})
    expect(await nodeA.listPendingOffers(f.brandId)).toEqual([])
  })

  it('counts an offer that expired while the chat still waited as missed', async () => {
    const f = await floor()
    const convId = await chat(f.brandId)
    await nodeA.createOffer({ brandId: f.brandId, convId, agentId: f.ben, offeredAt: 2000, expiresAt: 3000 })
    expect(await nodeB.expireOffer(f.brandId, convId, f.ben, 3000)).toMatchObject({ outcome: 'timeout' })
    expect(await nodeA.expireOffer(f.brandId, convId, f.ben, 3001)).toBeNull()
    expect(await nodeA.countMissedOffers(f.brandId, 0)).toEqual({ [f.ben]: 1 })
  })

  it('closes each quiet chat once when two nodes sweep the brand at once', async () => {
    const f = await floor()
    const quiet: string[] = []
    for (let i = 0; i < 30; i++) quiet.push(await chat(f.brandId, { agentId: i % 2 ? f.ann : f.ben, at: 1000 + i }))
    const lively = await chat(f.brandId, { agentId: f.ann, lastVisitorAt: 90_000 })
    const waiting = await chat(f.brandId)
    // Each node sweeps in small batches until it finds nothing more, as the idle sweep does.
    const sweep = async (node: Store) => {
      const closed: string[] = []
      for (;;) {
        const batch = await node.closeIdleConversations(f.brandId, 60_000, 100_000, 4)
        if (batch.length === 0) return closed
        for (const c of batch) expect(c).toMatchObject({ status: 'closed', closedAt: 100_000 })
        closed.push(...batch.map((c) => c.convId))
      }
    }
    const [a, b] = await Promise.all([sweep(nodeA), sweep(nodeB)])
    expect([...a, ...b].sort()).toEqual([...quiet].sort())
    const open = await admin.query<{ conv_id: string }>(`SELECT conv_id FROM conversations WHERE brand_id = $1 AND status = 'open' ORDER BY conv_id`, [f.brandId])
    expect(open.rows.map((r) => r.conv_id)).toEqual([lively, waiting].sort())
  })

  it('never stores a visitor\'s message in a chat another node closes as idle at the same moment (20 races)', async () => {
    const f = await floor()
    for (let i = 0; i < ROUNDS; i++) {
      const convId = await chat(f.brandId, { agentId: f.ann })
      const visitorId = (await admin.query<{ visitor_id: string }>('SELECT visitor_id FROM conversations WHERE conv_id = $1', [convId])).rows[0]!.visitor_id
      const [closed, [sent]] = await Promise.all([
        nodeA.closeIdleConversations(f.brandId, 60_000, 100_000, 10),
        nodeB.appendMessages([{ brandId: f.brandId, convId, clientMsgId: `m${i}`, from: { kind: 'visitor', id: visitorId }, text: 'still here', at: 90_000, context: null }]),
      ])
      const status = (await nodeA.getConversation(f.brandId, convId))!.status
      if (sent!.ok) {
        // Stored first: the chat was no longer quiet, so the sweep left it open.
        expect(closed).toEqual([])
        expect(status).toBe('open')
      } else {
        expect(sent).toEqual({ ok: false, code: 'PARLEY_ERR_CONV_CLOSED' })
        expect(closed.map((c) => c.convId)).toEqual([convId])
      }
      // Leave no quiet chat for the next round's sweep.
      await admin.query(`UPDATE conversations SET status = 'closed', closed_at = 1 WHERE conv_id = $1`, [convId])
    }
  })

  it('leaves a chat open whose visitor wrote while a sweep was picking it', async () => {
    const f = await floor()
    const convId = await chat(f.brandId, { agentId: f.ann })
    // The visitor's message in flight: its append holds the chat's row, having recorded when they wrote.
    const c = new pg.Client({ connectionString: db.adminUrl })
    await c.connect()
    try {
      await c.query('BEGIN')
      await c.query('UPDATE conversations SET last_visitor_at = 80000 WHERE brand_id = $1 AND conv_id = $2', [f.brandId, convId])
      expect(await nodeA.closeIdleConversations(f.brandId, 60_000, 100_000, 10)).toEqual([])
      await c.query('COMMIT')
    } finally {
      await c.end()
    }
    expect(await nodeB.closeIdleConversations(f.brandId, 60_000, 100_000, 10)).toEqual([])
  })
})
