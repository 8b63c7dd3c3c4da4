import type { Note, Routing, SurveyResponse, VerifiedCustomer } from '@parley/sdk/contract'
import type { ConversationRecord, Store } from '../store/store.js'
import { toVerifiedCustomer } from '../identity/visitor-session.js'

// What an agent who joins (or accepts) a conversation sees beside the chat, in their own
// conversation.joined only: the routing its pre-chat answers set, the survey answers given so
// far, the agents' internal notes, and the customer the brand verified. The copy of joined that
// the visitor and the other agents get says only who joined.

/** The joiner's extra fields of conversation.joined: routing, the answers and the notes oldest first (masked as stored), the verified customer. */
export async function joinerDetails(store: Store, conv: ConversationRecord): Promise<{ routing: Routing; responses: SurveyResponse[]; notes: Note[]; customer?: VerifiedCustomer }> {
  const [responses, notes, customer] = await Promise.all([
    store.listSurveyResponses(conv.brandId, conv.convId), store.listNotes(conv.brandId, conv.convId), store.getCustomerByVisitor(conv.brandId, conv.visitorId),
  ])
  // Only a customer the brand signed for: a name or e-mail the page set stays in the (unverified) context.
  return { routing: conv.routing, responses, notes, ...(customer ? { customer: toVerifiedCustomer(customer) } : {}) }
}
