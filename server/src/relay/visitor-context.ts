import type { ContextUpdate } from '@parley/sdk/contract'
import type { SessionChange, SessionPort } from './session-port.js'

// A visitor's context (page, device, …) as it changes: stored on their open conversations and shown
// to those conversations' agents.

/**
 * Records the visitor's new context and shows it to the agents of their open conversations; returns
 * it as the connection's context from now on (for the conversations its next messages open).
 */
export async function handleContextUpdate(s: SessionPort, frame: ContextUpdate): Promise<SessionChange | false> {
  const { who } = s
  if (who.kind !== 'visitor') {
    s.reject('PARLEY_ERR_PROTOCOL_ROLE', ['agent', frame.type], frame.ref)
    return false
  }
  await s.ctx.deps.store.recordVisit(s.brandId, who.id, frame.context, s.ctx.deps.clock.now())
  await publishContext(s, frame.context)
  return { visitorContext: frame.context }
}

/** Stores a visitor's context on their open conversations and tells those conversations' agents. */
export async function publishContext(s: SessionPort, context: ContextUpdate['context']): Promise<void> {
  const { store, bus } = s.ctx.deps
  for (const c of await store.updateVisitorContext(s.brandId, s.who.id, context)) {
    bus.publish({
      brandId: s.brandId, audience: { kind: 'conversation', convId: c.convId, visitorId: c.visitorId },
      frame: { type: 'context.updated', convId: c.convId, context }, exceptIdentity: s.identity,
    })
  }
}
