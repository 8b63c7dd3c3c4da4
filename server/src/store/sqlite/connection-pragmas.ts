import type Database from 'better-sqlite3'

/**
 * SQLite's page cache for the store's connection, in KiB. The cache lives in the process's heap and
 * is not handed back while the connection is open: under steady load all of it is resident. Appends
 * touch few pages (each open conversation's tail, the conversation rows and their indexes), and cost
 * the same with a cache a quarter or four times this size, so it is sized to them, not to the file.
 * Pages it does not hold (a long history, an export) come from the OS's page cache instead, at a
 * little CPU each (test/bench/README.md, "Relay RSS under load" and "The checkpointer thread, the
 * page cache and the route compilers").
 */
export const PAGE_CACHE_KIB = 4 * 1024

/**
 * Who copies the WAL into the database file: SQLite inside commits (`auto`), the store's own timer
 * between commits (`between-commits`), or another connection (`external`, checkpointer.ts).
 */
export type CheckpointMode = 'auto' | 'between-commits' | 'external'

/** How often the relay's store checkpoints the WAL, when SQLite does not do it inside commits. */
export const CHECKPOINT_INTERVAL_MS = 250

/** What createSqliteStore sets on its connection before migrating. */
export interface ConnectionSettings {
  synchronous: 'FULL' | 'NORMAL'
  /** Anything but `auto`: SQLite never checkpoints inside this connection's commits. */
  checkpoint: CheckpointMode
}

/** Applies the store's per-connection settings (journal, durability, locking, cache, deletion) to `db`. */
export function applyConnectionPragmas(db: Database.Database, settings: ConnectionSettings): void {
  db.pragma('journal_mode = WAL')
  db.pragma(`synchronous = ${settings.synchronous}`)
  db.pragma('foreign_keys = ON')
  // CLI commands may write while the relay runs; wait for the lock instead of failing.
  db.pragma('busy_timeout = 5000')
  // Negative: a size in KiB rather than in pages.
  db.pragma(`cache_size = -${PAGE_CACHE_KIB}`)
  // What SQLite deletes or moves within a page (a rewritten message, a page split) is zeroed, not left
  // in free space where a masked original could outlive its masking; FAST adds no I/O.
  db.pragma('secure_delete = FAST')
  if (settings.checkpoint !== 'auto') db.pragma('wal_autocheckpoint = 0')
}
