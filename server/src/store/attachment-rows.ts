import type { AttachmentRecord } from './store.js'

// An attachments row as both stores' tables hold it (the same columns), and its record: pure.

/** A row of the attachments table (`id` and `position` are the table's and the binder's, not the record's). */
export interface AttachmentRow {
  brand_id: string; attachment_id: string; uploader: string; name: string; type: AttachmentRecord['type']; size: number
  width: number | null; height: number | null; blob_key: string; thumb_key: string | null; created_at: number
  conv_id: string | null; seq: number | null
}

/** The Store's record of an attachments row. */
export function toAttachmentRecord(r: AttachmentRow): AttachmentRecord {
  return {
    brandId: r.brand_id, attachmentId: r.attachment_id, uploader: r.uploader, name: r.name, type: r.type, size: r.size,
    width: r.width, height: r.height, blobKey: r.blob_key, thumbKey: r.thumb_key, createdAt: r.created_at, convId: r.conv_id, seq: r.seq,
  }
}
