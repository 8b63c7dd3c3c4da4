import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { MIGRATIONS, migrate } from '../../../../../server/src/store/sqlite/migrations.js'

describe('migrate', () => {
  let db: Database.Database
  afterEach(() => { db.close() })

  it('applies every migration to an empty database, in order', () => {
    db = new Database(':memory:')
    expect(migrate(db)).toEqual(MIGRATIONS.map((_, i) => i + 1))
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
  })

  it('applies nothing to a database that is up to date', () => {
    db = new Database(':memory:')
    migrate(db)
    expect(migrate(db)).toEqual([])
  })

  it('refuses a database from a newer relay and leaves it untouched', () => {
    db = new Database(':memory:')
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`)
    expect(() => migrate(db)).toThrow(/newer than this relay/)
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get()).toEqual({ n: 0 })
  })

  it('makes the database itself refuse a second message with the same brand, sender and clientMsgId', () => {
    db = new Database(':memory:')
    migrate(db)
    db.exec(`INSERT INTO brands VALUES ('b1', 'B', 'site1', 0);
      INSERT INTO conversations VALUES ('b1', 'c1', 'v1', 'open', 0, NULL, 0, NULL);
      INSERT INTO conversations VALUES ('b1', 'c2', 'v1', 'open', 0, NULL, 0, NULL);`)
    const insert = db.prepare("INSERT INTO messages VALUES ('b1', ?, ?, 'm1', 'visitor', 'v1', NULL, 'hi', 0)")
    insert.run('c1', 1)
    expect(() => insert.run('c2', 1)).toThrow(/UNIQUE constraint failed/)
  })
})
