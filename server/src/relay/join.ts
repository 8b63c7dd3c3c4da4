import type { ConversationJoin } from '@parley/sdk/contract'
import type { SessionPort } from './session-port.js'
import { withRef } from './with-ref.js'
import { joinerDetails } from './joiner-details.js'
import { authorize, conversationResource } from './authorize.js'
import { actorOf } from '../audit/audit-log.js'

/**
 * An agent joins a conversation of their brand and follows it from now on. Joining reads the
 * transcript: the policy decides (an agent role only one they take or took part in, or one waiting),
 * and each join is one `conversation.read` entry in the audit log.
 */
export async function handleJoin(s: SessionPort, frame: ConversationJoin): Promise<boolean> {
  const { who } = s
  if (who.kind !== 'agent') {
    s.reject('PARLEY_ERR_PROTOCOL_ROLE', ['visitor', frame.type], frame.ref)
    return false
  }
  const asked = await s.ctx.deps.store.getConversation(s.brandId, frame.convId)
  if (!asked) {
    s.reject('PARLEY_ERR_CONV_NOT_FOUND', [frame.convId], frame.ref ?? frame.convId)
    return false
  }
  if (!(await authorize(s, 'conversation.read', await conversationResource(s, asked), frame.ref ?? frame.convId))) return false
  // The read is recorded before any access is granted (audit-log.ts): an entry that cannot be
  // written refuses the join, before the connection follows the conversation or takes part in it.
  try {
    await s.ctx.audit.record({
      brandId: s.brandId, actor: actorOf(s.principal), action: 'conversation.read',
      resource: { type: 'conversation', id: asked.convId }, ip: s.ip, detail: { via: 'conversation.join' },
    })
  } catch (err) {
    s.ctx.log.error({ err, brandId: s.brandId, connId: s.connId, convId: asked.convId }, 'audit of a join failed; join refused')
    s.reject('PARLEY_ERR_SERVER_STORE', [], frame.ref ?? frame.convId)
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
    ...(typeof conv.erasedAt === 'number' ? { erasedAt: conv.erasedAt } : {}),
  }
  const details = await joinerDetails(s.ctx.deps.store, conv)
  s.send({ ...joined, readSeq: conv.readSeq, visitorReadSeq: conv.visitorReadSeq, ...details, ...withRef(frame.ref) })
  s.ctx.deps.bus.publish({
    brandId: s.brandId, audience: { kind: 'conversation', convId: conv.convId, visitorId: conv.visitorId },
    frame: joined, exceptConnId: s.connId, joinAgentId: who.id,
  })
  return true
}
