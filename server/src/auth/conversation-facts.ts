import type { ConversationRecord, Store } from '../store/store.js'
import { waitsForAgent } from '../policy/conversation-policy.js'
import { seesEveryConversation, type ConversationResource, type Principal } from './policy.js'

// What the policy (policy.ts) needs to know of a conversation, read from the store once for REST
// (plugins/rest/conversation-access.ts) and WebSocket (relay/authorize.ts) alike, so both edges
// ask the policy with the same facts.

/** The store reads the facts take. */
export type FactsStore = Pick<Store, 'isParticipant' | 'getCustomerByVisitor' | 'listConversations'>

/**
 * What `conv` is to `p`. Participation and the customer are read only for an agent of a role that
 * does not see every conversation (the policy asks them of no one else), and the customer only when
 * taking part or waiting does not settle it already.
 */
export async function conversationFacts(store: FactsStore, p: Principal, conv: ConversationRecord): Promise<ConversationResource> {
  const waiting = waitsForAgent(conv)
  const facts: ConversationResource = { convId: conv.convId, visitorId: conv.visitorId, tookPart: false, waiting, ofServedCustomer: false }
  if (p.kind !== 'agent' || seesEveryConversation(p)) return facts
  const who = { kind: 'agent' as const, id: p.agentId }
  facts.tookPart = conv.assignedAgentId === p.agentId || await store.isParticipant(conv.brandId, conv.convId, who)
  if (!facts.tookPart && !waiting) facts.ofServedCustomer = await servesCustomer(store, p.brandId, p.agentId, conv.visitorId)
  return facts
}

/**
 * Whether `visitorId` is a customer the brand verified and the agent serves: takes part in (holds,
 * joined, or wrote in) one of that visitor's conversations. A customer's conversations all belong to
 * the one visitor that stands for them (Store.linkCustomer moves them there), so one visitor is the
 * whole history.
 */
export async function servesCustomer(store: FactsStore, brandId: string, agentId: string, visitorId: string): Promise<boolean> {
  if (!(await store.getCustomerByVisitor(brandId, visitorId))) return false
  const served = await store.listConversations(brandId, { visitorId, participant: agentId, limit: 1 })
  return served.conversations.length > 0
}
