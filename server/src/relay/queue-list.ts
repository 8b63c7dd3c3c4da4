import { PRIORITIES, type QueueList } from '@parley/sdk/contract'
import type { ConversationRecord, PagePosition } from '../store/store.js'
import type { SessionPort } from './session-port.js'
import { decodeCursor, encodeCursor } from './page-cursor.js'
import { requireAgent } from './require-agent.js'
import { withRef } from './with-ref.js'

// The brand's queue: the open conversations no agent holds, a page at a time, with the total, so
// an agent sees how many wait and can reach the newest however many were opened before them. In
// priority order the cursor carries the last entry's priority too: the order is (priority
// descending, createdAt, convId), and a position in it needs all three.

/** The largest page (and the default). */
const QUEUE_PAGE = 200

/** Lists a page of the waiting conversations, oldest first unless the agent asks for newest or priority first. */
export async function handleQueueList(s: SessionPort, frame: QueueList): Promise<boolean> {
  if (!requireAgent(s, frame.type, frame.ref)) return false
  const order = frame.order ?? 'oldest'
  const after = frame.cursor === undefined ? null : decodeCursor(frame.cursor)
  // A cursor continues the order it was made in: one with a priority only the priority order.
  if (frame.cursor !== undefined && (!after || (after.priority !== undefined) !== (order === 'priority'))) {
    s.reject('PARLEY_ERR_FRAME_INVALID', [frame.type, '/cursor is not a cursor this relay gave for this order'], frame.ref)
    return false
  }
  const { store } = s.ctx.deps
  const limit = frame.limit ?? QUEUE_PAGE
  const [waiting, total] = await Promise.all([
    store.listQueue(s.brandId, limit + 1, { order, after }),
    store.countQueue(s.brandId),
  ])
  const page = waiting.length > limit ? waiting.slice(0, limit) : waiting
  const last = page.at(-1)?.conversation
  s.send({
    type: 'queue.listed',
    conversations: page.map(({ conversation: c, preview }) => ({
      convId: c.convId, visitorId: c.visitorId, createdAt: c.createdAt, lastSeq: c.lastSeq, preview,
      ...(c.context ? { context: c.context } : {}),
      ...(c.origin === 'offline' ? { origin: 'offline' as const } : {}),
      ...(c.contact ? { contact: c.contact } : {}),
      routing: c.routing,
    })),
    total,
    ...(waiting.length > limit && last ? { next: encodeCursor(positionOf(last, order === 'priority')) } : {}),
    ...withRef(frame.ref),
  })
  return true
}

/** Where `c` stands in the queue's order; in priority order its priority too (0 low … 3 urgent). */
function positionOf(c: ConversationRecord, byPriority: boolean): PagePosition {
  const at = { createdAt: c.createdAt, convId: c.convId }
  return byPriority ? { ...at, priority: PRIORITIES.indexOf(c.routing.priority ?? 'normal') } : at
}
