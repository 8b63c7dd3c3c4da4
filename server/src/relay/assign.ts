import type { ConversationAccept, ConversationAssign, Note, Participant } from '@parley/sdk/contract'
import type { AssignResult, ConversationRecord } from '../store/store.js'
import { handOnDecision } from '../policy/conversation-policy.js'
import type { SessionPort } from './session-port.js'
import { requireAgent } from './require-agent.js'
import { withRef } from './with-ref.js'
import { joinerDetails } from './joiner-details.js'
import { publishTransferNote, storeTransferNote, transferNoteId } from './transfer-note.js'
import { refuse } from './authorize.js'

// Who holds a conversation: an agent accepts a waiting one, or hands one to a colleague.

/** Takes a waiting conversation: assigned to the caller, who joins it. */
export async function handleAccept(s: SessionPort, frame: ConversationAccept): Promise<boolean> {
  if (!requireAgent(s, frame.type, frame.ref)) return false
  const { who } = s
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
  const details = await joinerDetails(s.ctx.deps.store, c)
  s.send({
    type: 'conversation.joined', convId: c.convId, agent: who, visitorId: c.visitorId, lastSeq: c.lastSeq,
    status: c.status, ...(c.context ? { context: c.context } : {}), assignedAgentId: who.id, ...details, ...withRef(frame.ref),
  })
  // The caller's other tabs follow too; everyone learns who holds it (queues drop it).
  publishAssigned(s, c, who, who, r, who.id)
  if (r.changed) s.ctx.board.chatsChanged(s.brandId, [who.id])
  return true
}

/** Hands a conversation to another agent of the brand, who joins it. */
export function handleAssign(s: SessionPort, frame: ConversationAssign): Promise<boolean> {
  return handOn(s, frame, null)
}

/**
 * Hands a conversation to another agent (conversation.assign, or conversation.transfer to an agent).
 * `noteText`, already masked, is stored once the hand-over is done, as a transfer note: the new
 * agent gets it in conversation.assigned, the conversation's other agents as note.added, and the
 * visitor never (their conversation.assigned carries no note).
 */
export async function handOn(
  s: SessionPort, frame: Pick<ConversationAssign, 'convId' | 'agentId' | 'ref'> & { type: string }, noteText: string | null, opts: { onlineOnly?: boolean } = {},
): Promise<boolean> {
  if (!requireAgent(s, frame.type, frame.ref)) return false
  const { store, clock } = s.ctx.deps
  const { who } = s
  const visible = await store.getConversation(s.brandId, frame.convId)
  if (!visible) {
    s.reject('PARLEY_ERR_CONV_NOT_FOUND', [frame.convId], frame.ref ?? frame.convId)
    return false
  }
  // A waiting conversation or one the caller takes part in; one someone else holds needs the role that reassigns.
  const joined = visible.assignedAgentId === null || await store.isParticipant(s.brandId, frame.convId, who)
  if (!(await refuse(s, handOnDecision(s.principal, visible, joined), 'conversation.reassign', frame.convId, frame.ref ?? frame.convId))) return false
  const target = await store.getAgent(s.brandId, frame.agentId)
  // conversation.transfer refuses a colleague with no connection: nobody would answer the chat, and
  // routing never takes back a chat someone holds. conversation.assign (legacy) still allows it.
  if (target && opts.onlineOnly && (await s.ctx.board.one(s.brandId, target.agentId))?.status === 'offline') {
    s.reject('PARLEY_ERR_AGENT_UNAVAILABLE', [target.agentId], frame.ref ?? frame.convId)
    return false
  }
  // Handing a conversation on means leaving it: the caller stops taking part (and, on this
  // connection, following it); it no longer comes back to them after a reconnect.
  const r = await store.assignConversation(s.brandId, frame.convId, frame.agentId, clock.now(), { onlyIfWaiting: false, leaving: who.id })
  if (!r.ok || !target) {
    const code = r.ok ? 'PARLEY_ERR_AGENT_NOT_FOUND' : r.code
    s.reject(code, [code === 'PARLEY_ERR_AGENT_NOT_FOUND' ? frame.agentId : frame.convId], frame.ref ?? frame.convId)
    return false
  }
  const agent: Participant = { kind: 'agent', id: target.agentId, name: target.name }
  const note = noteText === null ? null : await storeTransferNote(s, r.conversation.convId, noteText, transferNoteId(r.conversation.convId, frame.ref, visible.assignedAt))
  const assigned = { type: 'conversation.assigned' as const, convId: r.conversation.convId, agent, by: who, at: clock.now() }
  s.send({ ...assigned, ...(note ? { note } : {}), ...withRef(frame.ref) })
  if (target.agentId !== who.id) s.ctx.fanout.unfollow(s, frame.convId)
  publishAssigned(s, r.conversation, agent, who, r, target.agentId, note)
  if (note) publishTransferNote(s, note, `agent:${target.agentId}`)
  if (r.changed) s.ctx.board.chatsChanged(s.brandId, [target.agentId, visible.assignedAgentId])
  return true
}

function publishAssigned(s: SessionPort, c: ConversationRecord, agent: Participant, by: Participant, r: AssignResult & { ok: true }, joinAgentId: string, note: Note | null = null): void {
  if (!r.changed && agent.id === by.id) {
    // Accepting one's own conversation again changes nothing, but the caller's other tabs still follow.
    s.ctx.deps.bus.publish({
      brandId: s.brandId, audience: { kind: 'conversation', convId: c.convId, visitorId: c.visitorId },
      frame: { type: 'conversation.assigned', convId: c.convId, agent, by, at: s.ctx.deps.clock.now() },
      exceptConnId: s.connId, joinAgentId, onlyIdentity: `agent:${joinAgentId}`,
    })
    return
  }
  const frame = { type: 'conversation.assigned' as const, convId: c.convId, agent, by, at: s.ctx.deps.clock.now() }
  // With a transfer note, the visitor and the other agents get the frame without it; the new agent alone with it.
  s.ctx.deps.bus.publish({
    brandId: s.brandId, audience: { kind: 'brand', convId: c.convId, visitorId: c.visitorId },
    frame, exceptConnId: s.connId, joinAgentId, ...(note ? { exceptIdentity: `agent:${joinAgentId}` } : {}),
  })
  if (note) {
    s.ctx.deps.bus.publish({
      brandId: s.brandId, audience: { kind: 'agents' }, frame: { ...frame, note }, exceptConnId: s.connId, onlyIdentity: `agent:${joinAgentId}`,
    })
  }
}
