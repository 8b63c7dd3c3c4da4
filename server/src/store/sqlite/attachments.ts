import type Database from 'better-sqlite3'
import type { AttachmentRef } from '@parley/sdk/contract'
import type { AttachmentRecord, Store } from '../store.js'
import { toAttachmentRef } from '../../attachments/attachment-ref.js'
import { type AttachmentRow as SharedAttachmentRow, toAttachmentRecord } from '../attachment-rows.js'

// Attachment records in SQLite (migration 11); the bytes live in the relay's BlobStore. A record
// is created unsent (conv_id NULL) by the upload, and bound to a message (conv_id, seq) by the
// append that sends it, in the append's transaction (append.ts).

type AttachmentMethods = Pick<Store, 'createAttachment' | 'getAttachment' | 'setAttachmentThumbnail' | 'listUnsentAttachments' | 'deleteAttachment'>

/** A row of the attachments table as better-sqlite3 returns it (`position`: the binder's). */
export interface AttachmentRow extends SharedAttachmentRow { position?: number | null }

/** The attachment methods of the SQLite store. */
export function createAttachments(db: Database.Database): AttachmentMethods {
  const q = {
    insert: db.prepare(`INSERT INTO attachments (brand_id, attachment_id, uploader, name, type, size, width, height, blob_key, thumb_key, created_at, conv_id, seq)
      VALUES (@brandId, @attachmentId, @uploader, @name, @type, @size, @width, @height, @blobKey, @thumbKey, @createdAt, @convId, @seq)`),
    get: db.prepare<[string, string], AttachmentRow>('SELECT * FROM attachments WHERE brand_id = ? AND attachment_id = ?'),
    unsentThumb: db.prepare<[string, string], { thumb_key: string | null }>('SELECT thumb_key FROM attachments WHERE brand_id = ? AND attachment_id = ? AND conv_id IS NULL'),
    thumb: db.prepare('UPDATE attachments SET thumb_key = ? WHERE brand_id = ? AND attachment_id = ? AND conv_id IS NULL'),
    unsent: db.prepare<[number, number], AttachmentRow>('SELECT * FROM attachments WHERE conv_id IS NULL AND created_at <= ? ORDER BY created_at LIMIT ?'),
    delete: db.prepare('DELETE FROM attachments WHERE brand_id = ? AND attachment_id = ? AND conv_id IS NULL'),
  }
  const setThumb = db.transaction((brandId: string, attachmentId: string, thumbKey: string) => {
    const row = q.unsentThumb.get(brandId, attachmentId)
    if (!row) return null
    q.thumb.run(thumbKey, brandId, attachmentId)
    return { previous: row.thumb_key }
  })
  return {
    async createAttachment(rec) { q.insert.run(rec) },
    async getAttachment(brandId, attachmentId) {
      const r = q.get.get(brandId, attachmentId)
      return r ? toAttachmentRecord(r) : null
    },
    // The thumbnail's own size is not kept: width/height stay the file's, as read at upload. Read
    // and write in one transaction, so two replacements racing each get the key they replaced.
    async setAttachmentThumbnail(brandId, attachmentId, thumbKey) {
      return setThumb(brandId, attachmentId, thumbKey)
    },
    async listUnsentAttachments(before, limit) { return q.unsent.all(before, limit).map(toAttachmentRecord) },
    // Only an unsent one: a file a message carries stays as long as the message.
    async deleteAttachment(brandId, attachmentId) { q.delete.run(brandId, attachmentId) },
  }
}

/** Reads the attachments bound to messages: per message of a conversation, in one indexed query. */
export function createMessageAttachments(db: Database.Database): {
  /** The refs of messages `fromSeq..toSeq` of a conversation, by seq (only those that carry some). */
  range(brandId: string, convId: string, fromSeq: number, toSeq: number): Map<number, AttachmentRef[]>
} {
  const q = db.prepare<[string, string, number, number], AttachmentRow>(`SELECT * FROM attachments
    WHERE brand_id = ? AND conv_id = ? AND seq BETWEEN ? AND ? ORDER BY seq, position`)
  return {
    range(brandId, convId, fromSeq, toSeq) {
      const out = new Map<number, AttachmentRef[]>()
      for (const r of q.all(brandId, convId, fromSeq, toSeq)) {
        const list = out.get(r.seq!) ?? []
        list.push(toAttachmentRef(toAttachmentRecord(r)))
        out.set(r.seq!, list)
      }
      return out
    },
  }
}
