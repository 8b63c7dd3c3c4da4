import type { ContextUpdate } from '@parley/sdk/contract'
import type { SessionChange, SessionPort } from './session-port.js'
import { maskContext } from '../masking/context-masking.js'
import { consentedContext } from '../data-rights/consented-context.js'
import { requireVisitor } from './require-visitor.js'

// A visitor's context (page, device, …) as it changes: stored on their open conversations and shown
// to those conversations' agents, behavioural values only with consent (consented-context.ts).

/**
 * Records the visitor's new context and shows it to the agents of their open conversations; returns
 * it as the connection's context from now on (for the conversations its next messages open).
 */
export async function handleContextUpdate(s: SessionPort, frame: ContextUpdate): Promise<SessionChange | false> {
  if (!requireVisitor(s, frame.type, frame.ref)) return false
  // Masked before it is stored or shown: a page address can carry an e-mail or a token.
  const { context, changed, tracking } = await consentedContext({ store: s.ctx.deps.store, clock: s.ctx.deps.clock, tracking: s.ctx.tracking, erasureLedger: s.ctx.deps.erasureLedger }, s.brandId, s.who.id, maskContext(await s.ctx.maskers.get(s.brandId), frame.context), { known: true, privacySignal: s.privacySignal })
  if (changed) s.ctx.log.info({ connId: s.connId, brandId: s.brandId, visitorId: s.who.id, consent: changed.state, conversations: changed.conversations }, 'visitor consent recorded')
  await s.ctx.deps.store.recordVisit(s.brandId, s.who.id, context, s.ctx.deps.clock.now(), { counted: tracking })
  await publishContext(s, context)
  return { visitorContext: context }
}

/** Stores a visitor's (masked) context on their open conversations and tells those conversations' agents. */
export async function publishContext(s: SessionPort, context: ContextUpdate['context']): Promise<void> {
  const { store, bus } = s.ctx.deps
  for (const c of await store.updateVisitorContext(s.brandId, s.who.id, context)) {
    bus.publish({
      brandId: s.brandId, audience: { kind: 'conversation', convId: c.convId, visitorId: c.visitorId },
      frame: { type: 'context.updated', convId: c.convId, context }, exceptIdentity: s.identity,
    })
  }
}
