import type Database from 'better-sqlite3'
import type { Store } from '../store.js'

// Attachment records in SQLite (migration 11); the bytes live in the relay's BlobStore.

type AttachmentMethods = Pick<Store, 'createAttachment' | 'getAttachment' | 'setAttachmentThumbnail' | 'listUnsentAttachments' | 'deleteAttachment'>

/** The attachment methods of the SQLite store. */
export function createAttachments(_db: Database.Database): AttachmentMethods {
  const todo = (): never => { throw new Error('not implemented yet') }
  return { createAttachment: todo, getAttachment: todo, setAttachmentThumbnail: todo, listUnsentAttachments: todo, deleteAttachment: todo }
}
