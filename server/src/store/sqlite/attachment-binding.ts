import type Database from 'better-sqlite3'
import type { AttachmentRef, Participant } from '@parley/sdk/contract'
import type { AttachmentRecord } from '../store.js'
import { type AttachmentRow, toAttachmentRecord } from './attachments.js'
import { toAttachmentRef, uploaderOf } from '../../attachments/attachment-ref.js'

// Binding uploads to the message that sends them, inside the append's transaction: each must be
// the sender's own upload in the brand and not sent before. A bound attachment is written at
// once, so a second message of the same batch naming it finds it in use.

export type AttachmentCheck =
  | { ok: true; records: AttachmentRecord[] }
  | { ok: false; code: 'PARLEY_ERR_ATTACHMENT_NOT_FOUND' | 'PARLEY_ERR_ATTACHMENT_IN_USE' }

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
      const uploader = uploaderOf(from)
      const records: AttachmentRecord[] = []
      for (const id of ids) {
        const r = q.get.get(brandId, id)
        // Another sender's upload is not theirs to see, let alone send: not found, as if absent.
        if (!r || r.uploader !== uploader) return { ok: false, code: 'PARLEY_ERR_ATTACHMENT_NOT_FOUND' }
        if (r.conv_id !== null) return { ok: false, code: 'PARLEY_ERR_ATTACHMENT_IN_USE' }
        records.push(toAttachmentRecord(r))
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
