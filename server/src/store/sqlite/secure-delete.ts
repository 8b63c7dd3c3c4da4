import type Database from 'better-sqlite3'

// The store runs with secure_delete FAST: what is deleted within a page is zeroed at no extra I/O.
// ON also zeroes whole pages freed (a search segment's overflow pages, a deleted transcript's
// pages), which costs extra writes, so it is on only around the writes that must leave no copy of
// what they remove: masking rewrites and erasure.

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
