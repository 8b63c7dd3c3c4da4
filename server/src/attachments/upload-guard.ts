import { Transform, type Readable } from 'node:stream'
import { MAX_THUMBNAIL_SIDE, type AttachmentType } from '@parley/sdk/contract'
import { httpError } from '../errors.js'
import { imageSize, sniffType, SNIFF_BYTES } from './sniff.js'

// The checks an upload streams through on its way to the BlobStore: a byte limit counted as the
// bytes arrive (a missing or lying Content-Length changes nothing), and the first bytes sniffed
// against the declared type before any of them is passed on. A refusal errors the stream, so the
// store's put fails and keeps nothing; `refusal()` then says which typed error to answer with.

/** Types a thumbnail may be. */
export const THUMBNAIL_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const

/** What the guard learnt of the file once it was stored. */
export interface UploadHead {
  size: number
  width: number | null
  height: number | null
  /** Whether the image fits a thumbnail (at most MAX_THUMBNAIL_SIDE a side). */
  thumbnailSized: boolean
}

/** `body` through the checks, for a file of `type` of at most `maxBytes`. */
export function guardedUpload(body: Readable, opts: { maxBytes: number; type: AttachmentType }) {
  let size = 0
  let held: Buffer[] = []
  let heldBytes = 0
  let sniffed = false
  let refusal: Error | null = null
  let head: UploadHead = { size: 0, width: null, height: null, thumbnailSized: false }

  const check = (t: Transform): boolean => {
    const first = Buffer.concat(held)
    if (sniffType(first) !== opts.type) {
      refusal = httpError('PARLEY_ERR_ATTACHMENT_CONTENT', opts.type)
      return false
    }
    const dims = imageSize(opts.type, first)
    head = { size: 0, width: dims?.width ?? null, height: dims?.height ?? null, thumbnailSized: dims !== null && dims.width <= MAX_THUMBNAIL_SIDE && dims.height <= MAX_THUMBNAIL_SIDE }
    sniffed = true
    t.push(first)
    held = []
    return true
  }

  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length
      if (size > opts.maxBytes) {
        refusal = httpError('PARLEY_ERR_ATTACHMENT_TOO_LARGE', `more than ${opts.maxBytes}`, opts.maxBytes)
        done(refusal)
        return
      }
      if (sniffed) { done(null, chunk); return }
      held.push(chunk)
      heldBytes += chunk.length
      if (heldBytes >= SNIFF_BYTES && !check(this)) { done(refusal); return }
      done()
    },
    flush(done) {
      if (size === 0) {
        refusal = httpError('PARLEY_ERR_ATTACHMENT_CONTENT', opts.type)
        done(refusal)
        return
      }
      if (!sniffed && !check(this)) { done(refusal); return }
      done()
    },
  })
  body.on('error', (err) => stream.destroy(err))
  body.pipe(stream)
  return {
    stream: stream as Readable,
    refusal: (): Error | null => refusal,
    head: (): UploadHead => ({ ...head, size }),
  }
}
