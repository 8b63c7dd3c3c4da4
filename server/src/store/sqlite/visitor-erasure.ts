import type Database from 'better-sqlite3'
import type { ConversationErasure, Store, VisitorErasure } from '../store.js'
import type { UnindexedRows } from './unindexed-rows.js'
import { scrubFreePages, withSecureDelete } from './secure-delete.js'

// Erasure on SQLite (issue 19). A conversation's content goes: its messages (message_log rows, their
// index entries and search rows), notes, attachment records (the caller deletes the files by the
// keys returned), survey answers (the row stays with its csat, nps, kind and time, so reports still
// add up), context and contact, and the webhook deliveries about it. The header stays as a stub
// with erased_at, closed if it was open. Everything runs with secure_delete ON, so the freed bytes
// are zeroed in the file and the pages the WAL carries; the search index deletes terms at once (its
// 'secure-delete' option, migration 5). Pages freed earlier without zeroing (the store runs with
// FAST) are scrubbed by scrubFreePages, which the caller runs once when the whole erasure (or purge
// pass) is done, not per batch. The WAL's older frames still hold the bytes until the caller empties
// it (Store.truncateWal).
//
// Messages not yet indexed are known to the store's memory by id (unindexed-rows.ts, which holds
// no text): each batch first writes every waiting row to the index tables, so that the rows to
// delete are all found there and nothing in memory points at a deleted row afterwards.

type ErasureMethods = Pick<Store, 'eraseConversations' | 'eraseVisitor' | 'scrubFreePages'>

/** What the erasure borrows from the SQLite store it is part of. */
export interface ErasureDeps {
  unindexed: UnindexedRows
  /** Drops a conversation from the appender's cache (its status or content changed). */
  forgetConversation(brandId: string, convId: string): void
}

/** A transaction stops taking conversations past either bound, so that it holds the write lock briefly. */
const BATCH_CONVERSATIONS = 200
const BATCH_MESSAGES = 1000

interface ConvRow { id: number; conv_id: string; context: string | null; erased_at: number | null; legal_hold: string | null }
type Counts = ConversationErasure['counts']

