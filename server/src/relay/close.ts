import type { ConversationClose } from '@parley/sdk/contract'
import type { SessionPort } from './session-port.js'
import { withRef } from './with-ref.js'

/** Closes a conversation; closing a closed one answers the same way and changes nothing. */
export async function handleClose(s: SessionPort, frame: ConversationClose): Promise<boolean> {
  const { who } = s
  const r = await s.ctx.deps.store.closeConversation(s.brandId, frame.convId, who, s.ctx.deps.clock.now())
  if (!r.ok) {
    s.reject(r.code, [frame.convId], frame.ref ?? frame.convId)
    return false
  }
  const c = r.conversation
  const closed = { type: 'conversation.closed' as const, convId: c.convId, by: who, at: c.closedAt ?? 0 }
  s.send({ ...closed, ...withRef(frame.ref) })
  if (!r.alreadyClosed) {
    s.ctx.deps.bus.publish({
      // Every agent hears of it: a conversation closed while waiting leaves their queues.
      brandId: s.brandId, audience: { kind: 'brand', convId: c.convId, visitorId: c.visitorId },
      frame: closed, exceptConnId: s.connId,
    })
    // The agent who held it has a free slot again.
    s.ctx.board.chatsChanged(s.brandId, [c.assignedAgentId])
  }
  return true
}
