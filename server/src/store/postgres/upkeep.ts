import pg from 'pg'
import type { Store } from '../store.js'
import { storeError, type PgDb } from './db.js'

// The store's upkeep on PostgreSQL: the write probe, and what the masking command's clean-up
// (truncateWal, vacuum) means here.

type UpkeepMethods = Pick<Store, 'ping' | 'truncateWal' | 'vacuum'>

/** What upkeep needs beyond the serving pool. */
export interface UpkeepOptions {
  /** postgres://… of the owner role (the only role that may VACUUM FULL the tables); absent: vacuum refuses. */
  ownerUrl?: string | undefined
}

/**
 * Rewrites every table the owner role owns in `public` (VACUUM FULL cannot run in a transaction or a
 * function). Rejects with StoreUnavailableError when the database cannot be reached.
 */
async function vacuumFullAsOwner(ownerUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl })
  try {
    await client.connect()
  } catch (err) {
    throw storeError(err)
  }
  try {
    const tables = (await client.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables
      WHERE schemaname = 'public' AND tableowner = current_user ORDER BY tablename`)).rows
    // Identifiers read from the catalog, quoted: VACUUM takes no parameters.
    if (tables.length > 0) await client.query(`VACUUM (FULL) ${tables.map((t) => `public.${client.escapeIdentifier(t.name)}`).join(', ')}`)
  } catch (err) {
    throw storeError(err)
  } finally {
    await client.end().catch(() => {})
  }
}

/** The Store's upkeep methods over `db`. */
export function createUpkeep(db: PgDb, opts: UpkeepOptions): UpkeepMethods {
  return {
    async ping() {
      // A committed write (schema/002-tenancy.ts, parley_ping): fails on a full disk, a read-only
      // server (a standby, default_transaction_read_only) or a server that is down.
      await db.tx(null, (tx) => tx.run('SELECT parley_ping()'))
    },
    async truncateWal() {
      // The promise is that masked text does not outlive its masking in a log the store controls.
      // SQLite keeps old page images in its -wal file until a checkpoint truncates it; PostgreSQL has
      // no such file for the relay to empty: its WAL segments are recycled (overwritten) once a
      // checkpoint has passed them and no replica or archive still needs them, which PostgreSQL does
      // on its own (checkpoint_timeout, max_wal_size). Nothing is left for this call to wait for, so
      // it answers true. Archived WAL and replicas are the operator's to expire (docs/operations.md).
      return true
    },
    async vacuum() {
      // The contract asks for a rebuild that leaves no freed space holding old bytes: VACUUM FULL,
      // which rewrites each table into new files. Only a table's owner may run it, and the serving
      // role owns nothing (by design: pg-store.ts refuses one that does), so it runs as the owner
      // role when the store was given its URL. Without it, the honest answer is a refusal that says
      // what to do, never a silent success that leaves the old text on disk. A row version that a
      // transaction still running anywhere on the server might see (one older than the rewrite) is
      // copied too: PostgreSQL keeps it until that transaction ends, so run this when none is long.
      if (!opts.ownerUrl) {
        throw new Error('PostgreSQL store: VACUUM FULL needs the owner role; start with PARLEY_DATABASE_OWNER_URL, or run VACUUM FULL as the owner')
      }
      await vacuumFullAsOwner(opts.ownerUrl)
    },
  }
}
