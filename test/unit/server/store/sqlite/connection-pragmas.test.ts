import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { applyConnectionPragmas, PAGE_CACHE_KIB } from '../../../../../server/src/store/sqlite/connection-pragmas.js'
import { tempDir } from '../../../../helpers/temp-dir.js'

// The settings createSqliteStore gives its connection (applyConnectionPragmas), read back from SQLite
// on a real file. The page cache is the relay's largest piece of memory outside V8 once it has relayed
// for a while (all of it stays resident), so its size is asserted, not only that it is set.

describe('the SQLite store connection settings', () => {
  let dir: ReturnType<typeof tempDir>
  let db: Database.Database | undefined
  beforeEach(() => { dir = tempDir('parley-pragmas-') })
  afterEach(() => {
    db?.close()
    db = undefined
    dir.remove()
  })

  it('keeps a 4 MiB page cache, FULL durability, WAL, FAST secure delete and no checkpoint inside commits when another connection runs them', () => {
    db = new Database(join(dir.dir, 'parley.db'))
    applyConnectionPragmas(db, { synchronous: 'FULL', checkpoint: 'external' })
    expect(PAGE_CACHE_KIB).toBe(4 * 1024)
    // Negative cache_size is KiB: -4096 is 4 MiB whatever the page size.
    expect(db.pragma('cache_size', { simple: true })).toBe(-4 * 1024)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('synchronous', { simple: true })).toBe(2) // FULL
    expect(db.pragma('secure_delete', { simple: true })).toBe(2) // FAST
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000)
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0)
  })

  it('keeps SQLite from checkpointing inside commits when the store checkpoints between them', () => {
    db = new Database(join(dir.dir, 'parley.db'))
    applyConnectionPragmas(db, { synchronous: 'FULL', checkpoint: 'between-commits' })
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0)
  })

  it('leaves checkpoints to SQLite when no other connection runs them', () => {
    db = new Database(join(dir.dir, 'parley.db'))
    applyConnectionPragmas(db, { synchronous: 'NORMAL', checkpoint: 'auto' })
    expect(db.pragma('synchronous', { simple: true })).toBe(1) // NORMAL
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000)
  })

})
