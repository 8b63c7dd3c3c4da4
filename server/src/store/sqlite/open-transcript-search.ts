import type Database from 'better-sqlite3'

// Words in open conversations. transcript_search holds closed conversations only: a conversation is
// indexed once, at close, so that appending a message (the relay's hot path, see test/bench/README.md)
// writes no full-text index page. Rather than give up that design, or add an index step that would
// also have to be kept in step with masking runs, a search tokenises the brand's open conversations
// when it runs: their rows go into a full-text table in an in-memory database, with the same
// tokenizer as transcript_search, inside a transaction that is rolled back once the matches are read.
// Nothing is written to the file and no copy of a message outlives the query; the text read is
// message_log's, which masking wrote (and any later masking run rewrote), so masking applies as it
// does everywhere else. The cost is one read of every open conversation's messages per search with
// words (measured in test/bench/README.md); open conversations are the live ones, a small share of a
// brand's history.

/** Finds which of some open conversations have a message matching an FTS5 expression. */
export type OpenTranscriptSearch = (convs: readonly number[], match: string) => number[]

/** An open-conversation search on `db`; `unindexedIds` lists the message_log ids of a conversation's rows not in message_by_seq yet. */
export function createOpenTranscriptSearch(db: Database.Database, unindexedIds: (conv: number) => number[]): OpenTranscriptSearch {
  db.exec("ATTACH DATABASE ':memory:' AS open_search")
  db.exec("CREATE VIRTUAL TABLE open_search.open_transcripts USING fts5(text, conv UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')")
  // One statement each for the indexed and the newest rows: the copy runs inside SQLite, not row by row from here.
  const copyIndexed = db.prepare(`INSERT INTO open_search.open_transcripts (rowid, text, conv)
    SELECT m.id, m.text, b.conv FROM json_each(?) j JOIN message_by_seq b ON b.conv = j.value JOIN message_log m ON m.id = b.id`)
  const copyUnindexed = db.prepare(`INSERT INTO open_search.open_transcripts (rowid, text, conv)
    SELECT m.id, m.text, m.conv FROM json_each(?) j JOIN message_log m ON m.id = j.value`)
  const matches = db.prepare<[string], { conv: number }>('SELECT DISTINCT conv FROM open_search.open_transcripts WHERE open_transcripts MATCH ?')
  return (convs, match) => {
    if (convs.length === 0) return []
    const newest: number[] = []
    for (const conv of convs) for (const id of unindexedIds(conv)) newest.push(id)
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
}
