import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { PgDb } from '../../../server/src/store/postgres/db.js'
import { appendBatch, firstBrandOf } from '../../../server/src/store/postgres/append-batch.js'
import { createTestDatabase, describeWithPostgres, openPostgresStore, type TestDatabase } from '../../helpers/postgres.js'

// The group commit's statements are named prepared statements: each connection parses and plans
// them once. PARLEY_PG_PREPARED_STATEMENTS=0 (a pooler that cannot keep them) sends them as plain
// statements again, and appends behave the same.

const id = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`

describeWithPostgres('prepared statements of the PostgreSQL group commit', () => {
  let db: TestDatabase
  let brandId: string
  beforeAll(async () => {
    db = await createTestDatabase()
    const store = await openPostgresStore(db)
    brandId = id('b_')
    await store.createBrand({ brandId, name: 'Brand', siteKey: id('site_'), allowedOrigins: [`https://${brandId}.example`], apiKeyHash: id('hash_'), createdAt: 1000 })
    await store.close()
  })
  afterAll(async () => {
    await db?.drop()
  })

  /** The statements prepared on the one connection of a pool of one, after two batches of appends. */
  async function preparedAfterAppends(preparedStatements: boolean): Promise<string[]> {
    const pgDb = new PgDb({ url: db.url, poolSize: 1, preparedStatements })
    try {
      const from = { kind: 'visitor' as const, id: id('v_') }
      const convId = id('c_')
      for (const n of [1, 2]) {
        const batch = [{ brandId, convId, clientMsgId: `m${n}`, from, text: `text ${n}`, at: 2000 + n, context: null }]
        const [result] = await pgDb.tx(firstBrandOf(batch), (tx) => appendBatch(tx, batch))
        expect(result).toMatchObject({ ok: true, duplicate: false, message: { seq: n } })
      }
      return (await pgDb.pool.query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY name')).rows.map((r) => r.name)
    } finally {
      await pgDb.close()
    }
  }

  it('prepares the append statements once on the connection', async () => {
    expect(await preparedAfterAppends(true)).toEqual(expect.arrayContaining(['parley_append_advisory_locks', 'parley_append_lock_rows', 'parley_append_priors', 'parley_append_write']))
  })

  it('prepares nothing when turned off, and appends the same', async () => {
    expect(await preparedAfterAppends(false)).toEqual([])
  })

  it('answers a resend as a duplicate with prepared statements off', async () => {
    const store = await openPostgresStore(db, { preparedStatements: false })
    try {
      const req = { brandId, convId: id('c_'), clientMsgId: 'm1', from: { kind: 'visitor' as const, id: id('v_') }, text: 'hello', at: 3000, context: null }
      const [first] = await store.appendMessages([req])
      const [again] = await store.appendMessages([req])
      expect(first).toMatchObject({ ok: true, duplicate: false })
      expect(again).toMatchObject({ ok: true, duplicate: true, message: { seq: 1, text: 'hello' } })
    } finally {
      await store.close()
    }
  })
})
