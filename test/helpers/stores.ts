import { join } from 'node:path'
import type { Store } from '../../server/src/store/store.js'
import { createSqliteStore } from '../../server/src/store/sqlite/sqlite-store.js'
import { createRelaySqliteStore, createWorkerSqliteStore } from '../../server/src/store/sqlite/worker-store.js'
import { createTestDatabase, openPostgresStore, POSTGRES_MISSING } from './postgres.js'
import { tempDir } from './temp-dir.js'

// The store contract suite (test/unit/server/store/*.test.ts) runs unchanged on every Store: in
// `npm test` on the SQLite stores, in the service suites (PARLEY_TEST_STORE=postgres, set by
// vitest.services.config.ts) on PostgreSQL. Each suite opens its stores with
// `describe.each(STORES)('$name store: …', (factory) => …)`.

/** A store under test, on a database of its own. */
export interface OpenedStore {
  store: Store
  /** Closes the store and opens the same database again (a restart). */
  reopen(): Promise<Store>
  /** Closes the store and removes its database. */
  dispose(): Promise<void>
}

/** An implementation under test. */
export interface StoreFactory {
  name: string
  create(): Promise<OpenedStore>
}

/** A SQLite store under test, with its file for a connection of the test's own (sqlite/ suites). */
export interface SqliteStoreFactory extends StoreFactory {
  create(): Promise<OpenedStore & { file: string }>
}

function sqlite(name: string, open: (file: string) => Store | Promise<Store>): SqliteStoreFactory {
  return {
    name,
    async create() {
      const dir = tempDir('parley-store-')
      const file = join(dir.dir, 'parley.db')
      let store = await open(file)
      return {
        store,
        file,
        async reopen() { await store.close(); store = await open(file); return store },
        async dispose() { await store.close(); dir.remove() },
      }
    },
  }
}

/**
 * The SQLite stores: on the caller's thread, on the worker thread (which forwards every method), and
 * as the relay runs it with --store-thread main (commits and checkpoints on the event loop).
 */
export const SQLITE_FACTORIES: readonly SqliteStoreFactory[] = [
  sqlite('SQLite', (file) => createSqliteStore({ file })),
  sqlite('SQLite on a worker thread', (file) => createWorkerSqliteStore({ file })),
  sqlite('SQLite on the event loop, checkpointing between commits', (file) => createRelaySqliteStore({ file }, 'main')),
]

/** The PostgreSQL store, on a fresh database as a serving role under row-level security. */
export const POSTGRES_FACTORY: StoreFactory = {
  name: 'PostgreSQL',
  async create() {
    const db = await createTestDatabase()
    let store = await openPostgresStore(db)
    return {
      store,
      async reopen() { await store.close(); store = await openPostgresStore(db); return store },
      async dispose() { await store.close(); await db.drop() },
    }
  },
}

function storesUnderTest(): readonly StoreFactory[] {
  if (process.env.PARLEY_TEST_STORE !== 'postgres') return SQLITE_FACTORIES
  // In CI a missing server fails every suite (create() rejects); locally the suites skip, saying so.
  if (POSTGRES_MISSING !== null && !process.env.CI) {
    process.stderr.write(`\n[PostgreSQL store suites skipped] PostgreSQL is not reachable: ${POSTGRES_MISSING}\n`)
    return []
  }
  return [POSTGRES_FACTORY]
}

/** The stores this run tests (see the header). */
export const STORES: readonly StoreFactory[] = storesUnderTest()
