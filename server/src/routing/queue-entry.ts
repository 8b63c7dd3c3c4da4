import type { QueueEntry } from '@parley/sdk/contract'
import type { QueueRecord } from '../store/store.js'

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
