import type { Participant } from '@parley/sdk/contract'
import { decide, type Decision, type Principal } from '../auth/policy.js'

// Who may see or write a conversation over live frames, and hand it on: the one statement of these
// rules, for every edge and every store (reading a transcript is auth/policy.ts's conversation.read). It decides on facts the caller has already read (the conversation's owner
// and status, whether an agent takes part in it) and does no I/O, so a store on another database
// asks it the same questions. A conversation someone may not see answers CONV_NOT_FOUND, never
// "forbidden": another visitor's or another brand's ids must look unknown.

/** What the rule needs to know of a conversation. */
export interface ConversationFacts {
  visitorId: string
  status: 'open' | 'closed'
  /** The agent holding it; null while it waits in the queue. */
  assignedAgentId?: string | null
}

/** Why an actor may not write to a conversation. */
export type WriteRefusal = 'PARLEY_ERR_CONV_NOT_FOUND' | 'PARLEY_ERR_CONV_NOT_JOINED' | 'PARLEY_ERR_CONV_CLOSED'

/**
 * Whether the answer for `who` depends on taking part (agents) rather than on owning the
 * conversation (visitors): callers read the participants only when it does.
 */
export function needsMembership(who: Participant): boolean {
  return who.kind === 'agent'
}

/** Whether `who` may see the conversation: a visitor owns it, an agent takes part in it (`joined`). */
export function maySee(conv: ConversationFacts, who: Participant, joined: boolean): boolean {
  return who.kind === 'visitor' ? conv.visitorId === who.id : joined
}

/**
 * Why `who` may not write a message to the conversation (null: they may). `conv` null means no such
 * conversation: a visitor writing to a fresh id of their own choosing opens it; anyone else gets
 * CONV_NOT_FOUND.
 */
export function writeRefusal(conv: ConversationFacts | null, who: Participant, joined: boolean): WriteRefusal | null {
  if (!conv) return who.kind === 'visitor' ? null : 'PARLEY_ERR_CONV_NOT_FOUND'
  if (who.kind === 'visitor') {
    if (conv.visitorId !== who.id) return 'PARLEY_ERR_CONV_NOT_FOUND'
  } else if (!joined) {
    return 'PARLEY_ERR_CONV_NOT_JOINED'
  }
  return conv.status === 'closed' ? 'PARLEY_ERR_CONV_CLOSED' : null
}

/** Why `who` may not close the conversation (null: they may). Closing a closed one is allowed and changes nothing. */
export function closeRefusal(conv: ConversationFacts | null, who: Participant, joined: boolean): Exclude<WriteRefusal, 'PARLEY_ERR_CONV_CLOSED'> | null {
  if (!conv || (who.kind === 'visitor' && conv.visitorId !== who.id)) return 'PARLEY_ERR_CONV_NOT_FOUND'
  return who.kind === 'agent' && !joined ? 'PARLEY_ERR_CONV_NOT_JOINED' : null
}

/** Whether the conversation waits for an agent: open, and held by nobody (it may be offered, anyone of the brand may hand it on). */
export function waitsForAgent(conv: ConversationFacts): boolean {
  return conv.status === 'open' && (conv.assignedAgentId ?? null) === null
}

/** Whether an agent may hand the conversation on: it waits in the queue, or they take part in it. */
export function mayHandOn(conv: ConversationFacts, joined: boolean): boolean {
  return (conv.assignedAgentId ?? null) === null || joined
}

/**
 * Whether `p` may hand the conversation on (assign it, transfer it to a colleague or a queue): a
 * waiting one or one they take part in, as mayHandOn says for everyone; one someone else holds only
 * with the role that may reassign (auth/policy.ts answers that part, so roles stay in one place).
 */
export function handOnDecision(p: Principal, conv: ConversationFacts, joined: boolean): Decision {
  return mayHandOn(conv, joined) ? null : decide(p, 'conversation.reassign')
}

/** Why an agent may not send the conversation back to a queue (null: they may); one who may not hand it on finds it not found. */
export function requeueRefusal(conv: ConversationFacts | null, joined: boolean): 'PARLEY_ERR_CONV_NOT_FOUND' | 'PARLEY_ERR_CONV_CLOSED' | null {
  if (!conv) return 'PARLEY_ERR_CONV_NOT_FOUND'
  if (conv.status === 'closed') return 'PARLEY_ERR_CONV_CLOSED'
  return mayHandOn(conv, joined) ? null : 'PARLEY_ERR_CONV_NOT_FOUND'
}

/** Why a conversation may not be assigned. */
export type AssignRefusal = 'PARLEY_ERR_CONV_NOT_FOUND' | 'PARLEY_ERR_CONV_CLOSED' | 'PARLEY_ERR_AGENT_NOT_FOUND' | 'PARLEY_ERR_CONV_ASSIGNED'

/**
 * Why the conversation may not go to the agent (null: it may). `known`: the brand has that agent.
 * `onlyIfWaiting` (an agent accepting it from the queue): held by another agent, it is theirs; held
 * by this one already, accepting again is a no-op that succeeds. A hand-over takes it from anyone.
 */
export function assignRefusal(conv: ConversationFacts | null, agent: { id: string; known: boolean }, onlyIfWaiting: boolean): AssignRefusal | null {
  if (!conv) return 'PARLEY_ERR_CONV_NOT_FOUND'
  if (conv.status === 'closed') return 'PARLEY_ERR_CONV_CLOSED'
  if (!agent.known) return 'PARLEY_ERR_AGENT_NOT_FOUND'
  const holder = conv.assignedAgentId ?? null
  return onlyIfWaiting && holder !== null && holder !== agent.id ? 'PARLEY_ERR_CONV_ASSIGNED' : null
}

/**
 * Why an agent may not write an internal note in the conversation (null: they may). Those who take
 * part in it may, open or closed (a note after the chat is still the team's record); anyone of the
 * brand may while it waits in the queue, as they may hand it on (mayHandOn). A transfer's note
 * (`transfer`) is written by the agent who has just handed the chat on, and so no longer takes part
 * in it: it passes whenever the conversation exists (only the relay's transfer writes one, after the
 * hand-over this rule's mayHandOn allowed).
 */
export function noteRefusal(conv: ConversationFacts | null, joined: boolean, transfer = false): 'PARLEY_ERR_CONV_NOT_FOUND' | 'PARLEY_ERR_CONV_NOT_JOINED' | null {
  if (!conv) return 'PARLEY_ERR_CONV_NOT_FOUND'
  if (joined || transfer) return null
  return waitsForAgent(conv) ? null : 'PARLEY_ERR_CONV_NOT_JOINED'
}

// Joining a conversation is reading its transcript, and auth/policy.ts decides it (conversation.read):
// supervisors and admins join any of the brand's, closed ones included (the console rejoins, after a
// reload, the chats it had on screen, some closed meanwhile); the agent role only those they take or
// took part in, those waiting in the queue, and (with customer.history) those of a verified customer
// they serve. Joining writes nothing anyone else reads as a
// message. markRead moves only the caller's own cursor, after the relay asked maySee.
