import type { MaskingItem, MaskingPhase, MaskingRunRecord } from './store.js'

// The rows of a masking run and of the items it reads, as both stores' tables hold them (the same
// columns), and their records: pure, no database in it.

/** A masking_runs row. */
export interface MaskingRunRow {
  brand_id: string; run_id: string; status: MaskingRunRecord['status']; started_at: number; finished_at: number | null
  phase: MaskingPhase; position: number; scanned: number; changed: number; contexts_scanned: number; contexts_changed: number
  notes_scanned: number; notes_changed: number; files_scanned: number; files_changed: number
}

/** One stored text a masking phase reads, by its key. */
export interface MaskingItemRow { key: number; conv_id: string | null; seq: number | null; visitor_id: string | null; text: string }

/** Thrown inside a step's transaction to roll it back: the data moved since the batch was read. */
export class StaleMaskingStep extends Error {}

/** The record of a masking_runs row. */
export function toMaskingRun(r: MaskingRunRow): MaskingRunRecord {
  return {
    brandId: r.brand_id, runId: r.run_id, status: r.status, startedAt: r.started_at, finishedAt: r.finished_at,
    phase: r.phase, position: r.position, scanned: r.scanned, changed: r.changed,
    contextsScanned: r.contexts_scanned, contextsChanged: r.contexts_changed,
    notesScanned: r.notes_scanned, notesChanged: r.notes_changed, filesScanned: r.files_scanned, filesChanged: r.files_changed,
  }
}

/** The item of a row a masking phase read. */
export function toMaskingItem(r: MaskingItemRow): MaskingItem {
  return { key: r.key, convId: r.conv_id, seq: r.seq, visitorId: r.visitor_id, text: r.text }
}

/**
 * A queued or logged message.created or offline.created body with the message's text replaced by
 * its rewrite: a masking run rewrites the copies webhooks keep with the message, else the outbox
 * would send (and its log and replays keep) the text the new masking hides.
 */
export function withRewrittenText(payload: string, text: string): string {
  const body = JSON.parse(payload) as { data?: { text?: unknown } }
  if (!body.data || typeof body.data.text !== 'string') return payload
  body.data.text = text
  return JSON.stringify(body)
}
