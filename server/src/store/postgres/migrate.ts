import pg from 'pg'
import { MIGRATIONS, type Migration } from './schema/index.js'
import { APPEND_ONLY_TABLES } from './schema/005-access.js'
import { storeError } from './db.js'
import { connectFailure } from './connect-failure.js'

// Brings the schema to this relay's version at start-up. Several nodes may start at once: each
// takes one advisory lock first, so one migrates while the others wait, then find nothing to do.
// Migrations run as the owner role (PARLEY_DATABASE_OWNER_URL), which owns every table; the serving
// role is granted rows, never ownership, so it can neither drop a policy nor turn RLS off.

/** The advisory lock key of Parley's migrations (any constant; two relays share it). */
const MIGRATION_LOCK = 0x70_61_72_6c // "parl"

/** The table that records applied versions. */
const VERSIONS_TABLE = 'parley_schema_versions'

/** Options of a migration run. */
export interface MigrateOptions {
  /** postgres://… of the owner role. */
  ownerUrl: string
  /** The role the relay serves as (granted rows of every table and EXECUTE on the functions). */
  servingRole: string
  /** The migrations to apply (default: MIGRATIONS; tests pass a prefix). */
  migrations?: readonly Migration[]
}

/**
 * Applies the missing migrations; resolves the versions applied now ([] when none was missing).
 * Rejects with StoreUnavailableError when the database cannot be reached (db.ts storeError); a
 * failed connection names PARLEY_DATABASE_OWNER_URL, where `ownerUrl` comes from.
 */
export async function migrate(opts: MigrateOptions): Promise<number[]> {
  const client = new pg.Client({ connectionString: opts.ownerUrl })
  // A client that was never connected must not be ended: end() would wait for a connection.
  try {
    await client.connect()
  } catch (err) {
    throw connectFailure(err, 'PARLEY_DATABASE_OWNER_URL', opts.ownerUrl)
  }
  try {
    return await migrateLocked(client, opts)
  } catch (err) {
    throw storeError(err)
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {})
    await client.end().catch(() => {})
  }
}

async function migrateLocked(client: pg.Client, opts: MigrateOptions): Promise<number[]> {
  const migrations = opts.migrations ?? MIGRATIONS
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK])
  await client.query(`CREATE TABLE IF NOT EXISTS ${VERSIONS_TABLE} (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`)
  const done = new Set((await client.query<{ version: number }>(`SELECT version FROM ${VERSIONS_TABLE}`)).rows.map((r) => r.version))
  const newest = Math.max(0, ...done)
  const known = migrations.at(-1)?.version ?? 0
  if (newest > known) throw new Error(`database schema version ${newest} is newer than this relay (${known})`)
  const applied: number[] = []
  for (const m of migrations) {
    if (done.has(m.version)) continue
    await applyMigration(client, m)
    applied.push(m.version)
  }
  await grant(client, opts.servingRole)
  return applied
}

/** Runs one migration in a transaction of its own, recording its version. */
async function applyMigration(client: pg.Client, m: Migration): Promise<void> {
  await client.query('BEGIN')
  try {
    await client.query(m.sql)
    await client.query(`INSERT INTO ${VERSIONS_TABLE} (version, name) VALUES ($1, $2)`, [m.version, m.name])
    await client.query('COMMIT')
  } catch (err) {
    // A ROLLBACK that fails too (the connection is gone) must not hide why the migration failed.
    await client.query('ROLLBACK').catch(() => {})
    if (storeError(err) !== err) throw err
    throw new Error(`PostgreSQL migration ${m.version} (${m.name}) failed: ${(err as Error).message}`, { cause: err })
  }
}

/**
 * Grants the serving role rows (never ownership) of every table, and the schema's functions; and
 * takes from it (and from PUBLIC, which it is a member of) the right to create anything: an object
 * of its own in public, or a temporary table, could stand in for one of ours where a name is looked
 * up. pg-store.ts refuses to serve as a role that may still create in public. Revoking needs the
 * schema's and the database's owner (the owner role in docs/operations.md); short of that,
 * PostgreSQL only warns.
 */
async function grant(client: pg.Client, role: string): Promise<void> {
  const r = client.escapeIdentifier(role)
  const here = (await client.query<{ db: string; me: string }>('SELECT current_database() AS db, current_user AS me')).rows[0]!
  // A serving role that is the owner itself (pg-store.ts then refuses to serve) keeps its rights:
  // taking them would leave no role to migrate with.
  const from = here.me === role ? 'PUBLIC' : `PUBLIC, ${r}`
  // The blanket grant below gives every table's rows; an append-only table (the audit log) keeps
  // only INSERT and SELECT, taken back in the same statement list (one implicit transaction), so no
  // moment passes in which the serving role may rewrite or delete an entry. A run with a prefix of
  // the migrations (tests) may not have created the table yet. The owner serving itself keeps them:
  // parley_purge_audit deletes with the owner's rights.
  const appendOnly = here.me === role ? [] : (await client.query<{ t: string }>('SELECT t FROM unnest($1::text[]) AS t WHERE to_regclass(\'public.\' || t) IS NOT NULL',
    [APPEND_ONLY_TABLES])).rows.map((row) => `REVOKE UPDATE, DELETE, TRUNCATE ON ${client.escapeIdentifier(row.t)} FROM ${r};`)
  await client.query(`
    REVOKE CREATE ON SCHEMA public FROM ${from};
    REVOKE TEMPORARY ON DATABASE ${client.escapeIdentifier(here.db)} FROM ${from};
    GRANT USAGE ON SCHEMA public TO ${r};
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r};
    REVOKE ALL ON ${VERSIONS_TABLE} FROM ${r};
    GRANT SELECT ON ${VERSIONS_TABLE} TO ${r};
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r};
    GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO ${r};
    ${appendOnly.join('\n    ')}
  `)
}

/** The newest schema version this relay knows. */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0
