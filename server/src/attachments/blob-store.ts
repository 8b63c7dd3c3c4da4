import type { Readable } from 'node:stream'

// Where attachment bytes live. Keys are chosen by the relay (blobKeys below), never by a client,
// so an implementation may map them onto paths or object names without escaping. A `put` either
// stores the whole stream under the key or stores nothing visible under it: a crash, a refused
// stream (the byte limit) or a failed write leaves no half file behind a real key.

/** What `head` knows of a stored blob. */
export interface BlobInfo {
  size: number
}

/** Storage for attachment bytes: the data directory (default) or an S3-compatible bucket. */
export interface BlobStore {
  /** Stores `body` under `key`, whole or not at all; resolves with the bytes written. Rejects with the stream's error when it fails. */
  put(key: string, body: Readable, type: string): Promise<number>
  /** The blob's bytes as a stream, or null when there is none. */
  get(key: string): Promise<Readable | null>
  /** The blob's size, or null when there is none. */
  head(key: string): Promise<BlobInfo | null>
  /** Deletes the blob; a key that is not there is not an error. */
  delete(key: string): Promise<void>
}

/** Keys are `<brand>/<attachment>` plus a suffix; only these characters, so they are safe as paths and object names. */
export const BLOB_KEY = /^[A-Za-z0-9_-]{1,128}\/[A-Za-z0-9_-]{1,128}(\.[a-z]{1,16})?$/

/** Throws unless `key` is one the relay makes. */
export function checkBlobKey(key: string): void {
  if (!BLOB_KEY.test(key)) throw new Error(`not a blob key: ${JSON.stringify(key.slice(0, 80))}`)
}

const THUMB_SUFFIX: Readonly<Record<string, string>> = { 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/webp': 'webp' }

/**
 * The key of an attachment's file, and of its thumbnail of `type` (PNG, JPEG or WebP: the key keeps
 * the type). Each thumbnail upload gets its own key (`version`, unique), so a replacement never
 * overwrites the blob the record names until the record names the new one.
 */
export function blobKeys(brandId: string, attachmentId: string): { file: string; thumbnail(type: string, version: string): string } {
  const key = `${brandId}/${attachmentId}`
  checkBlobKey(key)
  return {
    file: key,
    thumbnail: (type, version) => {
      const thumb = `${key}-${version}.${THUMB_SUFFIX[type] ?? 'bin'}`
      checkBlobKey(thumb)
      return thumb
    },
  }
}

/** The image type of a thumbnail key. */
export function thumbnailType(key: string): string {
  const suffix = key.slice(key.lastIndexOf('.') + 1)
  return Object.entries(THUMB_SUFFIX).find(([, s]) => s === suffix)?.[0] ?? 'application/octet-stream'
}
