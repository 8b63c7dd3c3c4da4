import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Participant } from '@parley/sdk/contract'
import type { Store } from '../../../server/src/store/store.js'
import { createTestDatabase, describeWithPostgres, openPostgresStore, type TestDatabase } from '../../helpers/postgres.js'

// redactMessages on PostgreSQL rewrites a list in one UPDATE ... FROM unnest, which changes a row
// once whichever of two entries naming it matched; a list naming a message twice is applied entry
// by entry instead, in order, as the SQLite store does. These cases are the PostgreSQL store's own.

const id = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`

describeWithPostgres('PostgreSQL redactMessages', () => {
  let db: TestDatabase
  let store: Store
  beforeAll(async () => {
    db = await createTestDatabase()
    store = await openPostgresStore(db)
  })
  afterAll(async () => {
    await store?.close()
    await db?.drop()
  })

  async function conversation(n: number, convId = id('c_')) {
    const brandId = id('b_')
    await store.createBrand({ brandId, name: 'Brand', siteKey: id('site_'), allowedOrigins: [`https://${brandId}.example`], apiKeyHash: id('hash_'), createdAt: 1000 })
    const v: Participant = { kind: 'visitor', id: id('v_') }
    await store.appendMessages(Array.from({ length: n }, (_, i) => ({ brandId, convId, clientMsgId: `m${i + 1}`, from: v, text: `text ${i + 1}`, at: 2000 + i, context: null })))
    return { brandId, convId }
  }

  const texts = async (brandId: string, convId: string) => (await store.readMessages(brandId, convId, 0, 100)).map((m) => m.text)

  it('applies a list naming one message twice in order: the second entry sees the first one\'s text', async () => {
    const { brandId, convId } = await conversation(2)
    const applied = await store.redactMessages(brandId, [
      { convId, seq: 1, text: 'first pass', ifText: 'text 1' },
      { convId, seq: 1, text: 'second pass', ifText: 'first pass' },
      { convId, seq: 2, text: 'stale', ifText: 'not stored' },
      { convId, seq: 2, text: 'two', ifText: 'text 2' },
    ])
    expect(applied).toEqual([{ convId, seq: 1, text: 'first pass' }, { convId, seq: 1, text: 'second pass' }, { convId, seq: 2, text: 'two' }])
    expect(await texts(brandId, convId)).toEqual(['second pass', 'two'])
  })

  it('answers the applied redactions of a long list in the order given', async () => {
    const { brandId, convId } = await conversation(30)
    const list = Array.from({ length: 30 }, (_, i) => ({ convId, seq: 30 - i, text: `masked ${30 - i}`, ...(i % 3 === 0 ? { ifText: 'not stored' } : {}) }))
    const applied = await store.redactMessages(brandId, list)
    expect(applied).toEqual(list.filter((r) => !('ifText' in r)).map((r) => ({ convId, seq: r.seq, text: r.text })))
    expect((await texts(brandId, convId)).filter((t) => t.startsWith('masked'))).toHaveLength(20)
  })

  it("rewrites only the brand's own conversation, not another brand's with the same id", async () => {
    const a = await conversation(1)
    const b = await conversation(1, a.convId)
    expect(await store.redactMessages(a.brandId, [{ convId: a.convId, seq: 1, text: 'x' }])).toEqual([{ convId: a.convId, seq: 1, text: 'x' }])
    expect(await texts(a.brandId, a.convId)).toEqual(['x'])
    expect(await texts(b.brandId, b.convId)).toEqual(['text 1'])
  })
})
