import { beforeAll, describe, expect, it } from 'vitest'
import type { Store } from '../../../server/src/store/store.js'
import { createPostgresStore } from '../../../server/src/store/postgres/pg-store.js'
import { until } from '../../helpers/until.js'
import { adminQuery, createTestDatabase, describeWithPostgres, openPostgresStore, type TestDatabase, usePostgresStores } from '../../helpers/postgres.js'

// What the tenancy part of the PostgreSQL store does that the contract suite cannot see: claims
// raced from two relay nodes, a ping that really commits, and a vacuum that really rewrites.

const DAY = 24 * 60 * 60 * 1000
const LEASE = 5 * 60 * 1000

describeWithPostgres('PostgreSQL tenancy: two nodes, ping and vacuum', () => {
  let db: TestDatabase
  let nodeA: Store
  let nodeB: Store
  let n = 0
  const suite = usePostgresStores({ nodes: 2 })
  beforeAll(() => {
    db = suite.db
    ;[nodeA, nodeB] = suite.nodes as [Store, Store]
  })

  const newBrand = async (name: string) => {
    const brandId = `b_${++n}`
    return nodeA.createBrand({ brandId, name, siteKey: `site_${brandId}`, allowedOrigins: [], apiKeyHash: `key_${brandId}`, createdAt: 1 })
  }

  describe('Idempotency-Keys claimed from two nodes at once', () => {
    it('lets exactly one of many simultaneous claims of a new key win', async () => {
      const s = { brandId: `b_${++n}`, caller: 'brand' }
      const claims = await Promise.all(Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? nodeA : nodeB).claimIdempotencyKey(s, 'k', `fp${i}`, 1000 + i, 0, 0)))
      expect(claims.filter((c) => c.claimed)).toHaveLength(1)
      const losers = claims.filter((c) => !c.claimed)
      // Every loser saw the winner's record: one fingerprint among them.
      expect(new Set(losers.map((c) => !c.claimed && c.record.fingerprint)).size).toBe(1)
    })

    it('lets exactly one of many simultaneous claims replace an abandoned key', async () => {
      const t = 10 * DAY
      const later = t + LEASE
      // Many keys at once, so the claims really overlap: each key has one winner.
      const scopes = Array.from({ length: 20 }, () => ({ brandId: `b_${++n}`, caller: 'agent:a1' }))
      await Promise.all(scopes.map((s) => nodeA.claimIdempotencyKey(s, 'k', 'first', t, t - DAY, t - LEASE)))
      const rounds = await Promise.all(scopes.map((s) => Promise.all(Array.from({ length: 6 }, (_, i) =>
        (i % 2 ? nodeA : nodeB).claimIdempotencyKey(s, 'k', `retry${i}`, later, later - DAY, later - LEASE)))))
      expect(rounds.map((claims) => claims.filter((c) => c.claimed).length)).toEqual(scopes.map(() => 1))
      expect(rounds.flat().every((c) => c.claimed || (c.record.fingerprint.startsWith('retry') && c.record.createdAt === later))).toBe(true)
    })
  })

  describe('ping', () => {
    it('commits a write each time', async () => {
      const writes = async () => (await adminQuery<{ w: number }>('SELECT writes::int AS w FROM store_probe', [], db.adminUrl))[0]!.w
      const before = await writes()
      await nodeA.ping()
      await nodeB.ping()
      expect(await writes()).toBe(before + 2)
    })

    it('fails while the database accepts no writes, and answers again once it does', async () => {
      const rdb = await createTestDatabase()
      const store = await openPostgresStore(rdb)
      try {
        await store.ping()
        await adminQuery(`ALTER DATABASE ${rdb.name} SET default_transaction_read_only = on`)
        // The setting applies to new sessions: end the pool's, so it opens read-only ones.
        await adminQuery('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [rdb.name])
        await expect(retryOnce(() => store.ping())).rejects.toMatchObject({ code: '25006' })
        await adminQuery(`ALTER DATABASE ${rdb.name} RESET default_transaction_read_only`)
        await adminQuery('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [rdb.name])
        await expect(retryOnce(() => store.ping())).resolves.toBeUndefined()
      } finally {
        await store.close()
        await rdb.drop()
      }
    })
  })

  describe('vacuum', () => {
    it('leaves no old text in the table file once it ran as the owner', async () => {
      const brand = await newBrand('SECRET-OLD-NAME-4711')
      await nodeA.updateBrand(brand.brandId, { name: 'renamed' })
      const holdsOld = async () => {
        await adminQuery('CHECKPOINT', [], db.adminUrl)
        const [file] = await adminQuery<{ bytes: Buffer }>("SELECT pg_read_binary_file(pg_relation_filepath('brands')) AS bytes", [], db.adminUrl)
        return file!.bytes.includes('SECRET-OLD-NAME-4711')
      }
      expect(await holdsOld()).toBe(true)
      // A transaction older than the rename, anywhere on the server (other suites share it), makes
      // PostgreSQL keep the old row version: wait until every such transaction has ended.
      const now = (await adminQuery<{ now: string }>('SELECT pg_current_xact_id()::text AS now', [], db.adminUrl))[0]!.now
      await until(async () => (await adminQuery<{ ok: boolean }>('SELECT pg_snapshot_xmin(pg_current_snapshot()) > $1::xid8 AS ok', [now], db.adminUrl))[0]!.ok,
        'the transactions older than the rename to end', 50_000)
      await nodeA.vacuum()
      expect(await holdsOld()).toBe(false)
      expect(await nodeB.getBrand(brand.brandId)).toMatchObject({ name: 'renamed' })
    })

    it('refuses, saying why, when the store has no owner URL', async () => {
      const store = await createPostgresStore({ url: db.url, poolSize: 1 })
      try {
        await expect(store.vacuum()).rejects.toThrow(/VACUUM FULL needs the owner role/)
        expect(await store.truncateWal()).toBe(true)
      } finally {
        await store.close()
      }
    })
  })
})

/**
 * Runs `fn`, and once more if it failed because a pooled connection was cut (the test terminated
 * the backends): the store reports that as unavailable, and the next call gets a new connection.
 */
async function retryOnce<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    if ((err as Error).name !== 'StoreUnavailableError') throw err
    return fn()
  }
}
