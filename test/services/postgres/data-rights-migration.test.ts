import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Store } from '../../../server/src/store/store.js'
import { migrate } from '../../../server/src/store/postgres/migrate.js'
import { MIGRATIONS } from '../../../server/src/store/postgres/schema/index.js'
import { adminQuery, createTestDatabase, describeWithPostgres, openPostgresStore, SERVING_ROLE, type TestDatabase } from '../../helpers/postgres.js'

// Migration 6 (data rights) on a database that already served at version 5: conversations, visitors
// and customers keep their rows, become findable by the e-mail they carry, and start unerased,
// unheld, with no consent said.

describeWithPostgres('PostgreSQL migration 6 (data rights) on existing rows', () => {
  let db: TestDatabase
  let store: Store

  beforeAll(async () => {
    db = await createTestDatabase()
    await migrate({ ownerUrl: db.ownerUrl, servingRole: SERVING_ROLE, migrations: MIGRATIONS.slice(0, 5) })
    for (const sql of [
      `INSERT INTO brands (brand_id, name, site_key, created_at) VALUES ('b1', 'B1', 'site_b1', 10)`,
      `INSERT INTO visitors (brand_id, visitor_id, created_at, last_seen_at, visit_count, context) VALUES ('b1', 'v1', 10, 20, 2, '{"url": "https://shop.example/", "pagesViewed": 4}')`,
      `INSERT INTO conversations (brand_id, conv_id, visitor_id, status, created_at, closed_at, origin, contact)
        VALUES ('b1', 'c1', 'v1', 'closed', 10, 30, 'offline', '{"name": "Vera", "email": "Vera@Example.org"}')`,
      `INSERT INTO messages (brand_id, conv_id, seq, client_msg_id, sender_kind, sender_id, text, at) VALUES ('b1', 'c1', 1, 'm1', 'visitor', 'v1', 'hello there', 10)`,
      `INSERT INTO customers (brand_id, customer_id, visitor_id, name, email, verified_at) VALUES ('b1', 'cu1', 'v9', 'Cy', 'CY@example.org', 10)`,
    ]) await adminQuery(sql, [], db.ownerUrl)
    store = await openPostgresStore(db)
  })
  afterAll(async () => {
    await store?.close()
    await db?.drop()
  })

  it('keeps the conversations, their messages and visitors, unerased, unheld, with no consent said', async () => {
    expect(await store.listVisitorConversations('b1', ['v1'], null, 10)).toMatchObject([
      { convId: 'c1', status: 'closed', closedAt: 30, contact: { name: 'Vera', email: 'Vera@Example.org' }, erasedAt: null, legalHold: null },
    ])
    expect((await store.readMessages('b1', 'c1', 0, 10)).map((m) => m.text)).toEqual(['hello there'])
    expect(await store.getVisitor('b1', 'v1')).toEqual({
      brandId: 'b1', visitorId: 'v1', createdAt: 10, lastSeenAt: 20, visitCount: 2, context: { url: 'https://shop.example/', pagesViewed: 4 }, consent: null,
    })
  })

  it('finds the visitors of the e-mails stored before it, without case', async () => {
    expect(await store.findVisitorIds('b1', { email: 'vera@example.ORG' })).toEqual(['v1'])
    expect(await store.findVisitorIds('b1', { email: 'cy@example.org' })).toEqual(['v9'])
  })

  it('records the version', async () => {
    expect(await adminQuery<{ name: string }>('SELECT name FROM parley_schema_versions WHERE version = 6', [], db.adminUrl)).toEqual([{ name: 'data-rights' }])
  })
})
