import type { AttachmentRef, Participant } from '@parley/sdk/contract'
import type { AttachmentRecord } from '../store/store.js'

// How a stored attachment is named on the wire and who it belongs to; shared by every store and the REST routes.

/** The ref a message carries for a stored attachment. */
export function toAttachmentRef(r: Pick<AttachmentRecord, 'attachmentId' | 'name' | 'type' | 'size' | 'width' | 'height' | 'thumbKey'>): AttachmentRef {
  const ref: AttachmentRef = { attachmentId: r.attachmentId, name: r.name, type: r.type, size: r.size, thumbnail: r.thumbKey !== null }
  if (r.width !== null && r.height !== null) { ref.width = r.width; ref.height = r.height }
  return ref
}

/** The uploader string of a participant (`visitor:ID`, `agent:ID`), as AttachmentRecord.uploader holds it. */
export const uploaderOf = (who: Pick<Participant, 'kind' | 'id'>): string => `${who.kind}:${who.id}`
