import type Database from 'better-sqlite3'
import { BulkInsert } from './bulk.js'
import { NO_SLOT, UnindexedSlots, type UnindexedRow } from './unindexed-slots.js'

export type { UnindexedRow } from './unindexed-slots.js'

// Lazily indexed messages. A commit appends rows to `message_log` and touches no index; the two
// lookups a message needs (by conversation and seq, by sender and clientMsgId) are served for the
// newest rows from memory, and each commit also indexes a few conversations' waiting rows into the
// on-disk index tables, many rows per index page. A group commit then writes a handful of pages
// instead of one index page per conversation and sender in the batch, which is what its fsync costs.
//
// What is indexed is on disk: conversations.last_seq is the last indexed seq of each conversation,
// and store_state.folded_through (a key name kept from an earlier version of this file, as stored
// in existing databases) an id below which every row is indexed. After a crash the rows
// beyond both are read back into memory, so nothing depends on the process surviving.
//
// Memory holds only the keys of a waiting row, not its text, and not as an object (unindexed-slots.ts),
// because rows wait up to seconds, long enough to reach the garbage collector's old generation. The rare reads that need the rest (a resent message, a replay
// of the newest messages) read it by id.

/** A conversation's waiting rows: a list of slots, oldest first. */
interface ConvRows {
  first: number
  last: number
  count: number
  /** When the conversation started waiting, on a monotonic clock (a wall clock may step back). */
  since: number
}

/** Conversations whose waiting rows an index write wrote to disk: forget them once it commits. */
export type Indexed = readonly { conv: number; count: number }[]

/** How often at most an index write moves the indexed-through mark (see writeIndex). */
const MARK_EVERY_MS = 1000

/** The in-memory index of unindexed rows, and the index writes that move them to disk. */
export class UnindexedRows {
  readonly #rows = new UnindexedSlots()
  /** Insertion order is index order: the conversation waiting longest comes first. */
  readonly #byConv = new Map<number, ConvRows>()
  /** Conversations with at least `minRows` rows waiting: indexing them writes many rows per index page. */
  readonly #full = new Set<number>()
  readonly #minRows: number
  readonly #clock: () => number
  #size = 0
  #maxId = 0
  #mark = 0
  #markedAt = -Infinity
  readonly #q

