import type { MaskingItem, MaskingPhase, MaskingRunRecord, MaskingStep, MaskingStepResult, RewrittenMessage, Store } from '../store.js'
import { type MaskingItemRow, type MaskingRunRow, StaleMaskingStep, toMaskingItem, toMaskingRun, withRewrittenText } from '../masking-run-rows.js'
import type { PgDb, PgTx } from './db.js'

// The store's side of masking existing data (masking/mask-existing.ts runs it) on PostgreSQL: a
// brand's stored texts (messages, the contexts of conversations and visitors, internal notes,
// attachment names) read by their identity key, a phase at a time, and each batch's rewrites
// committed in one transaction together with the run's progress, with the run's row locked, so two
// runners (on two nodes) cannot both commit one batch. A run killed at any point resumes from its
// last committed batch; the counts are exact because they move in the same commit as the rows. A
// message's search words are its generated column (migration 3): rewriting the text rewrites them.

type MaskingMethods = Pick<Store, 'startMaskingRun' | 'getMaskingRun' | 'readMaskingItems' | 'commitMaskingStep' | 'failMaskingRun'>

/** Each phase's items past $2 by key, at most $3 (contexts as their stored JSON). */
const ITEMS_SQL: Record<Exclude<MaskingPhase, 'done'>, string> = {
  messages: `SELECT m.id AS key, m.conv_id, m.seq, c.visitor_id, m.text FROM messages m
    JOIN conversations c ON c.brand_id = m.brand_id AND c.conv_id = m.conv_id
    WHERE m.brand_id = $1 AND m.id > $2 ORDER BY m.id LIMIT $3`,
  conversations: `SELECT id AS key, NULL AS conv_id, NULL AS seq, NULL AS visitor_id, context::text AS text FROM conversations
    WHERE brand_id = $1 AND id > $2 AND context IS NOT NULL ORDER BY id LIMIT $3`,
  visitors: `SELECT id AS key, NULL AS conv_id, NULL AS seq, NULL AS visitor_id, context::text AS text FROM visitors
    WHERE brand_id = $1 AND id > $2 AND context IS NOT NULL ORDER BY id LIMIT $3`,
  notes: `SELECT id AS key, NULL AS conv_id, NULL AS seq, NULL AS visitor_id, text FROM conversation_notes
    WHERE brand_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
  attachments: `SELECT id AS key, NULL AS conv_id, NULL AS seq, NULL AS visitor_id, name AS text FROM attachments
    WHERE brand_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
}

/**
 * Each phase's rewrite of one row ($1 brand, $2 key, $3 the text read, $4 the new text), applied only
 * if the row still holds the text read: one the relay changed since (a split card's tail masked, a
 * new context) is not overwritten with a rewrite of its older text. Contexts compare as JSON.
 */
const REWRITE_SQL: Record<Exclude<MaskingPhase, 'done' | 'messages'>, string> = {
  conversations: 'UPDATE conversations SET context = $4::jsonb WHERE brand_id = $1 AND id = $2 AND context = $3::jsonb',
  visitors: 'UPDATE visitors SET context = $4::jsonb WHERE brand_id = $1 AND id = $2 AND context = $3::jsonb',
  notes: 'UPDATE conversation_notes SET text = $4 WHERE brand_id = $1 AND id = $2 AND text = $3',
  attachments: 'UPDATE attachments SET name = $4 WHERE brand_id = $1 AND id = $2 AND name = $3',
}

const REWRITE_MESSAGE_SQL = `UPDATE messages m SET text = $4 WHERE m.brand_id = $1 AND m.id = $2 AND m.text = $3
  RETURNING m.conv_id, m.seq, m.sender_kind || ':' || m.sender_id AS identity,
    (SELECT c.visitor_id FROM conversations c WHERE c.brand_id = m.brand_id AND c.conv_id = m.conv_id) AS visitor_id`

/**
 * A rewritten message's copies in webhook bodies, queued or logged ($1 brand, $2 conversation, $3
 * seq as text, $4 the text read): message.created by its seq; offline.created (the message that
 * opened the conversation; no seq in it) by the text it held.
 */
const WEBHOOK_COPIES_SQL = `SELECT delivery_id, payload FROM webhook_deliveries
  WHERE brand_id = $1 AND conv_id = $2 AND ((type = 'message.created' AND (payload::jsonb #>> '{data,seq}') = $3)
    OR (type = 'offline.created' AND (payload::jsonb #>> '{data,text}') = $4))`

async function readRun(tx: PgTx, brandId: string, runId: string, lock = false): Promise<MaskingRunRow | null> {
  return tx.one<MaskingRunRow>(`SELECT * FROM masking_runs WHERE brand_id = $1 AND run_id = $2${lock ? ' FOR UPDATE' : ''}`, [brandId, runId])
}

