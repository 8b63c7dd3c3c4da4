import type { Note, Routing, SurveyResponse } from '@parley/sdk/contract'
import type { ConversationRecord, Store } from '../store/store.js'

// What an agent who joins (or accepts) a conversation sees beside the chat, in their own
// conversation.joined only: the routing its pre-chat answers set, the survey answers given so
// far, and the agents' internal notes. The copy of joined that the visitor and the other agents
// get says only who joined.

/** The joiner's extra fields of conversation.joined: routing, the answers and the notes oldest first (masked as stored). */
export async function joinerDetails(store: Store, conv: ConversationRecord): Promise<{ routing: Routing; responses: SurveyResponse[]; notes: Note[] }> {
  const [responses, notes] = await Promise.all([store.listSurveyResponses(conv.brandId, conv.convId), store.listNotes(conv.brandId, conv.convId)])
  return { routing: conv.routing, responses, notes }
}