  /** With `readBack: false` (admin commands) nothing is read back and nothing will be indexed. */
  constructor(db: Database.Database, opts: { readBack?: boolean; minRows?: number; clock?: () => number } = {}) {
    // 128 rows of (conv, seq) or (sender, clientMsgId) fill one or two index pages.
    this.#minRows = opts.minRows ?? 128
    this.#clock = opts.clock ?? (() => performance.now())
    this.#q = {
      // Idempotent: another relay store opened on the same file (after a crash, or alongside) may have
      // indexed the same rows already; an entry always points at the same message_log row.
      bySeq: new BulkInsert(db, 'INSERT INTO message_by_seq (conv, seq, id)', 3, 'ON CONFLICT DO NOTHING'),
      byClient: new BulkInsert(db, 'INSERT INTO message_by_client_id (sender, client_msg_id, id)', 3, 'ON CONFLICT DO NOTHING'),
      // The one update a conversation gets when its rows are indexed also carries when its visitor last
      // wrote (migration 11, for closing quiet chats): nothing more is written per message.
      lastSeq: db.prepare(`UPDATE conversations SET last_seq = @seq,
        last_visitor_at = CASE WHEN @visitorAt > 0 THEN max(coalesce(last_visitor_at, 0), @visitorAt) ELSE last_visitor_at END
        WHERE id = @conv AND last_seq < @seq`),
      mark: db.prepare("INSERT INTO store_state (key, value) VALUES ('folded_through', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
    }
    const state = db.prepare<[], { value: number }>("SELECT value FROM store_state WHERE key = 'folded_through'").get()
    this.#mark = state?.value ?? 0
    this.#maxId = this.#mark
    if (opts.readBack === false) return
    const unindexed = db.prepare<[number], UnindexedRow>(`SELECT m.id, m.conv, m.seq, m.sender, m.client_msg_id AS clientMsgId,
        CASE WHEN s.kind = 'visitor' THEN m.at ELSE 0 END AS visitorAt
      FROM message_log m JOIN conversations c ON c.id = m.conv JOIN senders s ON s.id = m.sender
      WHERE m.id > ? AND m.seq > c.last_seq ORDER BY m.id`)
    for (const r of unindexed.iterate(this.#mark)) this.add(r)
  }

  /** Rows waiting to be indexed. */
  get size(): number {
    return this.#size
  }

  /** Records a committed row (call only after its transaction committed). */
  add(t: UnindexedRow): void {
    let c = this.#byConv.get(t.conv)
    if (!c) {
      const slot = this.#rows.add(t, NO_SLOT)
      this.#byConv.set(t.conv, (c = { first: slot, last: slot, count: 0, since: this.#clock() }))
    } else {
      c.last = this.#rows.add(t, c.last)
    }
    if (++c.count === this.#minRows) this.#full.add(t.conv)
    this.#size++
    if (t.id > this.#maxId) this.#maxId = t.id
  }

  /** The unindexed row a sender stored under `clientMsgId`, if any. */
  find(sender: number, clientMsgId: string): UnindexedRow | undefined {
    const slot = this.#rows.find(sender, clientMsgId)
    return slot === NO_SLOT ? undefined : this.#rows.row(slot)
  }

  /** How many rows of a conversation wait to be indexed. */
  count(conv: number): number {
    return this.#byConv.get(conv)?.count ?? 0
  }

  /** The highest unindexed seq of a conversation, or 0. */
  lastSeq(conv: number): number {
    const c = this.#byConv.get(conv)
    return c ? this.#rows.seq(c.last) : 0
  }

  /** When the visitor last wrote in a conversation's waiting rows, or 0 (not on disk yet: see writeIndex). */
  lastVisitorAt(conv: number): number {
    const c = this.#byConv.get(conv)
    let at = 0
    if (c) this.#eachSlot(c, (slot) => { if (this.#rows.visitorAt(slot) > at) at = this.#rows.visitorAt(slot) })
    return at
  }

  /** Unindexed rows of a conversation with seq > afterSeq, in seq order. */
  after(conv: number, afterSeq: number): UnindexedRow[] {
    const found: UnindexedRow[] = []
    const c = this.#byConv.get(conv)
    if (c) this.#eachSlot(c, (slot) => { if (this.#rows.seq(slot) > afterSeq) found.push(this.#rows.row(slot)) })
    return found
  }

  /** Conversations in which `sender` has a waiting row (a scan of every waiting row: for searches, never the message path). */
  convsOfSender(sender: number): number[] {
    const found: number[] = []
    for (const [conv, c] of this.#byConv) {
      let has = false
      this.#eachSlot(c, (slot) => { if (this.#rows.sender(slot) === sender) has = true })
      if (has) found.push(conv)
    }
    return found
  }

  /** Calls `fn` with the slot of each of a conversation's waiting rows, oldest first. */
  #eachSlot(c: ConvRows, fn: (slot: number) => void): void {
    for (let slot = c.first, n = c.count; n > 0; slot = this.#rows.next(slot), n--) fn(slot)
  }

  /**
   * Writes the waiting rows of whole conversations into the index tables, about `maxRows` rows in
   * all (Infinity: every one): first those that have waited `maxAgeMs` or longer, the longest first,
   * so busy conversations never starve quiet ones; then those with `minRows` rows waiting. At least
   * one conversation is indexed when any qualifies, however many rows it has. Each conversation indexed
   * costs about two index pages whatever its row count, so a busy one waits until it has many rows
   * and a quiet one waits `maxAgeMs`; the row budget spreads that work evenly over commits instead of
   * letting one commit index many busy conversations at once. Call inside a write transaction, then
   * `forget` the result once it has committed.
   */
  writeIndex(maxRows: number, maxAgeMs = 0): Indexed {
    const picked = new Set<number>()
    let rows = 0
    const take = (conv: number): boolean => {
      if (picked.size > 0 && rows >= maxRows) return false
      if (!picked.has(conv)) {
        picked.add(conv)
        rows += this.#byConv.get(conv)!.count
      }
      return true
    }
    // Insertion order is the order conversations started waiting: stop at the first one too young.
    const due = this.#clock() - maxAgeMs
    for (const [conv, c] of this.#byConv) {
      if (c.since > due || !take(conv)) break
    }
    for (const conv of this.#full) if (!take(conv)) break
    const indexed: { conv: number; count: number }[] = []
    const bySeq: unknown[] = []
    const byClient: unknown[] = []
    const r = this.#rows
    for (const conv of picked) {
      const c = this.#byConv.get(conv)!
      let visitorAt = 0
      this.#eachSlot(c, (slot) => {
        bySeq.push(conv, r.seq(slot), r.id(slot))
        byClient.push(r.sender(slot), r.clientMsgId(slot), r.id(slot))
        if (r.visitorAt(slot) > visitorAt) visitorAt = r.visitorAt(slot)
      })
      const last = r.seq(c.last)
      this.#q.lastSeq.run({ seq: last, conv, visitorAt })
      indexed.push({ conv, count: c.count })
    }
    this.#q.bySeq.run(bySeq)
    this.#q.byClient.run(byClient)
    // Every row at or below the mark is indexed: the oldest row still waiting sets it. A mark that
    // lags only makes a restart read back more rows, so it is written at most every MARK_EVERY_MS
    // (each write is one more page in the commit), and by every index write of everything (maxRows Infinity:
    // when appends pause, and on close).
    const now = this.#clock()
    if (maxRows === Infinity || now - this.#markedAt >= MARK_EVERY_MS) {
      this.#markedAt = now
      let mark = this.#maxId
      for (const [conv, c] of this.#byConv) if (!picked.has(conv) && r.id(c.first) - 1 < mark) mark = r.id(c.first) - 1
      if (mark !== this.#mark) {
        this.#q.mark.run(mark)
        this.#mark = mark
      }
    }
    return indexed
  }

  /** Drops what a committed index wrote from memory. */
  forget(indexed: Indexed): void {
    for (const { conv, count } of indexed) {
      const c = this.#byConv.get(conv)
      if (!c) continue
      const n = Math.min(count, c.count)
      for (let i = 0; i < n; i++) c.first = this.#rows.remove(c.first)
      c.count -= n
      this.#size -= n
      if (c.count < this.#minRows) this.#full.delete(conv)
      if (c.count === 0) this.#byConv.delete(conv)
    }
  }
}
