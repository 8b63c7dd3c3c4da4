import type { ConversationRecord } from '../store/store.js'
import { maySee, needsMembership } from '../policy/conversation-policy.js'
import type { SessionPort } from './session-port.js'

// Reading a conversation for a frame, through the policy: what the connection may not see is
// answered as unknown.

/** The conversation if the connection's identity may see it (conversation-policy.ts), else null. */
export async function findVisibleConversation(s: SessionPort, convId: string): Promise<ConversationRecord | null> {
  const { store } = s.ctx.deps
  const conv = await store.getConversation(s.brandId, convId)
  if (!conv) return null
  const joined = needsMembership(s.who) && await store.isParticipant(s.brandId, convId, s.who)
  return maySee(conv, s.who, joined) ? conv : null
}

/** findVisibleConversation, refusing the frame with CONV_NOT_FOUND when there is none. */
export async function visibleConversation(s: SessionPort, convId: string, ref: string | undefined): Promise<ConversationRecord | null> {
  const conv = await findVisibleConversation(s, convId)
  if (!conv) s.reject('PARLEY_ERR_CONV_NOT_FOUND', [convId], ref ?? convId)
  return conv
}
