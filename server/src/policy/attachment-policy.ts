import type { Participant } from '@parley/sdk/contract'
import { uploaderOf } from '../attachments/attachment-ref.js'

// Who may send and who may download a file: the one statement of the rules, for the REST routes
// and every store. Like conversation-policy it decides on facts the caller has already read (the
// attachment's uploader and the message it was sent in, the conversation's visitor) and does no
// I/O, so a store on another database asks it the same questions. A file someone may not see or
// send answers ATTACHMENT_NOT_FOUND: another sender's or another brand's ids must look unknown.

/** What the rules need to know of an attachment. */
export interface AttachmentFacts {
  brandId: string
  /** `visitor:ID` or `agent:ID` (uploaderOf). */
  uploader: string
  /** The conversation of the message that sent it; null while unsent. */
  convId: string | null
}

/** Who asks to download: the brand's API key, an agent, or a visitor, in the brand they belong to. */
export type AttachmentReader = { brandId: string } & ({ kind: 'brand' | 'agent' } | { kind: 'visitor'; visitorId: string })

/** Why a sender may not send an attachment. */
export type AttachmentSendRefusal = 'PARLEY_ERR_ATTACHMENT_NOT_FOUND' | 'PARLEY_ERR_ATTACHMENT_IN_USE'

/** Why `sender` may not send `rec` in a message (null: they may): it must be their own upload, not sent before. */
export function attachmentSendRefusal(rec: AttachmentFacts | null, sender: Pick<Participant, 'kind' | 'id'>): AttachmentSendRefusal | null {
  // Another sender's upload is not theirs to see, let alone send: not found, as if absent.
  if (!rec || rec.uploader !== uploaderOf(sender)) return 'PARLEY_ERR_ATTACHMENT_NOT_FOUND'
  return rec.convId !== null ? 'PARLEY_ERR_ATTACHMENT_IN_USE' : null
}

/**
 * Whether the download answer for `reader` depends on the visitor of the conversation the file was
 * sent in (a visitor asking for a sent file they did not upload): callers read the conversation only then.
 */
export function downloadNeedsConversation(rec: AttachmentFacts, reader: AttachmentReader): boolean {
  return reader.kind === 'visitor' && rec.brandId === reader.brandId && rec.convId !== null && rec.uploader !== uploaderOf({ kind: 'visitor', id: reader.visitorId })
}

/**
 * Whether `reader` may download `rec` (or its thumbnail) as far as the brand and the visitor go: a
 * visitor their own upload or one sent in their conversation. `convVisitorId` is that conversation's
 * visitor, read when downloadNeedsConversation says so (null otherwise, or when there is no such
 * conversation). A key or agent of the brand passes here; the route then asks auth/policy.ts
 * (conversation.read of the conversation it was sent in, or for an unsent upload its uploader).
 */
export function mayDownloadAttachment(rec: AttachmentFacts, reader: AttachmentReader, convVisitorId: string | null): boolean {
  if (rec.brandId !== reader.brandId) return false
  if (reader.kind !== 'visitor') return true
  if (rec.uploader === uploaderOf({ kind: 'visitor', id: reader.visitorId })) return true
  return rec.convId !== null && convVisitorId === reader.visitorId
}

/** Why a thumbnail may not be set. */
export type ThumbnailRefusal = 'PARLEY_ERR_ATTACHMENT_NOT_FOUND' | 'PARLEY_ERR_ATTACHMENT_IN_USE' | 'PARLEY_ERR_ATTACHMENT_TYPE'

/**
 * Why `uploader` may not set the thumbnail of `rec` (null: they may): only the uploader, only of an
 * image, and only before it is sent. What agents see beside a sent message is what was sent.
 */
export function thumbnailRefusal(rec: (AttachmentFacts & { type: string }) | null, uploader: Pick<Participant, 'kind' | 'id'>): ThumbnailRefusal | null {
  if (!rec || rec.uploader !== uploaderOf(uploader)) return 'PARLEY_ERR_ATTACHMENT_NOT_FOUND'
  if (rec.convId !== null) return 'PARLEY_ERR_ATTACHMENT_IN_USE'
  return rec.type.startsWith('image/') ? null : 'PARLEY_ERR_ATTACHMENT_TYPE'
}