/** The erasure methods of the SQLite store. */
export function createVisitorErasure(db: Database.Database, deps: ErasureDeps): ErasureMethods {
  const { unindexed } = deps
  let scrubbing: Promise<number> = Promise.resolve(0)
  const q = {
    conv: db.prepare<[string, string], ConvRow>(
      'SELECT id, conv_id, context, erased_at, legal_hold FROM conversations WHERE brand_id = ? AND conv_id = ?'),
    indexed: db.prepare<[number], { id: number }>('SELECT id FROM message_by_seq WHERE conv = ?'),
    // Rows past the indexed-through mark that no index names: only an admin store, which reads no
    // waiting rows back, meets them (a relay's index write above moved the mark past every row).
    mark: db.prepare<[], { value: number }>("SELECT value FROM store_state WHERE key = 'folded_through'"),
    unmarked: db.prepare<[number, number], { id: number }>('SELECT id FROM message_log WHERE id > ? AND conv = ?'),
    deleteMessage: db.prepare<[number], { sender: number; client_msg_id: string }>(
      'DELETE FROM message_log WHERE id = ? RETURNING sender, client_msg_id'),
    deleteClientId: db.prepare('DELETE FROM message_by_client_id WHERE sender = ? AND client_msg_id = ? AND id = ?'),
    deleteSeqs: db.prepare('DELETE FROM message_by_seq WHERE conv = ?'),
    // Reports count the first response time off the messages: the stub keeps it (reports.ts).
    keepFirstResponse: db.prepare(`UPDATE conversations SET first_agent_at = (SELECT m.at FROM message_by_seq b
        JOIN message_log m ON m.id = b.id JOIN senders s ON s.id = m.sender WHERE b.conv = @id AND s.kind = 'agent' ORDER BY b.seq LIMIT 1)
      WHERE id = @id AND first_agent_at IS NULL`),
    // Only closed conversations' messages are in the search index, under their message_log id.
    deleteSearch: db.prepare('DELETE FROM transcript_search WHERE rowid = ?'),
    deleteNotes: db.prepare('DELETE FROM conversation_notes WHERE brand_id = ? AND conv_id = ?'),
    deleteFiles: db.prepare<[string, string], { blob_key: string; thumb_key: string | null }>(
      'DELETE FROM attachments WHERE brand_id = ? AND conv_id = ? RETURNING blob_key, thumb_key'),
    blankAnswers: db.prepare(`UPDATE survey_responses SET answers = '{}', consents = NULL, labels = NULL, language = NULL
      WHERE brand_id = ? AND conv_id = ? AND (answers != '{}' OR consents IS NOT NULL OR labels IS NOT NULL OR language IS NOT NULL)`),
    stub: db.prepare(`UPDATE conversations SET context = NULL, contact = NULL, erased_at = coalesce(erased_at, @at),
      status = 'closed', closed_at = coalesce(closed_at, @at) WHERE id = @id`),
    // Their bodies hold the conversation's text; the enqueue drops what comes for an erased conversation later.
    deleteDeliveries: db.prepare('DELETE FROM webhook_deliveries WHERE brand_id = ? AND conv_id = ?'),
    deleteVisitor: db.prepare<[string, string], { context: string | null }>(
      'DELETE FROM visitors WHERE brand_id = ? AND visitor_id = ? RETURNING context'),
    deleteConsent: db.prepare('DELETE FROM consent_events WHERE brand_id = ? AND visitor_id = ?'),
    deleteCustomer: db.prepare('DELETE FROM customers WHERE brand_id = ? AND visitor_id = ?'),
  }

  /** Deletes a conversation's messages with their index and search entries; adds to `counts`. */
  function deleteMessages(conv: number, counts: Counts): void {
    q.keepFirstResponse.run({ id: conv })
    const ids = new Set(q.indexed.all(conv).map((r) => r.id))
    for (const r of q.unmarked.all(q.mark.get()?.value ?? 0, conv)) ids.add(r.id)
    for (const id of ids) {
      const gone = q.deleteMessage.get(id)
      if (!gone) continue
      counts.messages++
      q.deleteClientId.run(gone.sender, gone.client_msg_id, id)
      counts.searchEntries += q.deleteSearch.run(id).changes
    }
    q.deleteSeqs.run(conv)
  }

  interface Batch { done: number; erased: string[]; held: string[]; blobKeys: string[]; counts: Counts; forget: string[] }

  /** Erases conversations from `convIds[from]` on, until a batch bound; inside one transaction. */
  const batchTx = db.transaction((brandId: string, convIds: readonly string[], from: number, at: number) => {
    const indexed = unindexed.writeIndex(Infinity)
    const b: Batch = {
      done: 0, erased: [], held: [], blobKeys: [], forget: [],
      counts: { conversations: 0, messages: 0, surveyResponses: 0, contexts: 0, notes: 0, attachments: 0, searchEntries: 0 },
    }
    for (let i = from; i < convIds.length && b.done < BATCH_CONVERSATIONS && b.counts.messages < BATCH_MESSAGES; i++, b.done++) {
      const conv = q.conv.get(brandId, convIds[i]!)
      if (!conv) continue
      if (conv.legal_hold !== null) { b.held.push(conv.conv_id); continue }
      // An erased stub is swept again (a post-chat answer may have come in since) but not counted as erased twice.
      if (conv.erased_at === null) { b.erased.push(conv.conv_id); b.counts.conversations++ }
      deleteMessages(conv.id, b.counts)
      b.counts.notes += q.deleteNotes.run(brandId, conv.conv_id).changes
      for (const f of q.deleteFiles.all(brandId, conv.conv_id)) {
        b.counts.attachments++
        b.blobKeys.push(f.blob_key)
        if (f.thumb_key !== null) b.blobKeys.push(f.thumb_key)
      }
      b.counts.surveyResponses += q.blankAnswers.run(brandId, conv.conv_id).changes
      q.deleteDeliveries.run(brandId, conv.conv_id)
      if (conv.context !== null) b.counts.contexts++
      q.stub.run({ id: conv.id, at })
      b.forget.push(conv.conv_id)
    }
    return { batch: b, indexed }
  })

  const visitorTx = db.transaction((brandId: string, visitorId: string): VisitorErasure => {
    const consentEvents = q.deleteConsent.run(brandId, visitorId).changes
    const visitor = q.deleteVisitor.get(brandId, visitorId)
    const customers = q.deleteCustomer.run(brandId, visitorId).changes
    return { visitors: visitor ? 1 : 0, customers, consentEvents, contexts: visitor?.context ? 1 : 0 }
  })

  return {
    async eraseConversations(brandId, convIds, at) {
      const out: ConversationErasure = {
        erased: [], held: [], blobKeys: [],
        counts: { conversations: 0, messages: 0, surveyResponses: 0, contexts: 0, notes: 0, attachments: 0, searchEntries: 0 },
      }
      const unique = [...new Set(convIds)]
      for (let from = 0; from < unique.length;) {
        const { batch, indexed } = withSecureDelete(db, () => batchTx.immediate(brandId, unique, from, at))
        unindexed.forget(indexed)
        for (const convId of batch.forget) deps.forgetConversation(brandId, convId)
        out.erased.push(...batch.erased)
        out.held.push(...batch.held)
        out.blobKeys.push(...batch.blobKeys)
        for (const k of Object.keys(out.counts) as (keyof Counts)[]) out.counts[k] += batch.counts[k]
        from += batch.done
        // Other calls get their turn between batches.
        if (from < unique.length) await new Promise((resolve) => setImmediate(resolve))
      }
      return out
    },
    async eraseVisitor(brandId, visitorId) {
      return withSecureDelete(db, () => visitorTx.immediate(brandId, visitorId))
    },
    scrubFreePages() {
      // One scrub at a time (two erasures ending together): the second starts once the first is done.
      const run = scrubbing.then(() => scrubFreePages(db))
      scrubbing = run.catch(() => 0)
      return run
    },
  }
}
