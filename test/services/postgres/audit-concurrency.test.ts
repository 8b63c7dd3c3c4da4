import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { beforeAll, expect, it } from 'vitest'
import type { AuditRecord, Store } from '../../../server/src/store/store.js'
import { adminQuery, describeWithPostgres, usePostgresStores } from '../../helpers/postgres.js'
import { BRAND_SETTING } from '../../../server/src/store/postgres/schema/sql.js'
import { until } from '../../helpers/until.js'

// Two relay nodes writing one brand's audit log at once, and two retention sweeps purging it at
// once (each node runs one): every entry gets its own number, the numbers keep the log's order
// (commit order: a reader paging newest first never passes a number committed later), and the
// purges together delete each old entry exactly once.

const T = 1_000_000
const id = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`

describeWithPostgres('PostgreSQL store: the audit log on two nodes', () => {
  let nodes: [Store, Store]
  const suite = usePostgresStores({ nodes: 2 })
  beforeAll(() => { nodes = suite.nodes as [Store, Store] })

  const entry = (brandId: string, at: number): AuditRecord => ({
    brandId, at, actor: { kind: 'system', id: null }, action: 'conversation.read', resource: null, outcome: 'ok', code: null, address: null, detail: { n: at },
  })

  async function newBrand(): Promise<string> {
    const brandId = id('b_')
    await nodes[0].createBrand({ brandId, name: 'B', siteKey: id('s_'), allowedOrigins: [], apiKeyHash: id('h_'), createdAt: T })
    return brandId
  }

  it('numbers every entry once when two nodes append at once', async () => {
    const brandId = await newBrand()
    await Promise.all(Array.from({ length: 40 }, (_, i) => nodes[i % 2]!.appendAudit([entry(brandId, T + i), entry(brandId, T + 100 + i)])))
    const all = await nodes[1].listAudit(brandId, { limit: 500 })
    expect(all).toHaveLength(80)
    expect(new Set(all.map((e) => e.entryId)).size).toBe(80)
    // Newest first by number; each call's two entries keep their order.
    const ids = all.map((e) => Number(e.entryId))
    expect(ids).toEqual([...ids].sort((a, b) => b - a))
    for (let i = 0; i < 40; i++) {
      const pos = (at: number) => all.findIndex((e) => e.at === at)
      expect(pos(T + 100 + i)).toBeLessThan(pos(T + i))
    }
  })

  it('numbers entries in commit order: an append waits for one still open to commit', async () => {
    const brandId = await newBrand()
    await nodes[0].appendAudit([entry(brandId, T)])
    // An append held open (as the serving role): it took its number and has not committed.
    const open = new pg.Client({ connectionString: suite.db.url })
    await open.connect()
    try {
      await open.query('BEGIN')
      await open.query(`SELECT set_config('${BRAND_SETTING}', $1, true)`, [brandId])
      const { rows: [head] } = await open.query<{ last_no: string }>('UPDATE audit_heads SET last_no = last_no + 1 WHERE brand_id = $1 RETURNING last_no', [brandId])
      await open.query(`INSERT INTO audit_log (brand_id, entry_no, at, actor_kind, action, outcome) VALUES ($1, $2, $3, 'system', 'conversation.read', 'ok')`,
        [brandId, head!.last_no, T + 1])
      let done = false
      const later = nodes[1].appendAudit([entry(brandId, T + 2)]).then(() => { done = true })
      // Until the open append commits, the later one waits, and a reader sees neither.
      await until(async () => (await adminQuery<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`, [], suite.db.adminUrl))[0]!.n > 0, 'the later append waiting')
      expect((await nodes[0].listAudit(brandId, { limit: 10 })).map((e) => e.at)).toEqual([T])
      expect(done).toBe(false)
      await open.query('COMMIT')
      await later
      const all = await nodes[0].listAudit(brandId, { limit: 10 })
      expect(all.map((e) => [Number(e.entryId), e.at])).toEqual([[3, T + 2], [2, T + 1], [1, T]])
    } finally {
      await open.end()
    }
  })

  it('deletes each old entry exactly once when two sweeps purge at once', async () => {
    const brandId = await newBrand()
    await nodes[0].appendAudit(Array.from({ length: 60 }, (_, i) => entry(brandId, T + i)))
    const drain = async (node: Store) => {
      let total = 0
      for (let n = -1; n !== 0;) total += (n = await node.purgeAudit(brandId, T + 50, 7))
      return total
    }
    const [a, b] = await Promise.all([drain(nodes[0]), drain(nodes[1])])
    expect(a + b).toBe(50)
    expect((await nodes[0].listAudit(brandId, { limit: 100 })).map((e) => e.at)).toEqual(Array.from({ length: 10 }, (_, i) => T + 59 - i))
  })
})
