import type Database from 'better-sqlite3'

/**
 * SQLite's page cache for the store's connection, in KiB. Transcripts are written at many places in
 * the b-trees at once (one tail per open conversation), so the 2 MB default would re-read pages that
 * appends keep coming back to. The cache lives in the process's heap and is not handed back while
 * the connection is open: under steady load all of it is resident, so it is sized to the pages that
 * appends touch, not to the file. Pages read once (a long history, an export) come from the OS's
 * page cache instead, at a little CPU each (test/bench/README.md, "Relay RSS under load").
 */
export const PAGE_CACHE_KIB = 16 * 1024

/** What createSqliteStore sets on its connection before migrating. */
export interface ConnectionSettings {
  synchronous: 'FULL' | 'NORMAL'
  /** `external`: another connection checkpoints the WAL (checkpointer.ts), so this one never does. */
  checkpoint: 'auto' | 'external'
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
  if (settings.checkpoint === 'external') db.pragma('wal_autocheckpoint = 0')
}
