import pg from 'pg'
import { beforeAll, expect, it } from 'vitest'
import { StoreUnavailableError } from '../../../server/src/store/store-errors.js'
import { PgDb } from '../../../server/src/store/postgres/db.js'
import { createPostgresStore } from '../../../server/src/store/postgres/pg-store.js'
import { adminQuery, createTestDatabase, describeWithPostgres, type TestDatabase, usePostgresStores } from '../../helpers/postgres.js'
import { until } from '../../helpers/until.js'

// What the PostgreSQL store throws when the database is not there, or is busy: the typed, retryable
// StoreUnavailableError (PARLEY_ERR_SERVER_STORE), never an untyped error or a wrong diagnosis.

/** A URL nothing listens on (connection refused). */
const DOWN_URL = 'postgres://nobody@127.0.0.1:1/parley'

describeWithPostgres('PostgreSQL store errors', () => {
  const suite = usePostgresStores()
  let db: TestDatabase
  const brandId = 'brand_errors'
  beforeAll(async () => {
    db = suite.db
    await suite.store.createBrand({ brandId, name: 'Errors', siteKey: 'site_errors', allowedOrigins: [], apiKeyHash: 'key_errors', createdAt: 1 })
  })

  it('answers a database that is down at start-up as unavailable, not as an unmigrated schema', async () => {
    await expect(createPostgresStore({ url: DOWN_URL, connectTimeoutMs: 1000 })).rejects.toBeInstanceOf(StoreUnavailableError)
  })

  it('answers an owner URL that is down at start-up as unavailable', async () => {
    await expect(createPostgresStore({ url: db.url, ownerUrl: DOWN_URL, poolSize: 2 })).rejects.toBeInstanceOf(StoreUnavailableError)
  })

  it('still says how to migrate when the schema is missing', async () => {
    const fresh = await createTestDatabase()
    try {
      await expect(createPostgresStore({ url: fresh.url, poolSize: 2 })).rejects.toThrow(/schema is at version 0, .*PARLEY_DATABASE_OWNER_URL/)
    } finally {
      await fresh.drop()
    }
  })

  it('answers a lock wait past lock_timeout as unavailable, and serves again once the lock is gone', async () => {
    const pgDb = new PgDb({ url: db.url, poolSize: 1, lockTimeoutMs: 100 })
    const holder = new pg.Client({ connectionString: db.adminUrl })
    await holder.connect()
    try {
      await holder.query('BEGIN')
      await holder.query('SELECT 1 FROM brands WHERE brand_id = $1 FOR UPDATE', [brandId])
      const locked = pgDb.tx(brandId, (tx) => tx.one('SELECT 1 FROM brands WHERE brand_id = $1 FOR UPDATE', [brandId]))
      await expect(locked).rejects.toBeInstanceOf(StoreUnavailableError)
      await expect(locked).rejects.toMatchObject({ cause: { code: '55P03' } })
      await holder.query('ROLLBACK')
      expect(await pgDb.tx(brandId, (tx) => tx.one('SELECT 1 AS one FROM brands WHERE brand_id = $1 FOR UPDATE', [brandId]))).toEqual({ one: 1 })
    } finally {
      await holder.end()
      await pgDb.close()
    }
  })

  it('answers an advisory lock wait past lock_timeout as unavailable', async () => {
    const pgDb = new PgDb({ url: db.url, poolSize: 1, lockTimeoutMs: 100 })
    const holder = new pg.Client({ connectionString: db.adminUrl })
    await holder.connect()
    try {
      await holder.query('SELECT pg_advisory_lock(42)')
      await expect(pgDb.tx(brandId, (tx) => tx.run('SELECT pg_advisory_xact_lock(42)'))).rejects.toBeInstanceOf(StoreUnavailableError)
    } finally {
      await holder.end()
      await pgDb.close()
    }
  })

  it('answers a statement cancelled by statement_timeout as unavailable', async () => {
    const pgDb = new PgDb({ url: db.url, poolSize: 1, statementTimeoutMs: 100, lockTimeoutMs: 50 })
    try {
      const slow = pgDb.tx(null, (tx) => tx.run('SELECT pg_sleep(2)'))
      await expect(slow).rejects.toBeInstanceOf(StoreUnavailableError)
      await expect(slow).rejects.toMatchObject({ cause: { code: '57014' } })
    } finally {
      await pgDb.close()
    }
  })

  it('reports an idle connection the server closed to onError, and serves on', async () => {
    const errors: Error[] = []
    const pgDb = new PgDb({ url: db.url, poolSize: 1, onError: (err) => errors.push(err) })
    try {
      const pid = await pgDb.tx(null, (tx) => tx.one<{ pid: number }>('SELECT pg_backend_pid() AS pid'))
      await adminQuery('SELECT pg_terminate_backend($1)', [pid!.pid], db.adminUrl)
      await until(() => errors.length > 0, 'the pool error')
      expect(pgDb.poolErrors).toBe(1)
      expect(await pgDb.tx(null, (tx) => tx.one('SELECT 1 AS one'))).toEqual({ one: 1 })
    } finally {
      await pgDb.close()
    }
  })
})
