import pg from 'pg'
import { MIGRATIONS, type Migration } from './schema/index.js'

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

/** Applies the missing migrations; resolves the versions applied now ([] when none was missing). */
export async function migrate(opts: MigrateOptions): Promise<number[]> {
  const migrations = opts.migrations ?? MIGRATIONS
  const client = new pg.Client({ connectionString: opts.ownerUrl })
  await client.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK])
    await client.query(`CREATE TABLE IF NOT EXISTS ${VERSIONS_TABLE} (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`)
    const done = new Set((await client.query<{ version: number }>(`SELECT version FROM ${VERSIONS_TABLE}`)).rows.map((r) => r.version))
    const newest = Math.max(0, ...done)
    const known = migrations.at(-1)?.version ?? 0
    if (newest > known) throw new Error(`database schema version ${newest} is newer than this relay (${known})`)
    const applied: number[] = []
    for (const m of migrations) {
      if (done.has(m.version)) continue
      await client.query('BEGIN')
      try {
        await client.query(m.sql)
        await client.query(`INSERT INTO ${VERSIONS_TABLE} (version, name) VALUES ($1, $2)`, [m.version, m.name])
        await client.query('COMMIT')
      } catch (err) {
        await client.query('ROLLBACK')
        throw new Error(`PostgreSQL migration ${m.version} (${m.name}) failed: ${(err as Error).message}`, { cause: err })
      }
      applied.push(m.version)
    }
    await grant(client, opts.servingRole)
    return applied
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {})
    await client.end()
  }
}

/** Grants the serving role rows (never ownership) of every table, and the schema's functions. */
async function grant(client: pg.Client, role: string): Promise<void> {
  const r = client.escapeIdentifier(role)
  await client.query(`
    GRANT USAGE ON SCHEMA public TO ${r};
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r};
    REVOKE ALL ON ${VERSIONS_TABLE} FROM ${r};
    GRANT SELECT ON ${VERSIONS_TABLE} TO ${r};
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r};
    GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO ${r};
  `)
}

/** The newest schema version this relay knows. */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0
