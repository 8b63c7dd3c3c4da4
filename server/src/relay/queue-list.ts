import type { QueueList } from '@parley/sdk/contract'
import type { SessionPort } from './session-port.js'
import { requireAgent } from './require-agent.js'
import { withRef } from './with-ref.js'

// The brand's queue: the open conversations no agent holds.

const QUEUE_LIMIT = 200

/** Lists the waiting conversations, oldest first. */
export async function handleQueueList(s: SessionPort, frame: QueueList): Promise<boolean> {
  if (!requireAgent(s, frame.type, frame.ref)) return false
  const waiting = await s.ctx.deps.store.listQueue(s.brandId, QUEUE_LIMIT)
  s.send({
    type: 'queue.listed',
    conversations: waiting.map(({ conversation: c, preview }) => ({
      convId: c.convId, visitorId: c.visitorId, createdAt: c.createdAt, lastSeq: c.lastSeq, preview,
      ...(c.context ? { context: c.context } : {}),
    })),
    ...withRef(frame.ref),
  })
  return true
}
