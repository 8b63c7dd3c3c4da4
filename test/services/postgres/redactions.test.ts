import { randomBytes } from 'node:crypto'
import { expect, it } from 'vitest'
import type { Participant } from '@parley/sdk/contract'
import { describeWithPostgres, usePostgresStores } from '../../helpers/postgres.js'
import { createStoreBrand } from '../../helpers/brand.js'

// redactMessages on PostgreSQL rewrites a list in one UPDATE ... FROM unnest, which changes a row
// once whichever of two entries naming it matched; a list naming a message twice is applied entry
// by entry instead, in order, as the SQLite store does. These cases are the PostgreSQL store's own.

const id = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`

describeWithPostgres('PostgreSQL redactMessages', () => {
  const suite = usePostgresStores()

  async function conversation(n: number, convId = id('c_')) {
    const brandId = id('b_')
    await createStoreBrand(suite.store, { brandId, allowedOrigins: [`https://${brandId}.example`], createdAt: 1000 })
    const v: Participant = { kind: 'visitor', id: id('v_') }
    await suite.store.appendMessages(Array.from({ length: n }, (_, i) => ({ brandId, convId, clientMsgId: `m${i + 1}`, from: v, text: `text ${i + 1}`, at: 2000 + i, context: null })))
    return { brandId, convId }
  }

  const texts = async (brandId: string, convId: string) => (await suite.store.readMessages(brandId, convId, 0, 100)).map((m) => m.text)

  it('applies a list naming one message twice in order: the second entry sees the first one\'s text', async () => {
    const { brandId, convId } = await conversation(2)
    const applied = await suite.store.redactMessages(brandId, [
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
    const applied = await suite.store.redactMessages(brandId, list)
    expect(applied).toEqual(list.filter((r) => !('ifText' in r)).map((r) => ({ convId, seq: r.seq, text: r.text })))
    expect((await texts(brandId, convId)).filter((t) => t.startsWith('masked'))).toHaveLength(20)
  })

  it("rewrites only the brand's own conversation, not another brand's with the same id", async () => {
    const a = await conversation(1)
    const b = await conversation(1, a.convId)
    expect(await suite.store.redactMessages(a.brandId, [{ convId: a.convId, seq: 1, text: 'x' }])).toEqual([{ convId: a.convId, seq: 1, text: 'x' }])
    expect(await texts(a.brandId, a.convId)).toEqual(['x'])
    expect(await texts(b.brandId, b.convId)).toEqual(['text 1'])
  })
})
