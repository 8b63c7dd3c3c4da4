import type { Participant } from '@parley/sdk/contract'

// Who may see or write a conversation: the one statement of the rule, for every edge (live frames,
// REST) and every store. It decides on facts the caller has already read (the conversation's owner
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

/** Whether a REST caller may read the conversation: the brand and its agents read all of the brand's, a visitor only their own. */
export function mayRead(conv: ConversationFacts, caller: { kind: 'brand' | 'agent' } | { kind: 'visitor'; visitorId: string }): boolean {
  return caller.kind !== 'visitor' || conv.visitorId === caller.visitorId
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

/** Whether an agent may hand the conversation on: it waits in the queue, or they take part in it. */
export function mayHandOn(conv: ConversationFacts, joined: boolean): boolean {
  return (conv.assignedAgentId ?? null) === null || joined
}

/**
 * Why an agent may not write an internal note in the conversation (null: they may). Those who take
 * part in it may, open or closed (a note after the chat is still the team's record); anyone of the
 * brand may while it waits in the queue, as they may hand it on (mayHandOn).
 */
export function noteRefusal(conv: ConversationFacts | null, joined: boolean): 'PARLEY_ERR_CONV_NOT_FOUND' | 'PARLEY_ERR_CONV_NOT_JOINED' | null {
  if (!conv) return 'PARLEY_ERR_CONV_NOT_FOUND'
  if (joined) return null
  return conv.status === 'open' && (conv.assignedAgentId ?? null) === null ? null : 'PARLEY_ERR_CONV_NOT_JOINED'
}
