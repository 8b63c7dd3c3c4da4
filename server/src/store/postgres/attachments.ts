import type { AttachmentRecord, Store } from '../store.js'
import type { PgDb } from './db.js'
import { type AttachmentRow, toAttachmentRecord } from '../attachment-rows.js'

// Attachment records on PostgreSQL; the bytes live in the relay's BlobStore. A record is created
// unsent (conv_id NULL) by the upload, and bound to a message (conv_id, seq) by the append that sends
// it, in the append's transaction (messages.ts), which updates the row: a change made here "only
// while unsent" locks the row first, so it happens wholly before the binding or finds it sent.

type AttachmentMethods = Pick<Store, 'createAttachment' | 'getAttachment' | 'setAttachmentThumbnail' | 'listUnsentAttachments' | 'deleteAttachment'>

const INSERT_ATTACHMENT = `INSERT INTO attachments
  (brand_id, attachment_id, uploader, name, type, size, width, height, blob_key, thumb_key, created_at, conv_id, seq)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`

function attachmentParams(a: AttachmentRecord): unknown[] {
  return [a.brandId, a.attachmentId, a.uploader, a.name, a.type, a.size, a.width, a.height, a.blobKey, a.thumbKey, a.createdAt, a.convId, a.seq]
}

/** Whether two records are the same upload (what later calls change, the thumbnail and the message, aside). */
function isSameUpload(x: AttachmentRecord, y: AttachmentRecord): boolean {
  return x.uploader === y.uploader && x.name === y.name && x.type === y.type && x.size === y.size && x.width === y.width
    && x.height === y.height && x.blobKey === y.blobKey && x.createdAt === y.createdAt
}

/** The attachment methods of the PostgreSQL store. */
export function createAttachments(db: PgDb): AttachmentMethods {
  return {
    // A repeat of a create that committed (its COMMIT's answer lost, db.ts) finds the same upload and
    // succeeds, even after a thumbnail or a message changed the row since; a different upload under
    // the same id is refused as the plain insert refuses it (23505).
    async createAttachment(a) {
      await db.tx(a.brandId, async (tx) => {
        const inserted = await tx.run(`${INSERT_ATTACHMENT} ON CONFLICT (brand_id, attachment_id) DO NOTHING`, attachmentParams(a))
        if (inserted > 0) return
        const row = await tx.one<AttachmentRow>('SELECT * FROM attachments WHERE brand_id = $1 AND attachment_id = $2', [a.brandId, a.attachmentId])
        if (row && isSameUpload(toAttachmentRecord(row), a)) return
        await tx.run(INSERT_ATTACHMENT, attachmentParams(a))
      })
    },
    async getAttachment(brandId, attachmentId) {
      const r = await db.tx(brandId, (tx) => tx.one<AttachmentRow>('SELECT * FROM attachments WHERE brand_id = $1 AND attachment_id = $2', [brandId, attachmentId]))
      return r ? toAttachmentRecord(r) : null
    },
    // The thumbnail's own size is not kept: width/height stay the file's, as read at upload. The
    // row is read locked and written in one transaction, so two replacements racing each get the
    // key they replaced (the second reads the first's), and none lands on a sent attachment.
    async setAttachmentThumbnail(brandId, attachmentId, thumbKey) {
      return db.tx(brandId, async (tx) => {
        const row = await tx.one<{ thumb_key: string | null }>(`SELECT thumb_key FROM attachments
          WHERE brand_id = $1 AND attachment_id = $2 AND conv_id IS NULL FOR UPDATE`, [brandId, attachmentId])
        if (!row) return null
        await tx.run('UPDATE attachments SET thumb_key = $3 WHERE brand_id = $1 AND attachment_id = $2', [brandId, attachmentId, thumbKey])
        return { previous: row.thumb_key }
      })
    },
    // The ids across brands, oldest first, then each brand's rows read under its own policy.
    async listUnsentAttachments(before, limit) {
      const rows = await db.tx(null, async (tx) => {
        const ids = await tx.rows<{ brand_id: string; attachment_id: string }>('SELECT * FROM parley_unsent_attachment_ids($1, $2)', [before, limit])
        const found = new Map<string, AttachmentRow>()
        for (const brandId of new Set(ids.map((r) => r.brand_id))) {
          await tx.setBrand(brandId)
          const of = ids.filter((r) => r.brand_id === brandId).map((r) => r.attachment_id)
          const brandRows = await tx.rows<AttachmentRow>('SELECT * FROM attachments WHERE brand_id = $1 AND attachment_id = ANY($2) AND conv_id IS NULL', [brandId, of])
          for (const r of brandRows) found.set(`${r.brand_id}\n${r.attachment_id}`, r)
        }
        return ids.flatMap((r) => found.get(`${r.brand_id}\n${r.attachment_id}`) ?? [])
      })
      return rows.map(toAttachmentRecord)
    },
    // Only an unsent one: a file a message carries stays as long as the message.
    async deleteAttachment(brandId, attachmentId) {
      await db.tx(brandId, (tx) => tx.run('DELETE FROM attachments WHERE brand_id = $1 AND attachment_id = $2 AND conv_id IS NULL', [brandId, attachmentId]))
    },
  }
}
