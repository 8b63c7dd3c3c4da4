import { randomBytes } from 'node:crypto'
import { expect, it } from 'vitest'
import { BEHAVIOURAL_CONTEXT_FIELDS, type Participant } from '@parley/sdk/contract'
import type { AppendRequest } from '../../../server/src/store/store.js'
import { adminQuery, describeWithPostgres, usePostgresStores } from '../../helpers/postgres.js'
import { createStoreBrand } from '../../helpers/brand.js'

// A visitor's data rights racing the relay's writes on two nodes. A consent denial committing while
// another node writes the visitor's context (a visit, a context update, a first message, an open)
// must leave no behavioural value stored, whichever commits first; an erasure committing while the
// visitor keeps sending must leave no message in the erased conversation (one that landed first is
// erased with it, one after is refused: the conversation is closed).

const ROUNDS = 10
const T = 1_000_000
const id = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`

describeWithPostgres('PostgreSQL store: data rights racing writes on two nodes', () => {
  const suite = usePostgresStores({ nodes: 2 })
  const sql = <R extends Record<string, unknown>>(text: string, params: unknown[]) => adminQuery<R>(text, params, suite.db.adminUrl)

  it('stores no behavioural value once a denial raced context writes', async () => {
    const [a, b] = suite.nodes as [typeof suite.store, typeof suite.store]
    for (let round = 0; round < ROUNDS; round++) {
      const brandId = await createStoreBrand(a)
      const v: Participant = { kind: 'visitor', id: id('v_') }
      const say = (convId: string, at: number): AppendRequest => ({
        brandId, convId, clientMsgId: id('m'), from: v, text: 'hi', at, context: { url: 'https://shop.example/', pagesViewed: at % 7, timeOnSiteSec: 3 },
      })
      await a.recordVisit(brandId, v.id, { url: 'https://shop.example/', pagesViewed: 1, visitCount: 1 }, T)
      await a.appendMessages([say(id('c_'), T + 1)])
      await Promise.all([
        a.recordConsent(brandId, v.id, { at: T + 10, state: 'denied', source: 'widget' }),
        b.updateVisitorContext(brandId, v.id, { url: 'https://shop.example/b', pagesViewed: 5, returning: true }),
        b.appendMessages([say(id('c_'), T + 11)]),
        a.openConversation({ brandId, convId: id('c_'), visitorId: v.id, clientMsgId: id('m'), at: T + 12, context: { url: 'https://shop.example/', visitCount: 4 }, routing: {}, response: null }),
        b.recordVisit(brandId, v.id, { url: 'https://shop.example/c', pagesViewed: 9 }, T + 13),
      ])
      const [left] = await sql<{ n: number }>(`SELECT (SELECT count(*) FROM conversations WHERE brand_id = $1 AND visitor_id = $2 AND context ?| $3)
        + (SELECT count(*) FROM visitors WHERE brand_id = $1 AND visitor_id = $2 AND context ?| $3) AS n`, [brandId, v.id, [...BEHAVIOURAL_CONTEXT_FIELDS]])
      expect(Number(left!.n), `round ${round}`).toBe(0)
      const [conversations] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM conversations WHERE brand_id = $1 AND visitor_id = $2', [brandId, v.id])
      expect(conversations!.n).toBe(3)
    }
  })

  it('leaves no message in a conversation whose erasure raced appends to it', async () => {
    const [a, b] = suite.nodes as [typeof suite.store, typeof suite.store]
    for (let round = 0; round < ROUNDS; round++) {
      const brandId = await createStoreBrand(a)
      const v: Participant = { kind: 'visitor', id: id('v_') }
      const convId = id('c_')
      const say = (n: number): AppendRequest => ({ brandId, convId, clientMsgId: `m${n}`, from: v, text: `secret ${n}`, at: T + n, context: null })
      await a.appendMessages([say(0), say(1)])
      const [erasure, first, second] = await Promise.all([
        a.eraseConversations(brandId, [convId], T + 10),
        b.appendMessages([say(2)]),
        b.appendMessages([say(3), say(4)]),
      ])
      expect(erasure.erased).toEqual([convId])
      for (const r of [...first, ...second]) expect(r.ok || r.code === 'PARLEY_ERR_CONV_CLOSED', JSON.stringify(r)).toBe(true)
      const stored = [...first, ...second].filter((r) => r.ok).length
      expect(erasure.counts.messages, `round ${round}`).toBe(2 + stored)
      const [left] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM messages WHERE brand_id = $1 AND conv_id = $2', [brandId, convId])
      expect(left!.n).toBe(0)
    }
  })
})
