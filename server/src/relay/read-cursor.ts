import type { MessageRead } from '@parley/sdk/contract'
import type { SessionPort } from './session-port.js'
import { visibleConversation } from './visible-conversation.js'

/** Moves the sender's read cursor and tells the conversation (the sender's other tabs included). */
export async function handleRead(s: SessionPort, frame: MessageRead): Promise<boolean> {
  const conv = await visibleConversation(s, frame.convId, frame.ref)
  if (!conv) return false
  const seq = await s.ctx.deps.store.markRead(s.brandId, conv.convId, s.who, Math.min(frame.seq, conv.lastSeq))
  s.ctx.deps.bus.publish({
    brandId: s.brandId, audience: { kind: 'conversation', convId: conv.convId, visitorId: conv.visitorId },
    frame: { type: 'message.read', convId: conv.convId, seq, by: s.who }, exceptConnId: s.connId,
  })
  return true
}
