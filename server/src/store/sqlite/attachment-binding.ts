import type Database from 'better-sqlite3'
import type { AttachmentRef, Participant } from '@parley/sdk/contract'
import type { AttachmentRecord } from '../store.js'
import type { AttachmentRow } from './attachments.js'
import { toAttachmentRecord } from '../attachment-rows.js'
import { toAttachmentRef } from '../../attachments/attachment-ref.js'
import { attachmentSendRefusal, type AttachmentSendRefusal } from '../../policy/attachment-policy.js'

// Binding uploads to the message that sends them, inside the append's transaction: each must be
// the sender's own upload in the brand and not sent before (attachmentSendRefusal decides). A
// bound attachment is written at once, so a second message of the same batch naming it finds it in use.

/** What checking a message's attachment ids gave: their records, in order, or why they may not be sent. */
export type AttachmentCheck =
  | { ok: true; records: AttachmentRecord[] }
  | { ok: false; code: AttachmentSendRefusal }

/** Checks, binds and reads a message's attachments; call inside the append's transaction. */
export function createAttachmentBinder(db: Database.Database) {
  const q = {
    get: db.prepare<[string, string], AttachmentRow>('SELECT * FROM attachments WHERE brand_id = ? AND attachment_id = ?'),
    bind: db.prepare('UPDATE attachments SET conv_id = ?, seq = ?, position = ? WHERE brand_id = ? AND attachment_id = ? AND conv_id IS NULL'),
    ofMessage: db.prepare<[string, string, number], AttachmentRow>(
      'SELECT * FROM attachments WHERE brand_id = ? AND conv_id = ? AND seq = ? ORDER BY position'),
  }
  return {
    /** Whether `ids` may be sent by `from`: all found, theirs, unsent. */
    check(brandId: string, from: Participant, ids: readonly string[]): AttachmentCheck {
      const records: AttachmentRecord[] = []
      for (const id of ids) {
        const row = q.get.get(brandId, id)
        const r = row ? toAttachmentRecord(row) : null
        const refusal = attachmentSendRefusal(r, from)
        if (refusal) return { ok: false, code: refusal }
        records.push(r!)
      }
      return { ok: true, records }
    },
    /** Binds checked records to message `seq`; returns their refs in order. */
    bind(brandId: string, convId: string, seq: number, records: readonly AttachmentRecord[]): AttachmentRef[] {
      records.forEach((r, i) => {
        if (q.bind.run(convId, seq, i, brandId, r.attachmentId).changes !== 1) throw new Error('attachment bound twice in one batch')
      })
      return records.map(toAttachmentRef)
    },
    /** The refs of a stored message. */
    of(brandId: string, convId: string, seq: number): AttachmentRef[] {
      return q.ofMessage.all(brandId, convId, seq).map((r) => toAttachmentRef(toAttachmentRecord(r)))
    },
  }
}
