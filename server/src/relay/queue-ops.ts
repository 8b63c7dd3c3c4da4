import type { ContextUpdate, ConversationAccept, ConversationAssign, Participant, QueueList } from '@parley/sdk/contract'
import type { AssignResult, ConversationRecord } from '../store/store.js'
import type { LiveSession } from './session.js'

// The brand's queue: agents list the conversations no one holds, accept one, or hand one to a
// colleague; visitors' context updates reach the agents of their open conversations.

const QUEUE_LIMIT = 200
const withRef = (ref: string | undefined) => (ref !== undefined ? { ref } : {})

function requireAgent(s: LiveSession, type: string, ref: string | undefined): boolean {
  if (s.who!.kind === 'agent') return true
  s.reject('PARLEY_ERR_PROTOCOL_ROLE', ['visitor', type], ref)
  return false
}

/** Lists the waiting conversations, oldest first. */
export async function handleQueueList(s: LiveSession, frame: QueueList): Promise<boolean> {
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

/** Takes a waiting conversation: assigned to the caller, who joins it. */
export async function handleAccept(s: LiveSession, frame: ConversationAccept): Promise<boolean> {
  if (!requireAgent(s, frame.type, frame.ref)) return false
  const who = s.who!
  // Follow first, as join does: a message committed meanwhile is either in lastSeq or delivered live.
  const following = s.ctx.fanout.isFollowing(s, frame.convId)
  s.ctx.fanout.follow(s, frame.convId)
  const r = await s.ctx.deps.store.assignConversation(s.brandId, frame.convId, who.id, s.ctx.deps.clock.now(), { onlyIfWaiting: true })
  if (!r.ok) {
    if (!following) s.ctx.fanout.unfollow(s, frame.convId)
    s.reject(r.code, [r.code === 'PARLEY_ERR_AGENT_NOT_FOUND' ? who.id : frame.convId], frame.ref ?? frame.convId)
    return false
  }
  const c = r.conversation
  s.send({
    type: 'conversation.joined', convId: c.convId, agent: who, visitorId: c.visitorId, lastSeq: c.lastSeq,
    status: c.status, ...(c.context ? { context: c.context } : {}), assignedAgentId: who.id, ...withRef(frame.ref),
  })
  // The caller's other tabs follow too; everyone learns who holds it (queues drop it).
  publishAssigned(s, c, who, who, r, who.id)
  return true
}

/** Hands a conversation to another agent of the brand, who joins it. */
export async function handleAssign(s: LiveSession, frame: ConversationAssign): Promise<boolean> {
  if (!requireAgent(s, frame.type, frame.ref)) return false
  const { store, clock } = s.ctx.deps
  const visible = await store.getConversation(s.brandId, frame.convId)
  // Only a waiting conversation or one the caller takes part in can be handed on.
  if (!visible || (visible.assignedAgentId !== null && !(await store.isParticipant(s.brandId, frame.convId, s.who!)))) {
    s.reject('PARLEY_ERR_CONV_NOT_FOUND', [frame.convId], frame.ref ?? frame.convId)
    return false
  }
  const target = await store.getAgent(s.brandId, frame.agentId)
  // Handing a conversation on means leaving it: the caller stops taking part (and, on this
  // connection, following it); it no longer comes back to them after a reconnect.
  const r = await store.assignConversation(s.brandId, frame.convId, frame.agentId, clock.now(), { onlyIfWaiting: false, leaving: s.who!.id })
  if (!r.ok || !target) {
    const code = r.ok ? 'PARLEY_ERR_AGENT_NOT_FOUND' : r.code
    s.reject(code, [code === 'PARLEY_ERR_AGENT_NOT_FOUND' ? frame.agentId : frame.convId], frame.ref ?? frame.convId)
    return false
  }
  const agent: Participant = { kind: 'agent', id: target.agentId, name: target.name }
  const assigned = { type: 'conversation.assigned' as const, convId: r.conversation.convId, agent, by: s.who!, at: clock.now() }
  s.send({ ...assigned, ...withRef(frame.ref) })
  if (target.agentId !== s.who!.id) s.ctx.fanout.unfollow(s, frame.convId)
  publishAssigned(s, r.conversation, agent, s.who!, r, target.agentId)
  return true
}

function publishAssigned(s: LiveSession, c: ConversationRecord, agent: Participant, by: Participant, r: AssignResult & { ok: true }, joinAgentId: string): void {
  if (!r.changed && agent.id === by.id) {
    // Accepting one's own conversation again changes nothing, but the caller's other tabs still follow.
    s.ctx.deps.bus.publish({
      brandId: s.brandId, audience: { kind: 'conversation', convId: c.convId, visitorId: c.visitorId },
      frame: { type: 'conversation.assigned', convId: c.convId, agent, by, at: s.ctx.deps.clock.now() },
      exceptConnId: s.connId, joinAgentId, onlyIdentity: `agent:${joinAgentId}`,
    })
    return
  }
  s.ctx.deps.bus.publish({
    brandId: s.brandId, audience: { kind: 'brand', convId: c.convId, visitorId: c.visitorId },
    frame: { type: 'conversation.assigned', convId: c.convId, agent, by, at: s.ctx.deps.clock.now() },
    exceptConnId: s.connId, joinAgentId,
  })
}

/** Records the visitor's new context and shows it to the agents of their open conversations. */
export async function handleContextUpdate(s: LiveSession, frame: ContextUpdate): Promise<boolean> {
  const who = s.who!
  if (who.kind !== 'visitor') {
    s.reject('PARLEY_ERR_PROTOCOL_ROLE', ['agent', frame.type], frame.ref)
    return false
  }
  s.visitorContext = frame.context
  await s.ctx.deps.store.recordVisit(s.brandId, who.id, frame.context, s.ctx.deps.clock.now())
  await publishContext(s, frame.context)
  return true
}

/** Stores a visitor's context on their open conversations and tells those conversations' agents. */
export async function publishContext(s: LiveSession, context: ContextUpdate['context']): Promise<void> {
  const { store, bus } = s.ctx.deps
  for (const c of await store.updateVisitorContext(s.brandId, s.who!.id, context)) {
    bus.publish({
      brandId: s.brandId, audience: { kind: 'conversation', convId: c.convId, visitorId: c.visitorId },
      frame: { type: 'context.updated', convId: c.convId, context }, exceptIdentity: s.identity,
    })
  }
}
