import type { Action } from '@parley/sdk/contract'
import { decide, type ConversationResource, type Decision } from '../auth/policy.js'
import { conversationFacts } from '../auth/conversation-facts.js'
import { actorOf } from '../audit/audit-log.js'
import type { ConversationRecord } from '../store/store.js'
import type { SessionPort } from './session-port.js'

// The WebSocket edge of the policy (auth/policy.ts), as plugins/auth.ts is the REST one: a frame
// handler asks here, never checks a role itself. A denial is audited (`access.denied`) before the
// typed error goes out, so the log holds every refusal the client saw.

/** What a frame's conversation is to the connection's principal (auth/conversation-facts.ts, as REST reads it). */
export function conversationResource(s: SessionPort, conv: ConversationRecord): Promise<ConversationResource> {
  return conversationFacts(s.ctx.deps.store, s.principal, conv)
}

/**
 * Whether the connection may do `action` (to `conversation`): true when the policy allows it;
 * otherwise the denial is audited and answered with its typed error, and false is returned.
 */
export async function authorize(s: SessionPort, action: Action, conversation: ConversationResource | null, ref: string | undefined): Promise<boolean> {
  const settings = await s.ctx.security.policy(s.brandId)
  return refuse(s, decide(s.principal, action, conversation, settings), action, conversation?.convId ?? null, ref)
}

/**
 * Answers a decision already taken (conversation-policy.ts asks the policy for hand-overs): true
 * when it allows, else audits and sends the denial and returns false.
 */
export async function refuse(s: SessionPort, decision: Decision, action: Action, convId: string | null, ref: string | undefined): Promise<boolean> {
  if (decision === null) return true
  try {
    await s.ctx.audit.record({
      brandId: s.brandId, actor: actorOf(s.principal), action: 'access.denied', outcome: 'denied', code: decision.code,
      resource: convId === null ? null : { type: 'conversation', id: convId }, ip: s.ip, detail: { action },
    })
  } catch (err) {
    // The refusal stands whether or not it could be written down; someone must look at the log store.
    s.ctx.log.error({ err, brandId: s.brandId, connId: s.connId, code: decision.code }, 'audit of a denial failed')
  }
  s.ctx.log.warn({ brandId: s.brandId, connId: s.connId, action, code: decision.code }, 'frame denied by policy')
  s.reject(decision.code, decision.args, ref ?? convId ?? undefined)
  return false
}
