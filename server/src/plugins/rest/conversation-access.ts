import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Action } from '@parley/sdk/contract'
import type { ConversationRecord, Store } from '../../store/store.js'
import { conversationFacts, type FactsStore } from '../../auth/conversation-facts.js'
import { httpError } from '../../errors.js'

// The REST side of "may this caller read this conversation": the route reads the facts the policy
// needs (auth/conversation-facts.ts, as the relay does; auth/policy.ts decides), so every
// transcript route (header, messages, notes, answers, files) asks the same question the same way.

/**
 * The conversation `convId` if the request's principal may do `action` to it; throws the policy's
 * typed denial (audited), or CONV_NOT_FOUND when the brand has no such conversation. A key or
 * agent lacking the scope or role is refused before anything is read, so a refusal tells it
 * nothing about which ids exist; a visitor is asked only about the conversation itself (theirs or
 * not found).
 */
export async function accessibleConversation(app: FastifyInstance, store: Pick<Store, 'getConversation'> & FactsStore, req: FastifyRequest, convId: string, action: Action = 'conversation.read'): Promise<ConversationRecord> {
  const p = req.principal
  if (!p) throw httpError('PARLEY_ERR_AUTH_REQUIRED')
  if (p.kind !== 'visitor') await app.checkAccess(req, action)
  const conv = await store.getConversation(p.brandId, convId)
  if (!conv) throw httpError('PARLEY_ERR_CONV_NOT_FOUND', convId)
  await app.checkAccess(req, action, await conversationFacts(store, p, conv))
  return conv
}
