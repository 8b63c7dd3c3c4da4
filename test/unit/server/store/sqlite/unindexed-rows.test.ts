import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate } from '../../../../../server/src/store/sqlite/migrations.js'
import { UnindexedRows } from '../../../../../server/src/store/sqlite/unindexed-rows.js'

// The lazily indexed rows: rows a commit appended but the index tables do not hold yet.

function database(): Database.Database {
  const db = new Database(':memory:')
  migrate(db)
  db.exec(`INSERT INTO brands (brand_id, name, site_key, created_at) VALUES ('b1', 'B', 'site1', 0);
    INSERT INTO conversations (id, brand_id, conv_id, visitor_id, status, created_at, closed_at, last_seq, context)
      VALUES (1, 'b1', 'c1', 'v1', 'open', 0, NULL, 0, NULL), (2, 'b1', 'c2', 'v2', 'open', 0, NULL, 0, NULL),
        (3, 'b1', 'c3', 'v3', 'open', 0, NULL, 0, NULL);
    INSERT INTO senders (id, brand_id, kind, ext_id) VALUES (7, 'b1', 'visitor', 'v1'), (8, 'b1', 'visitor', 'v2'), (9, 'b1', 'visitor', 'v3');`)
  return db
}

const log = (db: Database.Database, conv: number, seq: number, sender: number, cid: string) =>
  db.prepare('INSERT INTO message_log (conv, seq, sender, client_msg_id, text, at) VALUES (?, ?, ?, ?, ?, 0)').run(conv, seq, sender, cid, `text ${cid}`)

