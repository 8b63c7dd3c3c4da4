import type { AppendRequest, AppendResult, Redaction, Store } from '../store.js'
import type { PgDb, PgTx } from './db.js'
import { appendBatch, firstBrandOf } from './append-batch.js'
import { BatchRacedError } from './conversation-opening.js'
import { MESSAGE_COLUMNS, type MessageRow, toMessageRecord } from './message-rows.js'

// Messages: the group commit of appends (append-batch.ts), reads and redactions. Search reads
// messages.text itself (listing.ts), so a redaction rewrites the one copy of a message's text.

/** The Store methods this part implements. */
export type MessagesMethods = Pick<Store, 'appendMessages' | 'redactMessages' | 'readMessages'>

/**
 * How many times a batch runs again after another node stored first a row it decided on. One rerun
 * finds that row; more would take a third node racing on the same ids each time.
 */
const RACE_RETRIES = 5

/** Appends a batch in one transaction, again from the start when another node's rows got in first. */
async function appendWithRetries(db: PgDb, batch: readonly AppendRequest[]): Promise<AppendResult[]> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.tx(firstBrandOf(batch), (tx) => appendBatch(tx, batch))
    } catch (err) {
      if (!(err instanceof BatchRacedError) || attempt >= RACE_RETRIES) throw err
    }
  }
}

/** Rewrites one message's text (only while it is `ifText`, when given); whether it did. */
async function redactOne(tx: PgTx, brandId: string, r: Redaction): Promise<boolean> {
  return await tx.run(`UPDATE messages SET text = $4 WHERE brand_id = $1 AND conv_id = $2 AND seq = $3 AND ($5::text IS NULL OR text = $5)`,
    [brandId, r.convId, r.seq, r.text, r.ifText ?? null]) === 1
}

/**
 * Applies redactions in one statement; resolves the indexes of those applied. Only for a list that
 * names each message once (one UPDATE changes a row once, whichever of two entries it picked).
 */
async function redactAll(tx: PgTx, brandId: string, redactions: readonly Redaction[]): Promise<Set<number>> {
  const rows = await tx.rows<{ i: number }>(`UPDATE messages m SET text = r.text
    FROM unnest($2::text[], $3::int[], $4::text[], $5::text[]) WITH ORDINALITY AS r(conv_id, seq, text, if_text, i)
    WHERE m.brand_id = $1 AND m.conv_id = r.conv_id AND m.seq = r.seq AND (r.if_text IS NULL OR m.text = r.if_text)
    RETURNING r.i::int - 1 AS i`,
  [brandId, redactions.map((r) => r.convId), redactions.map((r) => r.seq), redactions.map((r) => r.text), redactions.map((r) => r.ifText ?? null)])
  return new Set(rows.map((r) => r.i))
}

const namesEachMessageOnce = (redactions: readonly Redaction[]): boolean =>
  new Set(redactions.map((r) => `${r.seq}\0${r.convId}`)).size === redactions.length

/** The messages methods of the PostgreSQL store over `db`. */
export function createMessages(db: PgDb): MessagesMethods {
  return {
    async appendMessages(batch) {
      if (batch.length === 0) return []
      return appendWithRetries(db, batch)
    },

    async redactMessages(brandId, redactions) {
      if (redactions.length === 0) return []
      return db.tx(brandId, async (tx) => {
        let applied: Set<number>
        if (namesEachMessageOnce(redactions)) {
          applied = await redactAll(tx, brandId, redactions)
        } else {
          // The same message twice: one after the other, as given (a later ifText sees the earlier text).
          applied = new Set()
          for (const [i, r] of redactions.entries()) if (await redactOne(tx, brandId, r)) applied.add(i)
        }
        return redactions.filter((_, i) => applied.has(i)).map((r) => ({ convId: r.convId, seq: r.seq, text: r.text }))
      })
    },

    async readMessages(brandId, convId, afterSeq, limit) {
      return db.tx(brandId, async (tx) => {
        const rows = await tx.rows<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM messages m
          WHERE m.brand_id = $1 AND m.conv_id = $2 AND m.seq > $3 ORDER BY m.seq LIMIT $4`, [brandId, convId, afterSeq, limit])
        return rows.map((r) => toMessageRecord(brandId, r))
      })
    },
  }
}
