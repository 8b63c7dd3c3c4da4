import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Participant } from '@parley/sdk/contract'
import { adminQuery, createTestDatabase, describeWithPostgres, openPostgresStore, type TestDatabase } from '../../helpers/postgres.js'
import { until } from '../../helpers/until.js'

// Every append updates its conversation's last_seq (and a visitor's last_visitor_at). When no index
// of conversations names those columns and the page has room, PostgreSQL updates the row in place
// (a HOT update) instead of adding an entry to each of the table's indexes: most of the WAL and the
// index work of an append. An index added later on either column would silently undo that.

const id = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`

describeWithPostgres('PostgreSQL appends update conversations in place', () => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await createTestDatabase()
  })
  afterAll(async () => {
    await db?.drop()
  })

  it('names neither last_seq nor last_visitor_at in any index of conversations, and leaves room on its pages', async () => {
    const store = await openPostgresStore(db)
    await store.close()
    const indexes = await adminQuery<{ def: string }>(`SELECT pg_get_indexdef(indexrelid) AS def FROM pg_index WHERE indrelid = 'conversations'::regclass`, [], db.adminUrl)
    expect(indexes.length).toBeGreaterThan(0)
    for (const { def } of indexes) expect(def).not.toMatch(/last_seq|last_visitor_at/)
    const [table] = await adminQuery<{ options: string[] | null }>(`SELECT reloptions AS options FROM pg_class WHERE oid = 'conversations'::regclass`, [], db.adminUrl)
    expect(table!.options).toContainEqual(expect.stringMatching(/^fillfactor=([1-8]\d|90)$/))
  })

  it('counts the conversation updates of a run of appends as HOT, all but a page-full few', async () => {
    const store = await openPostgresStore(db)
    const brandId = id('b_')
    await store.createBrand({ brandId, name: 'Brand', siteKey: id('site_'), allowedOrigins: [`https://${brandId}.example`], apiKeyHash: id('hash_'), createdAt: 1000 })
    const visitors: Participant[] = Array.from({ length: 5 }, () => ({ kind: 'visitor', id: id('v_') }))
    const convIds = visitors.map(() => id('c_'))
    const batch = (n: number) => visitors.map((from, i) => ({ brandId, convId: convIds[i]!, clientMsgId: `m${n}`, from, text: `text ${n}`, at: 2000 + n, context: null }))
    for (let n = 0; n < 20; n++) await store.appendMessages(batch(n))
    // A backend reports its table counts when it ends (or some seconds after it goes idle).
    await store.close()
    const stats = await until(async () => {
      const [row] = await adminQuery<{ upd: number; hot: number }>(`SELECT n_tup_upd::int AS upd, n_tup_hot_upd::int AS hot FROM pg_stat_user_tables WHERE relname = 'conversations'`, [], db.adminUrl)
      return row && row.upd >= 19 * visitors.length ? row : null
    }, 'the appends\' updates counted')
    // An index on either column makes no update HOT. A transaction elsewhere in the cluster (another
    // test file) can hold back pruning long enough for a page to fill once: 95 of 100 were HOT once.
    expect(stats.hot).toBeGreaterThanOrEqual(stats.upd * 0.9)
  })
})
