import { createLedgerMarks } from './ledger-marks.js'
import { createRetention } from './retention.js'
import type pg from 'pg'
import type { Store } from '../store.js'
import { PgDb, storeError, type PgDbOptions } from './db.js'
import { migrate, SCHEMA_VERSION } from './migrate.js'
import { connectFailure } from './connect-failure.js'
import { createTenancy } from './tenancy.js'
import { createConversations } from './conversations.js'
import { createMessages } from './messages.js'
import { createListing } from './listing.js'
import { createAgentsDay } from './agents-day.js'
import { createAccess } from './access.js'
import { createWebhooks } from './webhooks.js'
import { createErasureRequests } from './erasure-requests.js'
import { createVisitorData } from './visitor-data.js'

// The production store: PostgreSQL, for one relay node or several. Every method runs in a
// transaction that names its brand (db.ts), so row-level security keeps each brand's rows apart in
// the database itself; the rules of who may see and write a conversation come from the one policy
// module (policy/conversation-policy.ts), asked inside those transactions, as the SQLite store does.

/** How the PostgreSQL store starts. */
export interface PostgresStoreOptions extends PgDbOptions {
  /**
   * postgres://… of the owner role. Given: the schema is migrated at start-up (safe when several
   * nodes start at once). Left out: the schema must already be at this relay's version.
   */
  ownerUrl?: string
  /**
   * Accept a serving role that bypasses row-level security (a superuser, BYPASSRLS, or the tables'
   * owner). Never in production: tenant isolation then rests on the relay's queries alone.
   */
  allowUnsafeRole?: boolean
  /** Hears that this start migrated the schema, from version `from` (0: an empty database) to `to`. */
  onMigrated?: (from: number, to: number) => void
}

/** Why the serving role would see past row-level security, or could undermine it; null when neither. */
async function unsafeRole(db: PgDb): Promise<string | null> {
  const row = await poolRow<{ role: string; rolsuper: boolean; rolbypassrls: boolean; owns: number; creates: boolean }>(db, `
    SELECT current_user AS role, r.rolsuper, r.rolbypassrls,
      (SELECT count(*)::int FROM pg_tables t WHERE t.schemaname = 'public' AND pg_has_role(current_user, t.tableowner, 'MEMBER')) AS owns,
      has_schema_privilege(current_user, 'public', 'CREATE') AS creates
    FROM pg_roles r WHERE r.rolname = current_user`)
  if (!row) return 'the serving role is unknown'
  if (row.rolsuper) return `role ${row.role} is a superuser`
  if (row.rolbypassrls) return `role ${row.role} has BYPASSRLS`
  if (row.owns > 0) return `role ${row.role} owns (or is a member of the owner of) the tables`
  // A table or function of its own in public could stand in for one of ours where a name is looked up.
  if (row.creates) return `role ${row.role} may create objects in schema public`
  return null
}

/** The first row of a query outside any transaction (start-up checks); StoreUnavailableError when unreachable. */
async function poolRow<R extends pg.QueryResultRow>(db: PgDb, sql: string): Promise<R | undefined> {
  try {
    return (await db.pool.query<R>(sql)).rows[0]
  } catch (err) {
    throw storeError(err)
  }
}

/**
 * The serving role's name, as DATABASE_URL names it (or the pool's default user): the first query,
 * so a failed connection says so (and where), rather than passing for an unmigrated schema.
 */
async function servingRole(db: PgDb, url: string): Promise<string> {
  try {
    return (await db.pool.query<{ role: string }>('SELECT current_user AS role')).rows[0]!.role
  } catch (err) {
    throw connectFailure(err, 'DATABASE_URL', url)
  }
}

/** The schema version the database is at: 0 before the first migration (no versions table yet). */
async function schemaVersion(db: PgDb): Promise<number> {
  try {
    return (await db.pool.query<{ v: number | null }>('SELECT max(version) AS v FROM parley_schema_versions')).rows[0]?.v ?? 0
  } catch (err) {
    if ((err as { code?: unknown }).code === UNDEFINED_TABLE) return 0
    throw storeError(err)
  }
}

/** SQLSTATE undefined_table. */
const UNDEFINED_TABLE = '42P01'

/** Opens the PostgreSQL store: migrates (with `ownerUrl`), checks the serving role, and serves. */
export async function createPostgresStore(opts: PostgresStoreOptions): Promise<Store> {
  const db = new PgDb(opts)
  try {
    const role = await servingRole(db, opts.url)
    const applied = opts.ownerUrl ? await migrate({ ownerUrl: opts.ownerUrl, servingRole: role }) : []
    const version = await schemaVersion(db)
    // Migrations apply in order from the first missing one, so the schema was one below it.
    if (applied.length > 0) opts.onMigrated?.(Math.min(...applied) - 1, version)
    if (version !== SCHEMA_VERSION) {
      throw new Error(`PostgreSQL schema is at version ${version}, this relay needs ${SCHEMA_VERSION}: start it with PARLEY_DATABASE_OWNER_URL to migrate`)
    }
    const unsafe = opts.allowUnsafeRole ? null : await unsafeRole(db)
    if (unsafe) {
      throw new Error(`DATABASE_URL's ${unsafe}, so row-level security would not apply: serve as a role that owns nothing and may create nothing (docs/operations.md#two-roles-and-why)`)
    }
  } catch (err) {
    await db.close()
    throw err
  }
  return {
    ...createTenancy(db, { ownerUrl: opts.ownerUrl }),
    ...createConversations(db),
    ...createMessages(db),
    ...createListing(db),
    ...createAgentsDay(db),
    ...createAccess(db),
    ...createVisitorData(db),
    ...createRetention(db),
    ...createErasureRequests(db),
    ...createWebhooks(db),
    ...createLedgerMarks(db),
    async close() { await db.close() },
  }
}
