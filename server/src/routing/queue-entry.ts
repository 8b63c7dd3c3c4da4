import { messagePreview, type QueueEntry } from '@parley/sdk/contract'
import type { ConversationRecord, QueueRecord, Store } from '../store/store.js'

/** A waiting conversation as queues show it (conversation.offered, conversation.requeued). */
export function queueEntry({ conversation: c, preview }: QueueRecord): QueueEntry {
  return {
    convId: c.convId, visitorId: c.visitorId, createdAt: c.createdAt, lastSeq: c.lastSeq, preview,
    ...(c.context ? { context: c.context } : {}),
    ...(c.origin === 'offline' ? { origin: 'offline' as const } : {}),
    ...(c.contact ? { contact: c.contact } : {}),
    routing: c.routing,
  }
}

/** The conversation's queue entry, its first message read for the preview. */
export async function readQueueEntry(store: Store, brandId: string, c: ConversationRecord): Promise<QueueEntry> {
  const first = (await store.readMessages(brandId, c.convId, 0, 1))[0]
  return queueEntry({ conversation: c, preview: messagePreview(first?.text ?? '', first?.attachments) })
}
