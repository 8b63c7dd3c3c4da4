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

  it('makes the dedupe index refuse a second entry for the same sender and clientMsgId', () => {
    db = new Database(':memory:')
    migrate(db)
    db.exec(`INSERT INTO brands (brand_id, name, site_key, created_at) VALUES ('b1', 'B', 'site1', 0);
      INSERT INTO conversations (id, brand_id, conv_id, visitor_id, status, created_at, closed_at, last_seq, context)
        VALUES (1, 'b1', 'c1', 'v1', 'open', 0, NULL, 0, NULL), (2, 'b1', 'c2', 'v1', 'open', 0, NULL, 0, NULL);
      INSERT INTO senders (id, brand_id, kind, ext_id) VALUES (7, 'b1', 'visitor', 'v1');`)
    const insert = db.prepare("INSERT INTO message_by_client_id (sender, client_msg_id, id) VALUES (7, 'm1', ?)")
    insert.run(1)
    expect(() => insert.run(2)).toThrow(/UNIQUE constraint failed/)
  })

  it('shows stored messages through the messages view with brand, conversation and sender ids', () => {
    db = new Database(':memory:')
    migrate(db)
    db.exec(`INSERT INTO brands (brand_id, name, site_key, created_at) VALUES ('b1', 'B', 'site1', 0);
      INSERT INTO conversations (id, brand_id, conv_id, visitor_id, status, created_at, closed_at, last_seq, context)
        VALUES (1, 'b1', 'c1', 'v1', 'open', 0, NULL, 1, NULL);
      INSERT INTO senders (id, brand_id, kind, ext_id) VALUES (7, 'b1', 'visitor', 'v1');
      INSERT INTO message_log (conv, seq, sender, client_msg_id, text, at) VALUES (1, 1, 7, 'm1', 'hi', 5);`)
    expect(db.prepare('SELECT * FROM messages').all()).toEqual([
      { brand_id: 'b1', conv_id: 'c1', seq: 1, client_msg_id: 'm1', sender_kind: 'visitor', sender_id: 'v1', sender_name: null, text: 'hi', at: 5 },
    ])
  })

  it("keys a closed conversation's search rows, indexed before version 4, by their message ids", () => {
    db = new Database(':memory:')
    const upTo = (n: number) => { for (let v = 0; v < n; v++) db.exec(MIGRATIONS[v]!); db.pragma(`user_version = ${n}`) }
    upTo(3)
    db.exec(`INSERT INTO brands (brand_id, name, site_key, created_at) VALUES ('b1', 'B', 'site1', 0);
      INSERT INTO conversations (id, brand_id, conv_id, visitor_id, status, created_at, closed_at, last_seq, context)
        VALUES (1, 'b1', 'c1', 'v1', 'closed', 0, 9, 2, NULL);
      INSERT INTO senders (id, brand_id, kind, ext_id) VALUES (7, 'b1', 'visitor', 'v1');
      INSERT INTO message_log (id, conv, seq, sender, client_msg_id, text, at) VALUES (40, 1, 1, 7, 'm1', 'pelican', 5), (41, 1, 2, 7, 'm2', 'heron', 6);
      INSERT INTO transcript_search (text, conv) VALUES ('pelican', 1), ('heron', 1);`)
    expect(migrate(db)).toEqual(MIGRATIONS.slice(3).map((_, i) => i + 4))
    expect(db.prepare('SELECT rowid, text, conv FROM transcript_search ORDER BY rowid').all()).toEqual([
      { rowid: 40, text: 'pelican', conv: 1 }, { rowid: 41, text: 'heron', conv: 1 },
    ])
  })
})
