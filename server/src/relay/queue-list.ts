import type { QueueList } from '@parley/sdk/contract'
import type { SessionPort } from './session-port.js'
import { decodeCursor, encodeCursor } from './page-cursor.js'
import { requireAgent } from './require-agent.js'
import { withRef } from './with-ref.js'

// The brand's queue: the open conversations no agent holds, a page at a time, with the total, so
// an agent sees how many wait and can reach the newest however many were opened before them.

/** The largest page (and the default). */
const QUEUE_PAGE = 200

/** Lists a page of the waiting conversations, oldest first unless the agent asks for newest first. */
export async function handleQueueList(s: SessionPort, frame: QueueList): Promise<boolean> {
  if (!requireAgent(s, frame.type, frame.ref)) return false
  const after = frame.cursor === undefined ? null : decodeCursor(frame.cursor)
  if (frame.cursor !== undefined && !after) {
    s.reject('PARLEY_ERR_FRAME_INVALID', [frame.type, '/cursor is not a cursor this relay gave'], frame.ref)
    return false
  }
  const { store } = s.ctx.deps
  const limit = frame.limit ?? QUEUE_PAGE
  const [waiting, total] = await Promise.all([
    store.listQueue(s.brandId, limit + 1, { order: frame.order === 'newest' ? 'newest' : 'oldest', after }),
    store.countQueue(s.brandId),
  ])
  const page = waiting.length > limit ? waiting.slice(0, limit) : waiting
  const last = page.at(-1)?.conversation
  s.send({
    type: 'queue.listed',
    conversations: page.map(({ conversation: c, preview }) => ({
      convId: c.convId, visitorId: c.visitorId, createdAt: c.createdAt, lastSeq: c.lastSeq, preview,
      ...(c.context ? { context: c.context } : {}),
      ...(c.origin === 'offline' ? { origin: 'offline' as const, ...(c.contact ? { contact: c.contact } : {}) } : {}),
    })),
    total,
    ...(waiting.length > limit && last ? { next: encodeCursor(last) } : {}),
    ...withRef(frame.ref),
  })
  return true
}
