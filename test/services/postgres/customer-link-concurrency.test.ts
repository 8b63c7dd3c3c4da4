import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { AppendRequest, Store } from '../../../server/src/store/store.js'
import { describeWithPostgres, usePostgresStores } from '../../helpers/postgres.js'

// A customer identifying on a second device while that device's visitor is still sending, on two
// nodes: every visitor message must end up naming its conversation's visitor, whichever commits
// first (a message left naming the old visitor in a moved conversation would be nobody's).

const ROUNDS = 10
const T = 1_000_000
const id = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`

describeWithPostgres('PostgreSQL store: customer links racing appends on two nodes', () => {
  let nodes: [Store, Store]
  let admin: pg.Client
  const suite = usePostgresStores({ nodes: 2 })
  beforeAll(async () => {
    nodes = suite.nodes as [Store, Store]
    admin = new pg.Client({ connectionString: suite.db.adminUrl })
    await admin.connect()
  })
  afterAll(async () => {
    await admin?.end()
  })

  it("leaves every visitor message naming its conversation's visitor", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const brandId = id('b_')
      await nodes[0].createBrand({ brandId, name: 'B', siteKey: id('s_'), allowedOrigins: [], apiKeyHash: id('h_'), createdAt: T })
      await nodes[0].linkCustomer({ brandId, customerId: 'cu', visitorId: 'anon', newVisitorId: 'home', convIds: [], name: null, email: null, at: T })
      const say = (convId: string, n: number): AppendRequest => ({
        brandId, convId, clientMsgId: `m${n}`, from: { kind: 'visitor', id: 'phone' }, text: 'hi', at: T + n, context: null,
      })
      await nodes[1].appendMessages([say('c1', 0), say('c2', 1)])
      const [linked] = await Promise.all([
        nodes[0].linkCustomer({ brandId, customerId: 'cu', visitorId: 'phone', newVisitorId: 'unused', convIds: ['c1', 'c2'], name: null, email: null, at: T + 5 }),
        nodes[1].appendMessages([say('c1', 2), say('c2', 3)]),
        nodes[1].appendMessages([say('c1', 4)]),
      ])
      expect(linked.moved).toBe(2)
      const stray = await admin.query(`SELECT m.conv_id, m.seq FROM messages m JOIN conversations c USING (brand_id, conv_id)
        WHERE m.brand_id = $1 AND m.sender_kind = 'visitor' AND m.sender_id <> c.visitor_id`, [brandId])
      expect(stray.rows).toEqual([])
      const left = await admin.query(`SELECT 1 FROM participants WHERE brand_id = $1 AND kind = 'visitor' AND participant_id = 'phone'`, [brandId])
      expect(left.rows).toEqual([])
    }
  })
})
