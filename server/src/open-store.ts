import type { Store } from './store/store.js'
import type { StoreSettings } from './config.js'
import { databaseFile } from './data-dir.js'
import { createSqliteStore } from './store/sqlite/sqlite-store.js'
import { createRelaySqliteStore, type StoreThread } from './store/sqlite/worker-store.js'

// Opens the store the configuration names: the SQLite file in the data directory, or PostgreSQL
// (DATABASE_URL). The relay and the one-shot admin commands (`parley brand create` …) open the same
// store, so an admin command reaches the database every node serves from. The PostgreSQL store and
// its driver load only when named: on SQLite they would hold about 4 MB of heap and 15 MB of
// resident memory for nothing (test/bench/README.md, "Loading PostgreSQL and Redis only when used").

/** How the SQLite store runs; ignored on PostgreSQL. */
export interface SqliteTuning {
  synchronous: 'FULL' | 'NORMAL'
  storeThread: StoreThread
}

/** A one-shot command needs a connection or two, not the relay's pool. */
const ADMIN_POOL_SIZE = 2

/** What the opener hears about a PostgreSQL store. */
export interface StoreEvents {
  /** Each pooled connection the server closed while idle (the pool opens a new one). */
  onPoolError?: (err: Error) => void
  /** This start migrated the schema from version `from` to `to`. */
  onMigrated?: (from: number, to: number) => void
}

/** Opens the store for the relay (`forRelay`) or for a one-shot admin command. */
export async function openStore(settings: StoreSettings, dataDir: string, tuning: SqliteTuning, forRelay: boolean,
  events: StoreEvents = {}): Promise<Store> {
  if (settings.kind === 'postgres') {
    const { createPostgresStore } = await import('./store/postgres/pg-store.js')
    return createPostgresStore({
      url: settings.url,
      ...(events.onPoolError ? { onError: events.onPoolError } : {}),
      ...(events.onMigrated ? { onMigrated: events.onMigrated } : {}),
      poolSize: forRelay ? settings.poolSize : Math.min(ADMIN_POOL_SIZE, settings.poolSize),
      ...(settings.ownerUrl ? { ownerUrl: settings.ownerUrl } : {}),
    })
  }
  const opts = { file: databaseFile(dataDir), synchronous: tuning.synchronous } as const
  // The relay runs SQLite on the thread --store-thread names (worker-store.ts); one-shot admin
  // commands use it directly.
  return forRelay ? createRelaySqliteStore(opts, tuning.storeThread) : createSqliteStore({ ...opts, role: 'admin' })
}
