import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Action } from '@parley/sdk/contract'
import type { ConversationRecord, Store } from '../../store/store.js'
import { seesEveryConversation, type ConversationResource, type Principal } from '../../auth/policy.js'
import { waitsForAgent } from '../../policy/conversation-policy.js'
import { httpError } from '../../errors.js'

// The REST side of "may this caller read this conversation": the route reads the facts the policy
// needs (auth/policy.ts decides), so every transcript route (header, messages, notes, answers,
// files) asks the same question the same way.

/**
 * What the policy needs of `conv` for `p`. Participation is read only for an agent of a role that
 * does not see every conversation: the policy looks at it for no one else.
 */
export async function conversationFacts(store: Pick<Store, 'isParticipant'>, p: Principal, conv: ConversationRecord): Promise<ConversationResource> {
  const tookPart = p.kind === 'agent' && !seesEveryConversation(p)
    ? conv.assignedAgentId === p.agentId || await store.isParticipant(conv.brandId, conv.convId, { kind: 'agent', id: p.agentId })
    : false
  return { convId: conv.convId, visitorId: conv.visitorId, tookPart, waiting: waitsForAgent(conv) }
}

/**
 * The conversation `convId` if the request's principal may do `action` to it; throws the policy's
 * typed denial (audited), or CONV_NOT_FOUND when the brand has no such conversation. A key or
 * agent lacking the scope or role is refused before anything is read, so a refusal tells it
 * nothing about which ids exist; a visitor is asked only about the conversation itself (theirs or
 * not found).
 */
export async function accessibleConversation(app: FastifyInstance, store: Pick<Store, 'getConversation' | 'isParticipant'>, req: FastifyRequest, convId: string, action: Action = 'conversation.read'): Promise<ConversationRecord> {
  const p = req.principal
  if (!p) throw httpError('PARLEY_ERR_AUTH_REQUIRED')
  if (p.kind !== 'visitor') await app.checkAccess(req, action)
  const conv = await store.getConversation(p.brandId, convId)
  if (!conv) throw httpError('PARLEY_ERR_CONV_NOT_FOUND', convId)
  await app.checkAccess(req, action, await conversationFacts(store, p, conv))
  return conv
}
