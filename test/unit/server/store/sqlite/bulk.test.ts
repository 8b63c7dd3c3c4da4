import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { BulkInsert } from '../../../../../server/src/store/sqlite/bulk.js'

// Multi-row INSERTs: every row lands once, in order, whatever the count, and a statement's tail
// (ON CONFLICT) applies to each row.

describe('BulkInsert', () => {
  let db: Database.Database
  afterEach(() => { db.close() })

  const open = () => {
    db = new Database(':memory:')
    db.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT) STRICT')
    return db
  }
  const rows = (from: number, to: number) => {
    const values: unknown[] = []
    for (let k = from; k < to; k++) values.push(k, `v${k}`)
    return values
  }
  const all = () => db.prepare('SELECT k, v FROM t ORDER BY k').all() as { k: number; v: string }[]

  it('inserts every row of any count, across the statements it splits them into', () => {
    open()
    const bulk = new BulkInsert(db, 'INSERT INTO t (k, v)', 2)
    // 0, 1, one statement's worth (64), and more than two statements' worth.
    expect(bulk.run([])).toBeNull()
    bulk.run(rows(0, 1))
    bulk.run(rows(1, 65))
    // The result is the last statement's: its last row's id.
    expect(Number(bulk.run(rows(65, 65 + 150))!.lastInsertRowid)).toBe(214)
    const got = all()
    expect(got).toHaveLength(215)
    expect(got.every((r, i) => r.k === i && r.v === `v${i}`)).toBe(true)
  })

  it('applies its tail to each row: with ON CONFLICT DO NOTHING, rows already there are kept as they were', () => {
    open()
    db.prepare("INSERT INTO t (k, v) VALUES (3, 'old')").run()
    new BulkInsert(db, 'INSERT INTO t (k, v)', 2, 'ON CONFLICT DO NOTHING').run(rows(0, 6))
    expect(all().map((r) => r.v)).toEqual(['v0', 'v1', 'v2', 'old', 'v4', 'v5'])
  })

  it('fails as a whole statement on a bad row, and refuses values that are not whole rows', () => {
    open()
    const bulk = new BulkInsert(db, 'INSERT INTO t (k, v)', 2)
    expect(() => bulk.run([1, 'a', 2, null, 1, 'b'])).toThrow(/UNIQUE/)
    expect(all()).toEqual([])
    expect(() => bulk.run([1, 'a', 2])).toThrow(/rows of 2 values/)
    expect(all()).toEqual([])
  })
})
