import type Database from 'better-sqlite3'
import type { MaskingItem, MaskingPhase, MaskingRunRecord, MaskingStep, MaskingStepResult, RewrittenMessage } from '../store.js'
import { type MaskingItemRow, type MaskingRunRow, StaleMaskingStep, toMaskingItem, toMaskingRun, withRewrittenText } from '../masking-run-rows.js'
import { withSecureDelete } from './secure-delete.js'

// The store's side of masking existing data (masking/mask-existing.ts runs it): a brand's stored
// texts (messages, contexts, internal notes, attachment names) read in key order, a phase at a time, and each batch's rewrites committed in one short
// transaction together with the run's progress. A run killed at any point resumes from its last
// committed batch; the counts are exact because they move in the same commit as the rows.

/** The masking-run methods of the SQLite store, on its connection. */
export function createMaskingRuns(db: Database.Database) {
  const q = {
    run: db.prepare<[string, string], MaskingRunRow>('SELECT * FROM masking_runs WHERE brand_id = ? AND run_id = ?'),
    unfinished: db.prepare<[string], MaskingRunRow>(`SELECT * FROM masking_runs WHERE brand_id = ? AND status != 'done'
      ORDER BY started_at DESC, rowid DESC LIMIT 1`),
    insert: db.prepare(`INSERT INTO masking_runs (brand_id, run_id, status, started_at, phase) VALUES (?, ?, 'running', ?, 'messages')`),
    resume: db.prepare(`UPDATE masking_runs SET status = 'running' WHERE brand_id = ? AND run_id = ?`),
    fail: db.prepare(`UPDATE masking_runs SET status = 'failed', finished_at = ? WHERE brand_id = ? AND run_id = ? AND status = 'running'`),
    progress: db.prepare<{ brand: string; run: string; phase: MaskingPhase; position: number; scanned: number; changed: number
      ctxScanned: number; ctxChanged: number; notesScanned: number; notesChanged: number; filesScanned: number; filesChanged: number
      done: number; at: number }>(`UPDATE masking_runs SET
      phase = @phase, position = @position, scanned = scanned + @scanned, changed = changed + @changed,
      contexts_scanned = contexts_scanned + @ctxScanned, contexts_changed = contexts_changed + @ctxChanged,
      notes_scanned = notes_scanned + @notesScanned, notes_changed = notes_changed + @notesChanged,
      files_scanned = files_scanned + @filesScanned, files_changed = files_changed + @filesChanged,
      status = CASE WHEN @done THEN 'done' ELSE status END, finished_at = CASE WHEN @done THEN @at ELSE finished_at END
      WHERE brand_id = @brand AND run_id = @run`),
    // message_log is append-only in id order and holds every committed message, indexed or not.
    messages: db.prepare<[string, number, number], MaskingItemRow>(`SELECT m.id AS key, c.conv_id, m.seq, c.visitor_id, m.text
      FROM message_log m JOIN conversations c ON c.id = m.conv WHERE c.brand_id = ? AND m.id > ? ORDER BY m.id LIMIT ?`),
    conversations: db.prepare<[string, number, number], MaskingItemRow>(`SELECT id AS key, NULL AS conv_id, NULL AS seq, NULL AS visitor_id,
      context AS text FROM conversations WHERE brand_id = ? AND id > ? AND context IS NOT NULL ORDER BY id LIMIT ?`),
    visitors: db.prepare<[string, number, number], MaskingItemRow>(`SELECT rowid AS key, NULL AS conv_id, NULL AS seq, NULL AS visitor_id,
      context AS text FROM visitors WHERE brand_id = ? AND rowid > ? AND context IS NOT NULL ORDER BY rowid LIMIT ?`),
    notes: db.prepare<[string, number, number], MaskingItemRow>(`SELECT id AS key, NULL AS conv_id, NULL AS seq, NULL AS visitor_id,
      text FROM conversation_notes WHERE brand_id = ? AND id > ? ORDER BY id LIMIT ?`),
    attachments: db.prepare<[string, number, number], MaskingItemRow>(`SELECT id AS key, NULL AS conv_id, NULL AS seq, NULL AS visitor_id,
      name AS text FROM attachments WHERE brand_id = ? AND id > ? ORDER BY id LIMIT ?`),
    // Each rewrite names the text it replaces: a row the relay changed since (a split card's tail
    // masked, a new context) is not overwritten with a rewrite of its older text.
    rewriteMessage: db.prepare<[string, number, string, string], { seq: number; conv_id: string; visitor_id: string; identity: string }>(
      `UPDATE message_log SET text = ? WHERE id = ? AND text = ? AND conv IN (SELECT id FROM conversations WHERE brand_id = ?)
      RETURNING seq, (SELECT conv_id FROM conversations WHERE id = conv) AS conv_id,
        (SELECT visitor_id FROM conversations WHERE id = conv) AS visitor_id,
        (SELECT kind || ':' || ext_id FROM senders WHERE id = sender) AS identity`),
    // Closed conversations' messages are indexed under their message_log id (migration 4).
    rewriteSearch: db.prepare('UPDATE transcript_search SET text = ? WHERE rowid = ?'),
    rewriteConversation: db.prepare('UPDATE conversations SET context = ? WHERE id = ? AND brand_id = ? AND context = ?'),
    rewriteVisitor: db.prepare('UPDATE visitors SET context = ? WHERE rowid = ? AND brand_id = ? AND context = ?'),
    rewriteNote: db.prepare('UPDATE conversation_notes SET text = ? WHERE id = ? AND brand_id = ? AND text = ?'),
    rewriteFile: db.prepare('UPDATE attachments SET name = ? WHERE id = ? AND brand_id = ? AND name = ?'),
    // A message's copies in webhook bodies: message.created by its seq; offline.created (the
    // message that opened the conversation; no seq in it) by the text it held.
    webhookCopies: db.prepare<[string, string, number, string], { seq: number; payload: string }>(`SELECT seq, payload FROM webhook_deliveries
      WHERE brand_id = ? AND conv_id = ? AND ((type = 'message.created' AND json_extract(payload, '$.data.seq') = ?)
        OR (type = 'offline.created' AND json_extract(payload, '$.data.text') = ?))`),
    rewriteWebhookCopy: db.prepare('UPDATE webhook_deliveries SET payload = ? WHERE seq = ?'),
  }

  /** Store.truncateWal: busy_timeout 0 so that a reader mid-snapshot answers busy at once. */
  function truncateWal(): boolean {
    const timeout = db.pragma('busy_timeout', { simple: true }) as number
    db.pragma('busy_timeout = 0')
    try {
      // Busy does not throw: the pragma answers a row with busy = 1 and leaves the WAL as it was.
      const [row] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[]
      return row !== undefined && row.busy === 0
    } catch {
      return false
    } finally {
      db.pragma(`busy_timeout = ${timeout}`)
    }
  }

  const startTx = db.transaction((brandId: string, runId: string, at: number): MaskingRunRecord => {
    const open = q.unfinished.get(brandId)
    if (open) {
      q.resume.run(brandId, open.run_id)
      return toMaskingRun(q.run.get(brandId, open.run_id)!)
    }
    q.insert.run(brandId, runId, at)
    return toMaskingRun(q.run.get(brandId, runId)!)
  })

  const stepTx = db.transaction((brandId: string, runId: string, s: MaskingStep) => {
    const run = q.run.get(brandId, runId)
    if (!run || run.status === 'done' || run.phase !== s.phase || run.position !== s.from) throw new StaleMaskingStep()
    const redacted: RewrittenMessage[] = []
    for (const r of s.rewrites) {
      if (s.phase === 'messages') {
        const row = q.rewriteMessage.get(r.after, r.key, r.before, brandId)
        if (!row) throw new StaleMaskingStep()
        q.rewriteSearch.run(r.after, r.key)
        for (const d of q.webhookCopies.all(brandId, row.conv_id, row.seq, r.before)) q.rewriteWebhookCopy.run(withRewrittenText(d.payload, r.after), d.seq)
        redacted.push({ convId: row.conv_id, seq: row.seq, text: r.after, visitorId: row.visitor_id, identity: row.identity })
      } else {
        const stmt = s.phase === 'conversations' ? q.rewriteConversation
          : s.phase === 'visitors' ? q.rewriteVisitor : s.phase === 'notes' ? q.rewriteNote : q.rewriteFile
        if (stmt.run(r.after, r.key, brandId, r.before).changes === 0) throw new StaleMaskingStep()
      }
    }
    const next = s.next
    const counts = (...phases: MaskingPhase[]) => phases.includes(s.phase) ? [s.scanned, s.rewrites.length] as const : [0, 0] as const
    const [scanned, changed] = counts('messages')
    const [ctxScanned, ctxChanged] = counts('conversations', 'visitors')
    const [notesScanned, notesChanged] = counts('notes')
    const [filesScanned, filesChanged] = counts('attachments')
    q.progress.run({
      brand: brandId, run: runId, phase: next ?? s.phase, position: next ? 0 : s.to,
      scanned, changed, ctxScanned, ctxChanged, notesScanned, notesChanged, filesScanned, filesChanged,
      done: next === 'done' ? 1 : 0, at: s.at,
    })
    return { run: toMaskingRun(q.run.get(brandId, runId)!), redacted }
  })

  return {
    async startMaskingRun(brandId: string, runId: string, at: number): Promise<MaskingRunRecord> {
      return startTx.immediate(brandId, runId, at)
    },
    async getMaskingRun(brandId: string, runId: string): Promise<MaskingRunRecord | null> {
      const r = q.run.get(brandId, runId)
      return r ? toMaskingRun(r) : null
    },
    async readMaskingItems(brandId: string, phase: MaskingPhase, after: number, limit: number): Promise<MaskingItem[]> {
      if (phase === 'done') return []
      return q[phase].all(brandId, after, limit)
        .map(toMaskingItem)
    },
    async commitMaskingStep(brandId: string, runId: string, step: MaskingStep): Promise<MaskingStepResult> {
      // Rewritten text leaves no copy of the original in the file's free space.
      try {
        return { ok: true as const, ...withSecureDelete(db, () => stepTx.immediate(brandId, runId, step)) }
      } catch (err) {
        if (err instanceof StaleMaskingStep) {
          const r = q.run.get(brandId, runId)
          return { ok: false, run: r ? toMaskingRun(r) : null }
        }
        throw err
      }
    },
    async failMaskingRun(brandId: string, runId: string, at: number): Promise<void> {
      q.fail.run(at, brandId, runId)
    },
    async truncateWal(): Promise<boolean> {
      return db.inTransaction ? false : truncateWal()
    },
  }
}
