import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate } from '../../../../../server/src/store/sqlite/migrations.js'
import { scrubFreePages } from '../../../../../server/src/store/sqlite/secure-delete.js'
import { tempDir } from '../../../../helpers/temp-dir.js'

// The scrub of the freelist after an erasure: it overwrites every page freed earlier without
// zeroing, yet in steps, each a short write transaction, with the write lock free between two (so
// a relay's appends and group commits are not held up for the whole freelist).

const SECRET = 'ocelotgranite789'

describe('scrubFreePages', () => {
  let cleanup: (() => void)[] = []
  afterEach(() => { for (const f of cleanup.reverse()) f(); cleanup = [] })

  /** A database file whose freelist holds `rows` deleted rows of ~100 KiB carrying SECRET, and a second connection to it. */
  function freedFile(rows: number) {
    const { dir, remove } = tempDir()
    const file = join(dir, 'parley.db')
    const db = new Database(file)
    db.pragma('journal_mode = WAL')
    db.pragma('secure_delete = FAST')
    migrate(db)
    db.exec('CREATE TABLE junk (t TEXT NOT NULL)')
    const insert = db.prepare('INSERT INTO junk (t) VALUES (?)')
    db.transaction(() => { for (let i = 0; i < rows; i++) insert.run(`${SECRET} ${i} ${'x'.repeat(100_000)}`) })()
    db.exec('DELETE FROM junk')
    db.pragma('wal_checkpoint(TRUNCATE)')
    const other = new Database(file, { timeout: 0 })
    cleanup.push(remove, () => db.close(), () => other.close())
    return { db, other, file }
  }
  const holds = (file: string) => [file, `${file}-wal`].some((f) => { try { return readFileSync(f).includes(SECRET) } catch { return false } })

  it('overwrites the whole freelist in bounded steps, another connection writing between two', async () => {
    const { db, other, file } = freedFile(100)
    const free = db.pragma('freelist_count', { simple: true }) as number
    expect(free).toBeGreaterThan(2_000)
    expect(holds(file)).toBe(true)
    const write = other.prepare("INSERT INTO junk (t) VALUES ('between')")
    let pauses = 0
    const scrubbed = await scrubFreePages(db, async () => {
      pauses++
      expect(db.inTransaction).toBe(false)
      // busy timeout 0: this throws SQLITE_BUSY if the scrub still held the write lock.
      write.run()
    })
    // At most 1024 pages a step: at least three steps to take them, a step per row to give them back.
    expect(pauses).toBeGreaterThanOrEqual(6)
    expect(scrubbed).toBeGreaterThan(free - 10)
    expect(scrubbed).toBeLessThanOrEqual(free)
    expect(other.prepare<[], { n: number }>("SELECT count(*) AS n FROM junk WHERE t = 'between'").get()?.n).toBe(pauses)
    expect(db.prepare<[], { n: number }>('SELECT count(*) AS n FROM free_page_scrub').get()?.n).toBe(0)
    db.pragma('wal_checkpoint(TRUNCATE)')
    expect(holds(file)).toBe(false)
    // The pages went back to the freelist, zeroed: the file did not grow to hold them twice.
    expect(db.pragma('freelist_count', { simple: true }) as number).toBeGreaterThan(free - 10)
  })

  it('deletes the rows of zeros a scrub cut short by a crash left behind', async () => {
    const { db } = freedFile(1)
    db.prepare('INSERT INTO free_page_scrub (zeros) VALUES (zeroblob(10000))').run()
    await scrubFreePages(db, async () => {})
    expect(db.prepare<[], { n: number }>('SELECT count(*) AS n FROM free_page_scrub').get()?.n).toBe(0)
  })
})
