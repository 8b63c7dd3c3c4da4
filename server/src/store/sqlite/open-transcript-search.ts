import type Database from 'better-sqlite3'
import { TRANSCRIPT_TOKENIZER } from './search.js'

// Words in open conversations. transcript_search holds closed conversations only: a conversation is
// indexed once, at close, so that appending a message (the relay's hot path, see test/bench/README.md)
// writes no full-text index page. Rather than give up that design, or keep a second index that every
// path rewriting or deleting messages (masking runs, redactions, retention, erasure) would have to
// keep in step, a search tokenises the brand's open conversations when it runs: their rows go into a
// full-text table in an in-memory database, with the same tokenizer as transcript_search, inside a
// transaction that is rolled back once the matches are read. Nothing is written to the file and no
// copy of a message outlives the query; the text read is message_log's, which masking wrote (and any
// later masking run rewrote), so masking applies as it does everywhere else.
//
// Tokenising costs about 3 µs a message (test/bench/README.md) on the thread that also commits
// appends, so the conversations are taken in slices of about SLICE_MESSAGES messages, each its own
// rolled-back transaction, with the event loop free between slices: an append waits for one slice,
// not for the whole search. Matches are per message, so slicing by conversation finds the same.

/** Messages tokenised at most (give or take one conversation) before appends get a turn. */
const SLICE_MESSAGES = 2000

/** An open conversation to search: its row id and how many of its messages are indexed by seq (its last_seq). */
export interface OpenCandidate { id: number; indexed: number }

/** Finds which of some open conversations have a message matching an FTS5 expression. */
export type OpenTranscriptSearch = (convs: readonly OpenCandidate[], match: string) => Promise<number[]>

/** A conversation's rows not in message_by_seq yet: their message_log ids, and how many. */
export interface UnindexedIds {
  ids(conv: number): number[]
  count(conv: number): number
}

/** An open-conversation search on `db`. */
export function createOpenTranscriptSearch(db: Database.Database, unindexed: UnindexedIds): OpenTranscriptSearch {
  db.exec("ATTACH DATABASE ':memory:' AS open_search")
  db.exec(`CREATE VIRTUAL TABLE open_search.open_transcripts USING fts5(text, conv UNINDEXED, tokenize = "${TRANSCRIPT_TOKENIZER}")`)
  // One statement each for the indexed and the newest rows: the copy runs inside SQLite, not row by row from here.
  const copyIndexed = db.prepare(`INSERT INTO open_search.open_transcripts (rowid, text, conv)
    SELECT m.id, m.text, b.conv FROM json_each(?) j JOIN message_by_seq b ON b.conv = j.value JOIN message_log m ON m.id = b.id`)
  const copyUnindexed = db.prepare(`INSERT INTO open_search.open_transcripts (rowid, text, conv)
    SELECT m.id, m.text, m.conv FROM json_each(?) j JOIN message_log m ON m.id = j.value`)
  const matches = db.prepare<[string], { conv: number }>('SELECT DISTINCT conv FROM open_search.open_transcripts WHERE open_transcripts MATCH ?')

  /** The conversations of one slice that match; synchronous, so nothing else runs inside its transaction. */
  function searchSlice(convs: readonly number[], match: string): number[] {
    // Read here, in the same synchronous run as the copy: between slices the store may index these
    // rows (moving them into message_by_seq), and a row must be copied from exactly one of the two.
    const newest: number[] = []
    for (const conv of convs) for (const id of unindexed.ids(conv)) newest.push(id)
    // Only the in-memory database is written; the rollback empties it.
    db.exec('BEGIN')
    try {
      copyIndexed.run(JSON.stringify(convs))
      if (newest.length > 0) copyUnindexed.run(JSON.stringify(newest))
      return matches.all(match).map((r) => r.conv)
    } finally {
      db.exec('ROLLBACK')
    }
  }

  return async (convs, match) => {
    const hits: number[] = []
    let slice: number[] = []
    let size = 0
    let first = true
    for (let i = 0; i < convs.length; i++) {
      const c = convs[i]!
      slice.push(c.id)
      size += c.indexed + unindexed.count(c.id)
      if (size < SLICE_MESSAGES && i < convs.length - 1) continue
      // The first slice runs at once; each later one after whatever else was waiting (an append).
      if (!first) await new Promise<void>((resolve) => setImmediate(resolve))
      first = false
      hits.push(...searchSlice(slice, match))
      slice = []
      size = 0
    }
    return hits
  }
}
