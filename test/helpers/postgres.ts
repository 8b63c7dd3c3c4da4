import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, describe, it } from 'vitest'
import type { Store } from '../../server/src/store/store.js'
import { createPostgresStore, type PostgresStoreOptions } from '../../server/src/store/postgres/pg-store.js'

// Real PostgreSQL for the suites that need it: this machine's server (127.0.0.1:5432, trust auth,
// database `test`, user `postgres`, or PARLEY_TEST_PG_URL). Each suite gets a database of its own,
// owned by a non-superuser owner role, and the store serves as a second role that owns nothing, as
// in production (a superuser would bypass row-level security and prove nothing). In CI a missing
// server fails the suite; in a local run the suite is skipped and says so.

/** The superuser connection the helper administers databases and roles with. */
export const ADMIN_URL = process.env.PARLEY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

/** The owner role (migrations, owns every table) and the serving role (the relay) tests use. */
export const OWNER_ROLE = 'parley_test_owner'
export const SERVING_ROLE = 'parley_test_app'

async function probe(): Promise<string | null> {
  const c = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 })
  try {
    await c.connect()
    await c.query('SELECT 1')
    return null
  } catch (err) {
    return (err as Error).message
  } finally {
    await c.end().catch(() => {})
  }
}

/** Null when PostgreSQL answers; otherwise why not. */
export const POSTGRES_MISSING: string | null = await probe()

/**
 * `describe` when PostgreSQL answers; otherwise, in CI, a describe whose only test fails with the
 * reason, and locally a skipped describe with a visible message.
 */
export function describeWithPostgres(name: string, body: () => void): void {
  if (POSTGRES_MISSING === null) {
    describe(name, body)
    return
  }
  const why = `PostgreSQL is not reachable at ${ADMIN_URL} (${POSTGRES_MISSING}); start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`
  if (process.env.CI) {
    describe(name, () => { it('needs PostgreSQL', () => { throw new Error(why) }) })
    return
  }
  process.stderr.write(`\n[PostgreSQL tests skipped] ${name}: ${why}\n`)
  describe.skip(name, body)
}

/** Runs `sql` as the superuser. */
export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[], url = ADMIN_URL): Promise<R[]> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    return (await c.query<R>(sql, params)).rows
  } finally {
    await c.end()
  }
}

/** Creates a role unless it exists (several suites may race to create it: the loser's error is ignored). */
async function ensureRole(name: string, adminUrl: string): Promise<void> {
  try {
    await adminQuery(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${name}') THEN
        CREATE ROLE ${name} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
      END IF; END $$`, [], adminUrl)
  } catch (err) {
    const code = (err as { code?: string }).code
    if (code !== '23505' && code !== '42710') throw err
  }
}

/** A URL for `role` on `database` of the test server (or of the server `adminUrl` reaches). */
export function urlFor(role: string, database: string, adminUrl = ADMIN_URL): string {
  const u = new URL(adminUrl)
  u.username = role
  u.password = ''
  u.pathname = `/${database}`
  return u.toString()
}

/** A fresh database: owned by the owner role, reached as the serving role; `drop` removes it. */
export interface TestDatabase {
  name: string
  /** The serving role's URL (DATABASE_URL). */
  url: string
  /** The owner role's URL (PARLEY_DATABASE_OWNER_URL). */
  ownerUrl: string
  /** The superuser's URL on this database (for tests that look past RLS on purpose). */
  adminUrl: string
  drop(): Promise<void>
}

/**
 * Creates a database of its own for a suite (and the two roles, once per server), on the test server
 * or on the server `adminUrl` reaches as a superuser (a private one, test/helpers/postgres-instance.ts).
 */
export async function createTestDatabase(prefix = 'parley_t', adminUrl = ADMIN_URL): Promise<TestDatabase> {
  await ensureRole(OWNER_ROLE, adminUrl)
  await ensureRole(SERVING_ROLE, adminUrl)
  const name = `${prefix}_${randomBytes(6).toString('hex')}`
  await adminQuery(`CREATE DATABASE ${name} OWNER ${OWNER_ROLE}`, [], adminUrl)
  // The owner creates the schema's objects in public; nobody else may create anything there.
  await adminQuery(`REVOKE ALL ON SCHEMA public FROM PUBLIC; GRANT ALL ON SCHEMA public TO ${OWNER_ROLE}; ALTER SCHEMA public OWNER TO ${OWNER_ROLE}`, [], urlFor('postgres', name, adminUrl))
  return {
    name,
    url: urlFor(SERVING_ROLE, name, adminUrl),
    ownerUrl: urlFor(OWNER_ROLE, name, adminUrl),
    adminUrl: urlFor(new URL(adminUrl).username || 'postgres', name, adminUrl),
    async drop() { await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`, [], adminUrl) },
  }
}

/** Opens the PostgreSQL store on a test database, migrating it first. */
export async function openPostgresStore(db: TestDatabase, opts: Partial<PostgresStoreOptions> = {}): Promise<Store> {
  return createPostgresStore({ url: db.url, ownerUrl: db.ownerUrl, poolSize: 4, ...opts })
}

/** A suite's database and the stores open on it (`store` is the first of `nodes`). */
export interface PostgresSuite {
  db: TestDatabase
  store: Store
  nodes: Store[]
}

/**
 * A fresh database and `nodes` stores on it (each with a pool of its own, as relay nodes have),
 * opened before the suite's tests, closed and the database dropped after them; call inside the
 * suite's describe. The fields are set when its tests run.
 */
export function usePostgresStores(opts: Partial<PostgresStoreOptions> & { nodes?: number } = {}): PostgresSuite {
  const { nodes: count = 1, ...storeOpts } = opts
  let db: TestDatabase | undefined
  const nodes: Store[] = []
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the PostgreSQL suite is not set up: use its stores inside its tests')
    return value
  }
  beforeAll(async () => {
    db = await createTestDatabase()
    for (let i = 0; i < count; i++) nodes.push(await openPostgresStore(db, storeOpts))
  })
  afterAll(async () => {
    for (const node of nodes) await node.close()
    await db?.drop()
  })
  return {
    get db() { return started(db) },
    get store() { return started(nodes[0]) },
    nodes,
  }
}
