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

  it('keeps notes, attachments and masking runs stored before they got integer keys, and numbers them', () => {
    db = new Database(':memory:')
    const before = 11
    for (let v = 0; v < before; v++) db.exec(MIGRATIONS[v]!)
    db.pragma(`user_version = ${before}`)
    db.exec(`INSERT INTO brands (brand_id, name, site_key, created_at) VALUES ('b1', 'B', 'site1', 0);
      INSERT INTO conversation_notes (brand_id, conv_id, note_id, client_note_id, author_id, author_name, text, transfer, at)
        VALUES ('b1', 'c1', 'n2', 'cn2', 'a1', 'Ann', 'second', 1, 20), ('b1', 'c1', 'n1', 'cn1', 'a1', NULL, 'first', 0, 10);
      INSERT INTO attachments (brand_id, attachment_id, uploader, name, type, size, width, height, blob_key, thumb_key, created_at, conv_id, seq, position)
        VALUES ('b1', 'f1', 'visitor:v1', 'a.png', 'image/png', 3, 1, 2, 'k1', NULL, 5, 'c1', 1, 0);
      INSERT INTO masking_runs (brand_id, run_id, status, started_at, phase, position, scanned, changed)
        VALUES ('b1', 'mr1', 'running', 1, 'visitors', 9, 4, 2);`)
    expect(migrate(db)[0]).toBe(12)
    expect(db.prepare('SELECT id, note_id, author_name, text, transfer FROM conversation_notes ORDER BY id').all()).toEqual([
      { id: 1, note_id: 'n1', author_name: null, text: 'first', transfer: 0 }, { id: 2, note_id: 'n2', author_name: 'Ann', text: 'second', transfer: 1 },
    ])
    expect(db.prepare('SELECT id, attachment_id, name, conv_id, seq, position FROM attachments').all()).toEqual([
      { id: 1, attachment_id: 'f1', name: 'a.png', conv_id: 'c1', seq: 1, position: 0 },
    ])
    expect(db.prepare('SELECT phase, position, scanned, changed, notes_scanned, files_scanned FROM masking_runs').all()).toEqual([
      { phase: 'visitors', position: 9, scanned: 4, changed: 2, notes_scanned: 0, files_scanned: 0 },
    ])
    db.prepare("UPDATE masking_runs SET phase = 'notes'").run()
    // The old primary keys stay unique.
    expect(() => db.exec(`INSERT INTO conversation_notes (brand_id, conv_id, note_id, client_note_id, author_id, text, at)
      VALUES ('b1', 'c1', 'n1', 'cn9', 'a1', 'again', 10)`)).toThrow(/UNIQUE constraint failed/)
    expect(() => db.exec(`INSERT INTO attachments (brand_id, attachment_id, uploader, name, type, size, blob_key, created_at)
      VALUES ('b1', 'f1', 'visitor:v1', 'b.png', 'image/png', 3, 'k2', 6)`)).toThrow(/UNIQUE constraint failed/)
  })
})
