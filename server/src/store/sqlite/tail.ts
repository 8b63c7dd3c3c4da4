import type Database from 'better-sqlite3'
import type { MessageRow } from './rows.js'

// Lazily indexed messages. A commit only appends rows to `message_log`; the two lookups a message
// needs (by conversation and seq, by sender and clientMsgId) are served for the newest rows from
// memory, and folded into their on-disk index tables a few times a second, many rows at once. A
// group commit then writes a few table pages instead of one index page per conversation and sender,
// which is what its fsync costs. `folded_through` (in store_state) marks what the index tables hold;
// after a crash the rows beyond it are read back into memory, so nothing depends on the process.

/** A message not yet in the index tables. */
export interface TailRow {
  id: number
  conv: number
  seq: number
  sender: number
  row: MessageRow
}

const key = (sender: number, clientMsgId: string) => `${sender}\u0000${clientMsgId}`

/** The in-memory index of unfolded rows, and the fold that moves them to disk. */
export class Tail {
  readonly #byClient = new Map<string, TailRow>()
  readonly #byConv = new Map<number, TailRow[]>()
  #maxId = 0
  readonly #fold: (through: number) => void

  constructor(db: Database.Database) {
    const state = db.prepare<[], { value: number }>("SELECT value FROM store_state WHERE key = 'folded_through'")
    const folded = state.get()?.value ?? 0
    const unfolded = db.prepare<[number], MessageRow & { id: number; conv: number; sender: number }>(`SELECT m.id, m.conv, m.sender,
      m.seq, m.client_msg_id, s.kind AS sender_kind, s.ext_id AS sender_id, m.sender_name, m.text, m.at
      FROM message_log m JOIN senders s ON s.id = m.sender WHERE m.id > ? ORDER BY m.id`)
    for (const r of unfolded.iterate(folded)) {
      const { id, conv, sender, ...row } = r
      this.add({ id, conv, seq: r.seq, sender, row })
    }
    this.#maxId = Math.max(this.#maxId, folded)
    const bySeq = db.prepare('INSERT INTO message_by_seq (conv, seq, id) SELECT conv, seq, id FROM message_log WHERE id > ? AND id <= ? ORDER BY conv, seq')
    const byClient = db.prepare(`INSERT INTO message_by_client_id (sender, client_msg_id, id)
      SELECT sender, client_msg_id, id FROM message_log WHERE id > ? AND id <= ? ORDER BY sender, client_msg_id`)
    const lastSeq = db.prepare(`UPDATE conversations SET last_seq = x.seq FROM
      (SELECT conv, max(seq) AS seq FROM message_log WHERE id > ? AND id <= ? GROUP BY conv) AS x
      WHERE conversations.id = x.conv AND conversations.last_seq < x.seq`)
    const mark = db.prepare("INSERT INTO store_state (key, value) VALUES ('folded_through', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
    let through = folded
    this.#fold = db.transaction((upTo: number) => {
      bySeq.run(through, upTo)
      byClient.run(through, upTo)
      lastSeq.run(through, upTo)
      mark.run(upTo)
      through = upTo
    })
  }

  /** Rows waiting to be folded. */
  get size(): number {
    return this.#byClient.size
  }

  /** Records a committed row (call only after its transaction committed). */
  add(t: TailRow): void {
    this.#byClient.set(key(t.sender, t.row.client_msg_id), t)
    let rows = this.#byConv.get(t.conv)
    if (!rows) this.#byConv.set(t.conv, (rows = []))
    rows.push(t)
    if (t.id > this.#maxId) this.#maxId = t.id
  }

  /** The unfolded row a sender stored under `clientMsgId`, if any. */
  find(sender: number, clientMsgId: string): TailRow | undefined {
    return this.#byClient.get(key(sender, clientMsgId))
  }

  /** The highest unfolded seq of a conversation, or 0. */
  lastSeq(conv: number): number {
    const rows = this.#byConv.get(conv)
    return rows && rows.length > 0 ? rows[rows.length - 1]!.seq : 0
  }

  /** Unfolded rows of a conversation with seq > afterSeq, in seq order. */
  after(conv: number, afterSeq: number): TailRow[] {
    return (this.#byConv.get(conv) ?? []).filter((t) => t.seq > afterSeq)
  }

  /** Writes every unfolded row into the index tables (one transaction) and forgets them here. */
  fold(): void {
    if (this.#byClient.size === 0) return
    this.#fold(this.#maxId)
    this.#byClient.clear()
    this.#byConv.clear()
  }
}
