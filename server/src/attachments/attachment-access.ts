import type { AttachmentRecord, Store } from '../store/store.js'
import type { Principal } from '../plugins/auth.js'
import { uploaderOf } from './attachment-ref.js'

// Who may download a file: the uploader, the visitor of the conversation it was sent in, any agent
// of the brand and the brand's API key. The record was looked up in the principal's brand, so
// another brand's file is never found; anyone else is told it is not found either.

export async function mayRead(store: Store, p: Principal, rec: AttachmentRecord): Promise<boolean> {
  if (rec.brandId !== p.brandId) return false
  if (p.kind === 'brand' || p.kind === 'agent') return true
  if (rec.uploader === uploaderOf({ kind: 'visitor', id: p.visitorId })) return true
  if (rec.convId === null) return false
  const conv = await store.getConversation(p.brandId, rec.convId)
  return conv !== null && conv.visitorId === p.visitorId
}
