import type { ConversationClose, ConversationJoin, MessageRead, TypingStart, TypingStop } from '@parley/sdk/contract'
import type { ConversationRecord } from '../store/store.js'
import type { LiveSession } from './session.js'

// Conversation frames other than messages: join (agents), close, read cursors and typing.

/**
 * The conversation if this connection's identity takes part in it (a visitor owns it, an agent
 * joined it), else null. Callers answer null with CONV_NOT_FOUND, never "forbidden": another
 * visitor's or brand's ids must look unknown.
 */
export async function findVisibleConversation(s: LiveSession, convId: string): Promise<ConversationRecord | null> {
  const { store } = s.ctx.deps
  const who = s.who!
  const conv = await store.getConversation(s.brandId, convId)
  if (!conv) return null
  const ok = who.kind === 'visitor' ? conv.visitorId === who.id : await store.isParticipant(s.brandId, convId, who)
  return ok ? conv : null
}

/** findVisibleConversation, refusing the frame with CONV_NOT_FOUND when there is none. */
async function visibleConversation(s: LiveSession, convId: string, ref: string | undefined): Promise<ConversationRecord | null> {
  const conv = await findVisibleConversation(s, convId)
  if (!conv) {
    s.reject('PARLEY_ERR_CONV_NOT_FOUND', [convId], ref ?? convId)
    return null
  }
  return conv
}

const withRef = (ref: string | undefined) => (ref !== undefined ? { ref } : {})

/** An agent joins a conversation of their brand and follows it from now on. */
export async function handleJoin(s: LiveSession, frame: ConversationJoin): Promise<boolean> {
  const who = s.who!
  if (who.kind !== 'agent') {
    s.reject('PARLEY_ERR_PROTOCOL_ROLE', ['visitor', frame.type], frame.ref)
    return false
  }
  // Follow before the store read: a message committed after it is delivered live, one committed
  // before it is counted in lastSeq, so the agent can always catch up from the joined frame.
  const following = s.ctx.fanout.isFollowing(s, frame.convId)
  s.ctx.fanout.follow(s, frame.convId)
  const conv = await s.ctx.deps.store.joinConversation(s.brandId, frame.convId, who.id, s.ctx.deps.clock.now())
  if (!conv) {
    if (!following) s.ctx.fanout.unfollow(s, frame.convId)
    s.reject('PARLEY_ERR_CONV_NOT_FOUND', [frame.convId], frame.ref ?? frame.convId)
    return false
  }
  const joined = {
    type: 'conversation.joined' as const, convId: conv.convId, agent: who, visitorId: conv.visitorId,
    lastSeq: conv.lastSeq, status: conv.status, ...(conv.context ? { context: conv.context } : {}),
    ...(conv.assignedAgentId ? { assignedAgentId: conv.assignedAgentId } : {}),
  }
  s.send({ ...joined, readSeq: conv.readSeq, ...withRef(frame.ref) })
  s.ctx.deps.bus.publish({
    brandId: s.brandId, audience: { kind: 'conversation', convId: conv.convId, visitorId: conv.visitorId },
    frame: joined, exceptConnId: s.connId, joinAgentId: who.id,
  })
  return true
}

/** Closes a conversation; closing a closed one answers the same way and changes nothing. */
export async function handleClose(s: LiveSession, frame: ConversationClose): Promise<boolean> {
  const who = s.who!
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
  }
  return true
}

/** Moves the sender's read cursor and tells the conversation (the sender's other tabs included). */
export async function handleRead(s: LiveSession, frame: MessageRead): Promise<boolean> {
  const conv = await visibleConversation(s, frame.convId, frame.ref)
  if (!conv) return false
  const seq = await s.ctx.deps.store.markRead(s.brandId, conv.convId, s.who!, Math.min(frame.seq, conv.lastSeq))
  s.ctx.deps.bus.publish({
    brandId: s.brandId, audience: { kind: 'conversation', convId: conv.convId, visitorId: conv.visitorId },
    frame: { type: 'message.read', convId: conv.convId, seq, by: s.who! }, exceptConnId: s.connId,
  })
  return true
}

/** Relays a typing indicator to everyone else in the conversation; nothing is stored. */
export async function handleTyping(s: LiveSession, frame: TypingStart | TypingStop): Promise<boolean> {
  const conv = await visibleConversation(s, frame.convId, frame.ref)
  if (!conv) return false
  if (conv.status === 'closed') {
    s.reject('PARLEY_ERR_CONV_CLOSED', [conv.convId], frame.ref ?? conv.convId)
    return false
  }
  s.ctx.deps.bus.publish({
    brandId: s.brandId, audience: { kind: 'conversation', convId: conv.convId, visitorId: conv.visitorId },
    frame: { type: frame.type, convId: conv.convId, from: s.who! }, exceptIdentity: s.identity,
  })
  return true
}
