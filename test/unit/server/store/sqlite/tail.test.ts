import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate } from '../../../../../server/src/store/sqlite/migrations.js'
import { Tail } from '../../../../../server/src/store/sqlite/tail.js'

// The lazily indexed tail: rows a commit appended but the index tables do not hold yet.

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

describe('Tail', () => {
  let db: Database.Database
  afterEach(() => { db.close() })

  it('reads back, after a crash, every row beyond the folded mark', () => {
    db = database()
    log(db, 1, 1, 7, 'a'); log(db, 2, 1, 8, 'b'); log(db, 1, 2, 7, 'c')
    const tail = new Tail(db)
    expect(tail.size).toBe(3)
    expect(tail.find(7, 'c')).toEqual({ id: 3, conv: 1, seq: 2, sender: 7, clientMsgId: 'c' })
    expect(tail.find(8, 'a')).toBeUndefined()
    expect(tail.lastSeq(1)).toBe(2)
    expect(tail.after(1, 1).map((t) => t.clientMsgId)).toEqual(['c'])
  })

  it('folds rows into the index tables and the conversations, and a new tail then starts empty', () => {
    db = database()
    log(db, 1, 1, 7, 'a'); log(db, 2, 1, 8, 'b'); log(db, 1, 2, 7, 'c')
    const t = new Tail(db)
    t.forget(t.fold(Infinity))
    expect(db.prepare('SELECT conv, seq FROM message_by_seq ORDER BY conv, seq').all()).toEqual([
      { conv: 1, seq: 1 }, { conv: 1, seq: 2 }, { conv: 2, seq: 1 },
    ])
    expect(db.prepare('SELECT sender, client_msg_id FROM message_by_client_id ORDER BY sender, client_msg_id').all()).toEqual([
      { sender: 7, client_msg_id: 'a' }, { sender: 7, client_msg_id: 'c' }, { sender: 8, client_msg_id: 'b' },
    ])
    expect(db.prepare('SELECT id, last_seq FROM conversations WHERE id < 3 ORDER BY id').all()).toEqual([{ id: 1, last_seq: 2 }, { id: 2, last_seq: 1 }])
    expect(new Tail(db).size).toBe(0)
  })

  it('folds the longest-waiting conversations first and reads back only the unfolded ones after a crash', () => {
    db = database()
    log(db, 1, 1, 7, 'a'); log(db, 2, 1, 8, 'b'); log(db, 1, 2, 7, 'c')
    const tail = new Tail(db)
    const folded = tail.fold(1)
    expect(folded).toEqual([{ conv: 1, count: 2 }])
    tail.forget(folded)
    expect([tail.size, tail.lastSeq(1), tail.lastSeq(2)]).toEqual([1, 0, 1])
    // As a restart would find it: conversation 1 folded, conversation 2 still waiting.
    const reopened = new Tail(db)
    expect(reopened.size).toBe(1)
    expect(reopened.find(8, 'b')).toMatchObject({ conv: 2, seq: 1 })
    expect(reopened.find(7, 'a')).toBeUndefined()
  })

  it('folds only what came after the previous fold', () => {
    db = database()
    log(db, 1, 1, 7, 'a')
    const tail = new Tail(db)
    tail.forget(tail.fold(Infinity))
    log(db, 1, 2, 7, 'b')
    const again = new Tail(db)
    expect(again.size).toBe(1)
    again.forget(again.fold(Infinity))
    expect(db.prepare('SELECT count(*) AS n FROM message_by_seq').get()).toEqual({ n: 2 })
  })

  it('folds a conversation with many rows waiting before an older one with few, and a quiet one only once it has waited long enough', () => {
    db = database()
    // Conversation 2 started waiting first, with one row; conversation 1 has reached minRows.
    log(db, 2, 1, 8, 'b'); log(db, 1, 1, 7, 'a'); log(db, 1, 2, 7, 'c')
    let now = 0
    const tail = new Tail(db, { minRows: 2, clock: () => now })
    now = 5 // every conversation has waited 5 ms: none is due at 10
    const first = tail.fold(8, 10)
    expect(first).toEqual([{ conv: 1, count: 2 }])
    tail.forget(first)
    expect(tail.fold(8, 10)).toEqual([])
    now = 10
    const due = tail.fold(8, 10)
    expect(due).toEqual([{ conv: 2, count: 1 }])
    tail.forget(due)
    expect(tail.size).toBe(0)
    expect(new Tail(db).size).toBe(0)
  })

  it('folds quiet conversations that are due before busy ones, however many busy ones wait', () => {
    db = database()
    // Conversation 2 is quiet and due; conversation 1 is busy. With a budget of one row, the quiet
    // one goes first (busy ones alone would take every fold while they keep filling up).
    log(db, 2, 1, 8, 'b'); log(db, 1, 1, 7, 'a'); log(db, 1, 2, 7, 'c')
    let now = 0
    const tail = new Tail(db, { minRows: 2, clock: () => now })
    now = 100
    const first = tail.fold(1, 10)
    expect(first).toEqual([{ conv: 2, count: 1 }])
    tail.forget(first)
    // A conversation is folded whole even when it has more rows than the budget.
    expect(tail.fold(1, 10)).toEqual([{ conv: 1, count: 2 }])
  })

  it('stops adding conversations once a fold has reached its row budget', () => {
    db = database()
    // Three busy conversations (minRows 2) with 2, 3 and 2 rows; none is due yet.
    log(db, 1, 1, 7, 'a'); log(db, 1, 2, 7, 'b')
    log(db, 2, 1, 8, 'c'); log(db, 2, 2, 8, 'd'); log(db, 2, 3, 8, 'e')
    log(db, 3, 1, 9, 'f'); log(db, 3, 2, 9, 'g')
    const tail = new Tail(db, { minRows: 2, clock: () => 0 })
    expect(tail.size).toBe(7)
    const first = tail.fold(4, 10)
    expect(first).toEqual([{ conv: 1, count: 2 }, { conv: 2, count: 3 }])
    tail.forget(first)
    expect(tail.fold(4, 10)).toEqual([{ conv: 3, count: 2 }])
  })

  it('counts a conversation as busy again only once it has minRows rows waiting after a fold', () => {
    db = database()
    log(db, 1, 1, 7, 'a'); log(db, 1, 2, 7, 'b')
    const tail = new Tail(db, { minRows: 2, clock: () => 0 })
    tail.forget(tail.fold(8, 10))
    tail.add({ id: 99, conv: 1, seq: 3, sender: 7, clientMsgId: 'c' })
    expect(tail.fold(8, 10)).toEqual([])
  })

  it('moves the folded-through mark at most once a second, and a restart with a lagging mark reads back only unfolded rows', () => {
    db = database()
    const mark = () => db.prepare<[], { value: number }>("SELECT value FROM store_state WHERE key = 'folded_through'").get()?.value
    log(db, 1, 1, 7, 'a'); log(db, 2, 1, 8, 'b'); log(db, 3, 1, 9, 'c')
    let now = 0
    const tail = new Tail(db, { clock: () => now })
    tail.forget(tail.fold(1))
    expect(mark()).toBe(1)
    now = 999
    tail.forget(tail.fold(1))
    expect(mark()).toBe(1)
    // As a restart would find it: conversations 1 and 2 folded, the mark still below row 2.
    const reopened = new Tail(db)
    expect([reopened.size, reopened.find(9, 'c')?.seq, reopened.find(8, 'b')]).toEqual([1, 1, undefined])
    now = 1000
    tail.forget(tail.fold(0))
    expect(mark()).toBe(3)
  })
})
