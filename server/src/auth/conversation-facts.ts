import type { ConversationRecord, Store } from '../store/store.js'
import { waitsForAgent } from '../policy/conversation-policy.js'
import { seesEveryConversation, type ConversationResource, type Principal } from './policy.js'

// What the policy (policy.ts) needs to know of a conversation, read from the store once for REST
// (plugins/rest/conversation-access.ts) and WebSocket (relay/authorize.ts) alike, so both edges
// ask the policy with the same facts.

/** The store reads the facts take. */
export type FactsStore = Pick<Store, 'isParticipant'>

/**
 * What `conv` is to `p`. Participation is read only for an agent of a role that does not see every
 * conversation: the policy asks it of no one else.
 */
export async function conversationFacts(store: FactsStore, p: Principal, conv: ConversationRecord): Promise<ConversationResource> {
  const waiting = waitsForAgent(conv)
  const facts: ConversationResource = { convId: conv.convId, visitorId: conv.visitorId, tookPart: false, waiting }
  if (p.kind !== 'agent' || seesEveryConversation(p)) return facts
  const who = { kind: 'agent' as const, id: p.agentId }
  facts.tookPart = conv.assignedAgentId === p.agentId || await store.isParticipant(conv.brandId, conv.convId, who)
  return facts
}
