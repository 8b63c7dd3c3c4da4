import type { ConversationErasure, VisitorDataStore } from '../store.js'
import type { PgDb, PgTx } from './db.js'

// Erasing a visitor's data on PostgreSQL. A conversation's content goes (its messages, and with each
// row the generated `search` tsvector that is its transcript-search entry; notes; attachment records,
// whose blob keys the caller deletes; survey answers, consents, labels and language; context and
// contact; the webhook deliveries about it) while its header stays as a stub with erased_at set,
// closed if it was open: ids, times, routing, agents and read cursors, and the responses' csat, nps,
// kind and time, so reports still add up (first_agent_at keeps the first response the report reads
// off the messages otherwise). A conversation under a legal hold is left whole. The deleted rows'
// bytes stay in the table's pages until they are reused or the store is vacuumed (VACUUM FULL), and
// in the WAL until its segments are recycled; no column holding them is sampled into pg_statistic
// (schema/006-data-rights.ts, 007-webhooks.ts).
// docs/operations.md, "Erasure on PostgreSQL", tells operators what replicas and archives keep.

type ErasureMethods = Pick<VisitorDataStore, 'eraseConversations' | 'eraseVisitor' | 'scrubFreePages'>

/** Conversations erased per transaction: a visitor with many holds no lock on all of them at once. */
const BATCH = 100

type Counts = ConversationErasure['counts']

/** An erasure that removed nothing yet. */
function noErasure(): ConversationErasure {
  return {
    erased: [], held: [], blobKeys: [],
    counts: { conversations: 0, messages: 0, surveyResponses: 0, contexts: 0, notes: 0, attachments: 0, searchEntries: 0 },
  }
}

/** Erases one batch of the brand's conversations in the caller's transaction, adding to `out`. */
async function eraseBatch(tx: PgTx, brandId: string, convIds: readonly string[], at: number, out: ConversationErasure): Promise<void> {
  // Locked in conv_id order, as appends and every method that changes several conversations lock them.
  const convs = await tx.rows<{ conv_id: string; held: boolean; erased: boolean }>(`SELECT conv_id, legal_hold IS NOT NULL AS held,
    erased_at IS NOT NULL AS erased FROM conversations WHERE brand_id = $1 AND conv_id = ANY($2) ORDER BY conv_id FOR UPDATE`, [brandId, convIds])
  out.held.push(...convs.filter((c) => c.held).map((c) => c.conv_id))
  // An erased stub is erased again (whatever reached it since is removed) but not counted again.
  const targets = convs.filter((c) => !c.held).map((c) => c.conv_id)
  if (targets.length === 0) return
  const count = async (sql: string) => tx.run(sql, [brandId, targets])
  // The report's first response (reports.ts) is read off the messages about to go.
  await count(`UPDATE conversations c SET first_agent_at = (SELECT m.at FROM messages m
      WHERE m.brand_id = c.brand_id AND m.conv_id = c.conv_id AND m.sender_kind = 'agent' ORDER BY m.seq LIMIT 1)
    WHERE c.brand_id = $1 AND c.conv_id = ANY($2) AND c.first_agent_at IS NULL`)
  const messages = await tx.rows<{ indexed: boolean }>(`DELETE FROM messages WHERE brand_id = $1 AND conv_id = ANY($2)
    RETURNING search IS NOT NULL AND search <> ''::tsvector AS indexed`, [brandId, targets])
  out.counts.messages += messages.length
  out.counts.searchEntries += messages.filter((m) => m.indexed).length
  out.counts.notes += await count('DELETE FROM conversation_notes WHERE brand_id = $1 AND conv_id = ANY($2)')
  const files = await tx.rows<{ blob_key: string; thumb_key: string | null }>(`DELETE FROM attachments WHERE brand_id = $1 AND conv_id = ANY($2)
    RETURNING blob_key, thumb_key`, [brandId, targets])
  out.counts.attachments += files.length
  for (const f of files) out.blobKeys.push(f.blob_key, ...(f.thumb_key !== null ? [f.thumb_key] : []))
  out.counts.surveyResponses += await count(`UPDATE survey_responses SET answers = '{}', consents = NULL, labels = NULL, language = NULL
    WHERE brand_id = $1 AND conv_id = ANY($2) AND (answers <> '{}' OR consents IS NOT NULL OR labels IS NOT NULL OR language IS NOT NULL)`)
  // Their bodies hold the text; the enqueue drops what comes for an erased conversation later (webhooks.ts).
  await count('DELETE FROM webhook_deliveries WHERE brand_id = $1 AND conv_id = ANY($2)')
  const stubs = await tx.rows<{ conv_id: string; had_context: boolean; was_erased: boolean }>(`UPDATE conversations c
    SET context = NULL, contact = NULL, erased_at = coalesce(c.erased_at, $3), status = 'closed', closed_at = coalesce(c.closed_at, $3)
    FROM (SELECT conv_id, context IS NOT NULL AS had_context, erased_at IS NOT NULL AS was_erased FROM conversations
      WHERE brand_id = $1 AND conv_id = ANY($2)) o
    WHERE c.brand_id = $1 AND c.conv_id = o.conv_id RETURNING c.conv_id, o.had_context, o.was_erased`, [brandId, targets, at])
  out.counts.contexts += stubs.filter((s) => s.had_context).length
  const erased = stubs.filter((s) => !s.was_erased).map((s) => s.conv_id)
  out.counts.conversations += erased.length
  out.erased.push(...erased)
}

/** The Store's erasure methods over `db`. */
export function createErasure(db: PgDb): ErasureMethods {
  return {
    async eraseConversations(brandId, convIds, at) {
      const out = noErasure()
      const ids = [...new Set(convIds)]
      for (let i = 0; i < ids.length; i += BATCH) {
        const batch = ids.slice(i, i + BATCH)
        // A batch's counts are added only once its transaction committed (a retried one starts over).
        const part = await db.tx(brandId, async (tx) => {
          const p = noErasure()
          await eraseBatch(tx, brandId, batch, at, p)
          return p
        })
        out.erased.push(...part.erased)
        out.held.push(...part.held)
        out.blobKeys.push(...part.blobKeys)
        for (const k of Object.keys(out.counts) as (keyof Counts)[]) out.counts[k] += part.counts[k]
      }
      return out
    },

    async eraseVisitor(brandId, visitorId) {
      return db.tx(brandId, async (tx) => {
        const visitor = await tx.rows<{ had_context: boolean }>('DELETE FROM visitors WHERE brand_id = $1 AND visitor_id = $2 RETURNING context IS NOT NULL AS had_context',
          [brandId, visitorId])
        const consentEvents = await tx.run('DELETE FROM consent_events WHERE brand_id = $1 AND visitor_id = $2', [brandId, visitorId])
        const customers = await tx.run('DELETE FROM customers WHERE brand_id = $1 AND visitor_id = $2', [brandId, visitorId])
        return { visitors: visitor.length, customers, consentEvents, contexts: visitor.filter((v) => v.had_context).length }
      })
    },

    // Free space in a table's pages is not a list of whole pages to overwrite: what reaches it is VACUUM FULL (above).
    async scrubFreePages() { return 0 },
  }
}
