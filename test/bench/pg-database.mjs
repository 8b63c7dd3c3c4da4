import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import pg from 'pg'

// A PostgreSQL database of its own for one benchmark target, set up as test/helpers/postgres.ts
// sets up a test database: owned by a non-superuser owner role (migrations), served as a second
// role that owns nothing (the relay), so row-level security applies as in production. The roles
// are the benchmark's own, so a run never touches the test suites' roles or databases.

/** The superuser connection that creates and drops the benchmark's database and roles. */
export const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? process.env.PARLEY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
export const OWNER_ROLE = 'parley_bench_owner'
export const SERVING_ROLE = 'parley_bench_app'
const CONNECT_TIMEOUT_MS = 2000
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** Runs `sql` as the superuser on `url` (the admin URL, or the same server's other database). */
export async function adminQuery(sql, params = [], url = PG_ADMIN_URL) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS })
  await client.connect()
  try {
    return (await client.query(sql, params)).rows
  } finally {
    await client.end().catch(() => {})
  }
}

/** `url` with another role and database (no password: the benchmark's server trusts local roles). */
export function urlFor(role, database, url = PG_ADMIN_URL) {
  const u = new URL(url)
  u.username = role
  u.password = ''
  u.pathname = `/${database}`
  return u.toString()
}

/**
 * Creates a fresh database (and the two roles, once per server); resolves with its serving URL
 * (DATABASE_URL), owner URL (PARLEY_DATABASE_OWNER_URL), superuser URL, `drop()` and `dropSync()`
 * (for exit handlers, which cannot await). Rejects with a one-line reason when PostgreSQL does not
 * answer.
 */
export async function createBenchDatabase(prefix = 'parley_bench') {
  try {
    await adminQuery('SELECT 1')
  } catch (err) {
    throw new Error(`PostgreSQL is not reachable at ${redact(PG_ADMIN_URL)} (${err.message}); set BENCH_PG_URL to a superuser URL`)
  }
  await ensureRole(OWNER_ROLE)
  await ensureRole(SERVING_ROLE)
  const name = `${prefix}_${randomBytes(5).toString('hex')}`
  await adminQuery(`CREATE DATABASE ${name} OWNER ${OWNER_ROLE}`)
  const adminUrl = urlFor(new URL(PG_ADMIN_URL).username || 'postgres', name)
  const drop = () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  try {
    // The owner creates the schema's objects in public; nobody else may create anything there.
    await adminQuery(`REVOKE ALL ON SCHEMA public FROM PUBLIC; GRANT ALL ON SCHEMA public TO ${OWNER_ROLE}; ALTER SCHEMA public OWNER TO ${OWNER_ROLE}`, [], adminUrl)
  } catch (err) {
    await drop().catch(() => {})
    throw err
  }
  return {
    name,
    url: urlFor(SERVING_ROLE, name),
    ownerUrl: urlFor(OWNER_ROLE, name),
    adminUrl,
    drop,
    dropSync: () => dropDatabaseSync(name),
  }
}

// Roles are per server; two runs racing to create one is fine (the loser's error is ignored).
async function ensureRole(name) {
  try {
    await adminQuery(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${name}') THEN
        CREATE ROLE ${name} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
      END IF; END $$`)
  } catch (err) {
    if (err.code !== '23505' && err.code !== '42710') throw err
  }
}

// Exit handlers run synchronously, so the drop runs in a short child process of its own.
function dropDatabaseSync(name) {
  const script = `import pg from 'pg'
const c = new pg.Client({ connectionString: process.env.BENCH_DROP_URL, connectionTimeoutMillis: 2000 })
await c.connect()
await c.query('DROP DATABASE IF EXISTS ${name} WITH (FORCE)')
await c.end()`
  spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: REPO_ROOT, env: { ...process.env, BENCH_DROP_URL: PG_ADMIN_URL }, stdio: 'ignore', timeout: 10_000,
  })
}

function redact(url) {
  const u = new URL(url)
  if (u.password) u.password = '***'
  return u.toString()
}
