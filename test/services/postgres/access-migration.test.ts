import { afterAll, beforeAll, expect, it } from 'vitest'
import { ALL_SCOPES } from '@parley/sdk/contract'
import type { Store } from '../../../server/src/store/store.js'
import { migrate } from '../../../server/src/store/postgres/migrate.js'
import { MIGRATIONS } from '../../../server/src/store/postgres/schema/index.js'
import { adminQuery, createTestDatabase, describeWithPostgres, openPostgresStore, SERVING_ROLE, type TestDatabase } from '../../helpers/postgres.js'

// Migration 5 on a database that already served: accounts made before roles existed become supervisors
// (what they could see before; the bootstrap key names admins), and each brand's one key becomes its bootstrap key with
// every scope, found by its hash as before.

describeWithPostgres('PostgreSQL migration 5 (access) on existing rows', () => {
  let db: TestDatabase
  let store: Store

  beforeAll(async () => {
    db = await createTestDatabase()
    await migrate({ ownerUrl: db.ownerUrl, servingRole: SERVING_ROLE, migrations: MIGRATIONS.slice(0, 4) })
    for (const sql of [
      `INSERT INTO brands (brand_id, name, site_key, created_at) VALUES ('b1', 'B1', 'site_b1', 10)`,
      `INSERT INTO api_keys (key_hash, brand_id, created_at) VALUES ('0123456789abcdef0123456789abcdef', 'b1', 10)`,
      `INSERT INTO agents (brand_id, agent_id, email, name, password_hash, created_at) VALUES ('b1', 'a1', 'a1@x.example', 'A1', 'h', 10)`,
    ]) await adminQuery(sql, [], db.ownerUrl)
    store = await openPostgresStore(db)
  })
  afterAll(async () => {
    await store?.close()
    await db?.drop()
  })

  it('makes accounts that existed before it supervisors, active', async () => {
    expect(await store.getAgent('b1', 'a1')).toMatchObject({ role: 'supervisor', active: true })
  })

  it('makes new accounts plain agents unless a role is given', async () => {
    const made = await store.createAgent({ brandId: 'b1', agentId: 'a2', email: 'a2@x.example', name: 'A2', passwordHash: 'h', createdAt: 20 })
    expect(made).toMatchObject({ role: 'agent', active: true })
    const [row] = await adminQuery<{ role: string }>(`SELECT column_default AS role FROM information_schema.columns
      WHERE table_name = 'agents' AND column_name = 'role'`, [], db.adminUrl)
    expect(row!.role).toContain('agent')
  })

  it("turns the brand's one key into its bootstrap key with every scope, found by its hash", async () => {
    expect(await store.findApiKey('0123456789abcdef0123456789abcdef')).toEqual({
      brandId: 'b1', keyId: 'k_0123456789abcdef012345', name: 'bootstrap', scopes: [...ALL_SCOPES], keyHash: '0123456789abcdef0123456789abcdef',
      prefix: 'sk_', createdAt: 10, lastUsedAt: null, expiresAt: null, revokedAt: null, createdBy: 'cli', replacedBy: null,
    })
    expect((await store.listApiKeys('b1')).map((k) => k.keyId)).toEqual(['k_0123456789abcdef012345'])
  })

  it('refuses a role outside the three', async () => {
    await expect(adminQuery(`UPDATE agents SET role = 'owner' WHERE agent_id = 'a1'`, [], db.ownerUrl)).rejects.toMatchObject({ code: '23514' })
  })
})
