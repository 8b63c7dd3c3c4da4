import type { TypingStart, TypingStop } from '@parley/sdk/contract'
import type { SessionPort } from './session-port.js'
import { visibleConversation } from './visible-conversation.js'

/** Relays a typing indicator to everyone else in the conversation; nothing is stored. */
export async function handleTyping(s: SessionPort, frame: TypingStart | TypingStop): Promise<boolean> {
  const conv = await visibleConversation(s, frame.convId, frame.ref)
  if (!conv) return false
  if (conv.status === 'closed') {
    s.reject('PARLEY_ERR_CONV_CLOSED', [conv.convId], frame.ref ?? conv.convId)
    return false
  }
  s.ctx.deps.bus.publish({
    brandId: s.brandId, audience: { kind: 'conversation', convId: conv.convId, visitorId: conv.visitorId },
    frame: { type: frame.type, convId: conv.convId, from: s.who }, exceptIdentity: s.identity,
  })
  return true
}
