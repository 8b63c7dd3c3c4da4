import type { Store } from '../../server/src/store/store.js'
import { createSqliteStore } from '../../server/src/store/sqlite/sqlite-store.js'
import { createWorkerSqliteStore } from '../../server/src/store/sqlite/worker-store.js'

// Store suites run on both SQLite stores: in the caller's thread and on its worker thread (which
// forwards every Store method), as `describe.each(SQLITE_STORES)`.

/** The SQLite Store implementations, each opened on a database file. */
export const SQLITE_STORES: readonly { name: string; open(file: string): Promise<Store> }[] = [
  { name: 'SQLite', open: async (file) => createSqliteStore({ file }) },
  { name: 'SQLite on a worker thread', open: (file) => createWorkerSqliteStore({ file }) },
]