async function start(tx: PgTx, brandId: string, runId: string, at: number): Promise<MaskingRunRecord> {
  // Two starts at once (two nodes) must not open two runs: the brand's row is the lock they queue on.
  await tx.one('SELECT 1 FROM brands WHERE brand_id = $1 FOR UPDATE', [brandId])
  const open = await tx.one<MaskingRunRow>(`UPDATE masking_runs SET status = 'running' WHERE brand_id = $1 AND run_id =
    (SELECT run_id FROM masking_runs WHERE brand_id = $1 AND status <> 'done' ORDER BY started_at DESC, id DESC LIMIT 1) RETURNING *`, [brandId])
  if (open) return toMaskingRun(open)
  const row = await tx.one<MaskingRunRow>(`INSERT INTO masking_runs (brand_id, run_id, status, started_at, phase)
    VALUES ($1, $2, 'running', $3, 'messages') RETURNING *`, [brandId, runId, at])
  return toMaskingRun(row!)
}

/** Rewrites the batch's rows; the messages rewritten (for message.redacted). Throws StaleMaskingStep if any row moved. */
async function rewrite(tx: PgTx, brandId: string, s: MaskingStep): Promise<RewrittenMessage[]> {
  const redacted: RewrittenMessage[] = []
  for (const r of s.rewrites) {
    if (s.phase === 'done') throw new StaleMaskingStep()
    if (s.phase === 'messages') {
      const row = await tx.one<{ conv_id: string; seq: number; identity: string; visitor_id: string }>(REWRITE_MESSAGE_SQL, [brandId, r.key, r.before, r.after])
      if (!row) throw new StaleMaskingStep()
      for (const d of await tx.rows<{ delivery_id: string; payload: string }>(WEBHOOK_COPIES_SQL, [brandId, row.conv_id, String(row.seq), r.before])) {
        await tx.run('UPDATE webhook_deliveries SET payload = $3 WHERE brand_id = $1 AND delivery_id = $2', [brandId, d.delivery_id, withRewrittenText(d.payload, r.after)])
      }
      redacted.push({ convId: row.conv_id, seq: row.seq, text: r.after, visitorId: row.visitor_id, identity: row.identity })
    } else if (await tx.run(REWRITE_SQL[s.phase], [brandId, r.key, r.before, r.after]) === 0) {
      throw new StaleMaskingStep()
    }
  }
  return redacted
}

/** Moves the run past the batch: its position (or the next phase at 0), its counts, done after the last phase. */
async function advance(tx: PgTx, brandId: string, runId: string, s: MaskingStep): Promise<MaskingRunRow> {
  const counts = (...phases: MaskingPhase[]) => phases.includes(s.phase) ? [s.scanned, s.rewrites.length] : [0, 0]
  const done = s.next === 'done'
  return (await tx.one<MaskingRunRow>(`UPDATE masking_runs SET phase = $3, position = $4,
      scanned = scanned + $5, changed = changed + $6, contexts_scanned = contexts_scanned + $7, contexts_changed = contexts_changed + $8,
      notes_scanned = notes_scanned + $9, notes_changed = notes_changed + $10, files_scanned = files_scanned + $11, files_changed = files_changed + $12,
      status = CASE WHEN $13 THEN 'done' ELSE status END, finished_at = CASE WHEN $13 THEN $14 ELSE finished_at END
    WHERE brand_id = $1 AND run_id = $2 RETURNING *`, [
    brandId, runId, s.next ?? s.phase, s.next ? 0 : s.to,
    ...counts('messages'), ...counts('conversations', 'visitors'), ...counts('notes'), ...counts('attachments'),
    done, s.at,
  ]))!
}

async function step(tx: PgTx, brandId: string, runId: string, s: MaskingStep): Promise<{ run: MaskingRunRecord; redacted: RewrittenMessage[] }> {
  const run = await readRun(tx, brandId, runId, true)
  if (!run || run.status === 'done' || run.phase !== s.phase || run.position !== s.from) throw new StaleMaskingStep()
  const redacted = await rewrite(tx, brandId, s)
  return { run: toMaskingRun(await advance(tx, brandId, runId, s)), redacted }
}

/** The masking-run methods of the PostgreSQL store over `db`. */
export function createMaskingRuns(db: PgDb): MaskingMethods {
  return {
    async startMaskingRun(brandId, runId, at) { return db.tx(brandId, (tx) => start(tx, brandId, runId, at)) },
    async getMaskingRun(brandId, runId) {
      const r = await db.tx(brandId, (tx) => readRun(tx, brandId, runId))
      return r ? toMaskingRun(r) : null
    },
    async readMaskingItems(brandId, phase, after, limit): Promise<MaskingItem[]> {
      if (phase === 'done') return []
      const rows = await db.tx(brandId, (tx) => tx.rows<MaskingItemRow>(ITEMS_SQL[phase], [brandId, after, limit]))
      return rows.map(toMaskingItem)
    },
    async commitMaskingStep(brandId, runId, s): Promise<MaskingStepResult> {
      try {
        return { ok: true, ...await db.tx(brandId, (tx) => step(tx, brandId, runId, s)) }
      } catch (err) {
        if (!(err instanceof StaleMaskingStep)) throw err
        const r = await db.tx(brandId, (tx) => readRun(tx, brandId, runId))
        return { ok: false, run: r ? toMaskingRun(r) : null }
      }
    },
    async failMaskingRun(brandId, runId, at) {
      await db.tx(brandId, (tx) => tx.run(`UPDATE masking_runs SET status = 'failed', finished_at = $3
        WHERE brand_id = $1 AND run_id = $2 AND status = 'running'`, [brandId, runId, at]))
    },
  }
}
