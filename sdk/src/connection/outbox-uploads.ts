import { uploadFile, uploadThumbnail, type TransferTarget } from './attachment-transfer.js'
import type { ConnectionErrorInfo, OutboxEntry } from './types.js'

// A message's files go up before the message: each file, then its thumbnail, each step written
// back to the outbox entry as it succeeds, so a reload resumes where the last one stopped (and a
// step whose answer was lost is repeated with the same Idempotency-Key, which the relay answers
// with the attachment it already stored).

/** What preparing an entry came to: ready to send, wait and retry, or refused for good. */
export type Prepared = { kind: 'ready' } | { kind: 'later'; error: ConnectionErrorInfo } | { kind: 'refused'; error: ConnectionErrorInfo }

/** Whether an entry still has a file or thumbnail to upload. */
export function hasPendingUploads(entry: OutboxEntry): boolean {
  return entry.files?.some((f) => !f.ref || (f.thumbnail !== undefined && !f.thumbnailDone)) ?? false
}

/** Uploads what is left of an entry's files, saving the entry after each step. */
export async function uploadEntryFiles(entry: OutboxEntry, target: TransferTarget, save: (entry: OutboxEntry) => Promise<void>): Promise<Prepared> {
  for (const file of entry.files ?? []) {
    if (!file.ref) {
      const r = await uploadFile(target, file)
      if ('code' in r) return { kind: r.retryable ? 'later' : 'refused', error: r }
      file.ref = r
      await save(entry)
    }
    if (file.thumbnail && !file.thumbnailDone) {
      const r = await uploadThumbnail(target, file.ref.attachmentId, file.thumbnail)
      if (r !== true && r.retryable) return { kind: 'later', error: r }
      // A thumbnail refused for good costs only the preview: the file goes without one.
      file.thumbnailDone = true
      if (r === true) file.ref = { ...file.ref, thumbnail: true }
      await save(entry)
    }
  }
  return { kind: 'ready' }
}
