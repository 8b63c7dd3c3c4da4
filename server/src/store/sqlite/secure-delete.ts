import type Database from 'better-sqlite3'

// The store runs with secure_delete FAST: what is deleted within a page is zeroed at no extra I/O.
// ON also zeroes whole pages freed (a search segment's overflow pages, a deleted transcript's
// pages), which costs extra writes, so it is on only around the writes that must leave no copy of
// what they remove: masking rewrites, corrections and erasure. Pages freed under FAST before (a
// search index merge, a long message masked) keep their bytes on the freelist: scrubFreePages
// overwrites them.

/** PRAGMA secure_delete's values as it reports them, by the names it accepts. */
const SECURE_DELETE_NAMES: Record<number, string> = { 0: 'OFF', 1: 'ON', 2: 'FAST' }

/** Runs `fn` with secure_delete ON, then restores the connection's previous setting. */
export function withSecureDelete<R>(db: Database.Database, fn: () => R): R {
  const was = db.pragma('secure_delete', { simple: true }) as number
  db.pragma('secure_delete = ON')
  try {
    return fn()
  } finally {
    // The pragma reads FAST back as 2 but parses a written 2 as ON: write its name.
    db.pragma(`secure_delete = ${SECURE_DELETE_NAMES[was] ?? 'FAST'}`)
  }
}

/** A scrub writes its zeros in rows of at most this many bytes (each is materialized in memory once). */
const SCRUB_ROW_BYTES = 8 * 1024 * 1024

/**
 * Overwrites every page on the freelist with zeros: one transaction takes them all for rows of
 * zeros (SQLite reuses free pages before it grows the file) and deletes the rows with
 * secure_delete ON, so they go back to the freelist zeroed. Writes as many pages as are free, so
 * call it after an erasure, not on a hot path. Returns the number of pages that were free.
 */
export function scrubFreePages(db: Database.Database): number {
  const free = db.pragma('freelist_count', { simple: true }) as number
  if (free === 0) return 0
  const pageSize = db.pragma('page_size', { simple: true }) as number
  const fill = db.prepare('INSERT INTO free_page_scrub (zeros) VALUES (zeroblob(?))')
  const empty = db.prepare('DELETE FROM free_page_scrub')
  const scrub = db.transaction(() => {
    for (let left = free * pageSize; left > 0; left -= SCRUB_ROW_BYTES) fill.run(Math.min(left, SCRUB_ROW_BYTES))
    empty.run()
  })
  withSecureDelete(db, () => scrub.immediate())
  return free
}