describe('UnindexedRows', () => {
  let db: Database.Database
  afterEach(() => { db.close() })

  it('reads back, after a crash, every row beyond the indexed mark', () => {
    db = database()
    log(db, 1, 1, 7, 'a'); log(db, 2, 1, 8, 'b'); log(db, 1, 2, 7, 'c')
    const unindexed = new UnindexedRows(db)
    expect(unindexed.size).toBe(3)
    expect(unindexed.find(7, 'c')).toEqual({ id: 3, conv: 1, seq: 2, sender: 7, clientMsgId: 'c' })
    expect(unindexed.find(8, 'a')).toBeUndefined()
    expect(unindexed.lastSeq(1)).toBe(2)
    expect(unindexed.after(1, 1).map((t) => t.clientMsgId)).toEqual(['c'])
  })

  it('counts a conversation\'s waiting rows and names the conversations a sender wrote in, for searches', () => {
    db = database()
    log(db, 1, 1, 7, 'a'); log(db, 2, 1, 8, 'b'); log(db, 1, 2, 7, 'c'); log(db, 3, 1, 7, 'd')
    const unindexed = new UnindexedRows(db)
    expect([1, 2, 3, 4].map((conv) => unindexed.count(conv))).toEqual([2, 1, 1, 0])
    expect(unindexed.convsOfSender(7).sort()).toEqual([1, 3])
    expect(unindexed.convsOfSender(8)).toEqual([2])
    expect(unindexed.convsOfSender(9)).toEqual([])
    unindexed.forget(unindexed.writeIndex(Infinity))
    expect(unindexed.count(1)).toBe(0)
    expect(unindexed.convsOfSender(7)).toEqual([])
  })

  it('indexes rows into the index tables and the conversations, and a new UnindexedRows then starts empty', () => {
    db = database()
    log(db, 1, 1, 7, 'a'); log(db, 2, 1, 8, 'b'); log(db, 1, 2, 7, 'c')
    const t = new UnindexedRows(db)
    t.forget(t.writeIndex(Infinity))
    expect(db.prepare('SELECT conv, seq FROM message_by_seq ORDER BY conv, seq').all()).toEqual([
      { conv: 1, seq: 1 }, { conv: 1, seq: 2 }, { conv: 2, seq: 1 },
    ])
    expect(db.prepare('SELECT sender, client_msg_id FROM message_by_client_id ORDER BY sender, client_msg_id').all()).toEqual([
      { sender: 7, client_msg_id: 'a' }, { sender: 7, client_msg_id: 'c' }, { sender: 8, client_msg_id: 'b' },
    ])
    expect(db.prepare('SELECT id, last_seq FROM conversations WHERE id < 3 ORDER BY id').all()).toEqual([{ id: 1, last_seq: 2 }, { id: 2, last_seq: 1 }])
    expect(new UnindexedRows(db).size).toBe(0)
  })

  it('indexes the longest-waiting conversations first and reads back only the unindexed ones after a crash', () => {
    db = database()
    log(db, 1, 1, 7, 'a'); log(db, 2, 1, 8, 'b'); log(db, 1, 2, 7, 'c')
    const unindexed = new UnindexedRows(db)
    const indexed = unindexed.writeIndex(1)
    expect(indexed).toEqual([{ conv: 1, count: 2 }])
    unindexed.forget(indexed)
    expect([unindexed.size, unindexed.lastSeq(1), unindexed.lastSeq(2)]).toEqual([1, 0, 1])
    // As a restart would find it: conversation 1 indexed, conversation 2 still waiting.
    const reopened = new UnindexedRows(db)
    expect(reopened.size).toBe(1)
    expect(reopened.find(8, 'b')).toMatchObject({ conv: 2, seq: 1 })
    expect(reopened.find(7, 'a')).toBeUndefined()
  })

  it('indexes only what came after the previous index write', () => {
    db = database()
    log(db, 1, 1, 7, 'a')
    const unindexed = new UnindexedRows(db)
    unindexed.forget(unindexed.writeIndex(Infinity))
    log(db, 1, 2, 7, 'b')
    const again = new UnindexedRows(db)
    expect(again.size).toBe(1)
    again.forget(again.writeIndex(Infinity))
    expect(db.prepare('SELECT count(*) AS n FROM message_by_seq').get()).toEqual({ n: 2 })
  })

  it('indexes a conversation with many rows waiting before an older one with few, and a quiet one only once it has waited long enough', () => {
    db = database()
    // Conversation 2 started waiting first, with one row; conversation 1 has reached minRows.
    log(db, 2, 1, 8, 'b'); log(db, 1, 1, 7, 'a'); log(db, 1, 2, 7, 'c')
    let now = 0
    const unindexed = new UnindexedRows(db, { minRows: 2, clock: () => now })
    now = 5 // every conversation has waited 5 ms: none is due at 10
    const first = unindexed.writeIndex(8, 10)
    expect(first).toEqual([{ conv: 1, count: 2 }])
    unindexed.forget(first)
    expect(unindexed.writeIndex(8, 10)).toEqual([])
    now = 10
    const due = unindexed.writeIndex(8, 10)
    expect(due).toEqual([{ conv: 2, count: 1 }])
    unindexed.forget(due)
    expect(unindexed.size).toBe(0)
    expect(new UnindexedRows(db).size).toBe(0)
  })

  it('indexes quiet conversations that are due before busy ones, however many busy ones wait', () => {
    db = database()
    // Conversation 2 is quiet and due; conversation 1 is busy. With a budget of one row, the quiet
    // one goes first (busy ones alone would take every index write while they keep filling up).
    log(db, 2, 1, 8, 'b'); log(db, 1, 1, 7, 'a'); log(db, 1, 2, 7, 'c')
    let now = 0
    const unindexed = new UnindexedRows(db, { minRows: 2, clock: () => now })
    now = 100
    const first = unindexed.writeIndex(1, 10)
    expect(first).toEqual([{ conv: 2, count: 1 }])
    unindexed.forget(first)
    // A conversation is indexed whole even when it has more rows than the budget.
    expect(unindexed.writeIndex(1, 10)).toEqual([{ conv: 1, count: 2 }])
  })

  it('stops adding conversations once an index write has reached its row budget', () => {
    db = database()
    // Three busy conversations (minRows 2) with 2, 3 and 2 rows; none is due yet.
    log(db, 1, 1, 7, 'a'); log(db, 1, 2, 7, 'b')
    log(db, 2, 1, 8, 'c'); log(db, 2, 2, 8, 'd'); log(db, 2, 3, 8, 'e')
    log(db, 3, 1, 9, 'f'); log(db, 3, 2, 9, 'g')
    const unindexed = new UnindexedRows(db, { minRows: 2, clock: () => 0 })
    expect(unindexed.size).toBe(7)
    const first = unindexed.writeIndex(4, 10)
    expect(first).toEqual([{ conv: 1, count: 2 }, { conv: 2, count: 3 }])
    unindexed.forget(first)
    expect(unindexed.writeIndex(4, 10)).toEqual([{ conv: 3, count: 2 }])
  })

  it('counts a conversation as busy again only once it has minRows rows waiting after an index write', () => {
    db = database()
    log(db, 1, 1, 7, 'a'); log(db, 1, 2, 7, 'b')
    const unindexed = new UnindexedRows(db, { minRows: 2, clock: () => 0 })
    unindexed.forget(unindexed.writeIndex(8, 10))
    unindexed.add({ id: 99, conv: 1, seq: 3, sender: 7, clientMsgId: 'c' })
    expect(unindexed.writeIndex(8, 10)).toEqual([])
  })

  it('moves the indexed-through mark at most once a second, and a restart with a lagging mark reads back only unindexed rows', () => {
    db = database()
    const mark = () => db.prepare<[], { value: number }>("SELECT value FROM store_state WHERE key = 'folded_through'").get()?.value
    log(db, 1, 1, 7, 'a'); log(db, 2, 1, 8, 'b'); log(db, 3, 1, 9, 'c')
    let now = 0
    const unindexed = new UnindexedRows(db, { clock: () => now })
    unindexed.forget(unindexed.writeIndex(1))
    expect(mark()).toBe(1)
    now = 999
    unindexed.forget(unindexed.writeIndex(1))
    expect(mark()).toBe(1)
    // As a restart would find it: conversations 1 and 2 indexed, the mark still below row 2.
    const reopened = new UnindexedRows(db)
    expect([reopened.size, reopened.find(9, 'c')?.seq, reopened.find(8, 'b')]).toEqual([1, 1, undefined])
    now = 1000
    unindexed.forget(unindexed.writeIndex(0))
    expect(mark()).toBe(3)
  })
})
