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

/** A scrub takes at most this many free pages per write transaction (4 MiB at 4 KiB pages). */
const SCRUB_STEP_PAGES = 1024

/** One turn of the event loop: other calls on the connection get the write lock between two steps. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * Overwrites the pages on the freelist with zeros: rows of zeros take them (SQLite reuses free
 * pages before it grows the file), at most SCRUB_STEP_PAGES in each short write transaction with a
 * turn of the event loop between two, so appends and group commits go on meanwhile; then the rows
 * are deleted, a row per transaction too. Without secure_delete ON a freed overflow page is put
 * back as it is, so the pages return to the freelist holding the zeros (and the page numbers that
 * chained them), nothing else. Takes as many pages as were free when it started, no more: pages
 * freed meanwhile are the next scrub's. Rows left by a scrub a crash cut short are deleted too.
 * Writes as many pages as are free, so run it once after an erasure or a purge pass, not per batch.
 * Resolves the number of pages it overwrote.
 */
export async function scrubFreePages(db: Database.Database, pause: () => Promise<void> = nextTurn): Promise<number> {
  const pageSize = db.pragma('page_size', { simple: true }) as number
  const freeNow = () => db.pragma('freelist_count', { simple: true }) as number
  // An overflow page carries a 4-byte link and pageSize - 4 bytes of the row: a row of n times
  // that takes n overflow pages, never one past the freelist.
  const fill = db.prepare('INSERT INTO free_page_scrub (zeros) VALUES (zeroblob(?))')
  const rows = db.prepare<[], { rowid: number }>('SELECT rowid FROM free_page_scrub')
  const drop = db.prepare('DELETE FROM free_page_scrub WHERE rowid = ?')
  const take = db.transaction((left: number) => {
    const n = Math.min(freeNow(), SCRUB_STEP_PAGES, left)
    if (n > 0) fill.run(n * (pageSize - 4))
    return n
  })
  const dropTx = db.transaction((rowid: number) => drop.run(rowid))
  let scrubbed = 0
  for (let left = freeNow(); left > 0;) {
    const n = take.immediate(left)
    if (n === 0) break
    scrubbed += n
    left -= n
    await pause()
  }
  for (const { rowid } of rows.all()) {
    dropTx.immediate(rowid)
    await pause()
  }
  return scrubbed
}
