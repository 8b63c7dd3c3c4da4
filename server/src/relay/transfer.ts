import type { ConversationRequeued, ConversationTransfer } from '@parley/sdk/contract'
import { handOnDecision } from '../policy/conversation-policy.js'
import { readQueueEntry } from '../routing/queue-entry.js'
import { brandSkills } from '../routing/routable-skill.js'
import type { SessionPort } from './session-port.js'
import { requireAgent } from './require-agent.js'
import { handOn } from './assign.js'
import { publishTransferNote, storeTransferNote, transferNoteId } from './transfer-note.js'
import { maskNoteText } from './note-text.js'
import { withRef } from './with-ref.js'
import { refuse } from './authorize.js'

// conversation.transfer: an agent hands a conversation on, to a colleague (as conversation.assign)
// or back to the queue of a skill, with an optional note for whoever takes it. The note is masked
// before anything changes and stored only once the hand-over is done; it reaches agents only.
// Requeued, the chat waits again (its place by priority and age); the router, which hears
// conversation.requeued on the bus, offers it to an agent with the skill in automatic mode.

/** Handles ConversationTransfer. */
export async function handleTransfer(s: SessionPort, frame: ConversationTransfer): Promise<boolean> {
  if (!requireAgent(s, frame.type, frame.ref)) return false
  const ref = frame.ref ?? frame.convId
  const noteText = frame.note === undefined ? null : await maskNoteText(s, frame.convId, frame.note, ref)
  if (frame.note !== undefined && noteText === null) return false
  if ('agentId' in frame) return handOn(s, frame, noteText, { onlineOnly: true })
  return toSkillQueue(s, frame, noteText, ref)
}

async function toSkillQueue(s: SessionPort, frame: ConversationTransfer & { skill: string }, noteText: string | null, ref: string): Promise<boolean> {
  const { store, clock, bus } = s.ctx.deps
  const { who } = s
  const visible = await store.getConversation(s.brandId, frame.convId)
  if (!visible) {
    s.reject('PARLEY_ERR_CONV_NOT_FOUND', [frame.convId], ref)
    return false
  }
  // As for conversation.assign: a waiting conversation or one the caller takes part in, or one
  // someone else holds with the role that reassigns.
  const joined = visible.assignedAgentId === null || await store.isParticipant(s.brandId, frame.convId, who)
  if (!(await refuse(s, handOnDecision(s.principal, visible, joined), 'conversation.reassign', frame.convId, ref))) return false
  // A skill nobody of the brand has would leave the chat in a queue no agent works from.
  if (!(await brandSkills(store, s.brandId)).has(frame.skill)) {
    s.reject('PARLEY_ERR_SKILL_UNKNOWN', [frame.skill], ref)
    return false
  }
  const at = clock.now()
  // The store lets only one who takes part requeue a held chat (it asks requeueRefusal in its
  // transaction, so nobody is robbed of a chat taken meanwhile), or one the policy just let reassign
  // it: the open check and the move are one transaction, and a refusal (closed meanwhile) changes
  // nothing, the reassigner included.
  const r = await store.requeueConversation(s.brandId, frame.convId, frame.skill, who.id, at, !joined)
  if (!r.ok) {
    s.reject(r.code, [frame.convId], ref)
    return false
  }
  const c = r.conversation
  const note = noteText === null ? null : await storeTransferNote(s, c.convId, noteText, transferNoteId(c.convId, frame.ref, visible.assignedAt))
  const requeued: ConversationRequeued = {
    type: 'conversation.requeued', convId: c.convId, entry: await readQueueEntry(store, s.brandId, c), by: who, at,
  }
  s.send({ ...requeued, ...withRef(frame.ref) })
  s.ctx.fanout.unfollow(s, c.convId)
  // Every agent's queue takes it back (the visitor's socket never gets this frame, nor the note).
  bus.publish({ brandId: s.brandId, audience: { kind: 'agents' }, frame: requeued, exceptConnId: s.connId })
  if (note) publishTransferNote(s, note, null)
  s.ctx.board.chatsChanged(s.brandId, [visible.assignedAgentId])
  s.ctx.log.debug({ brandId: s.brandId, convId: c.convId, skill: frame.skill, note: note !== null }, 'conversation requeued')
  return true
}
