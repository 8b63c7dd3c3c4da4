import type { ConversationDecline } from '@parley/sdk/contract'
import type { SessionPort } from './session-port.js'
import { requireAgent } from './require-agent.js'
import { withRef } from './with-ref.js'

// An agent turns down the chat the relay offered them. The store decides: only the pending offer to
// this agent ends; the router hears offer.ended on the bus and offers the chat to the next agent.

/** Handles ConversationDecline: answered by offer.ended (declined), or PARLEY_ERR_OFFER_NOT_FOUND. */
export async function handleDecline(s: SessionPort, frame: ConversationDecline): Promise<boolean> {
  if (!requireAgent(s, frame.type, frame.ref)) return false
  const { store, clock, bus } = s.ctx.deps
  const ended = await store.endOffer(s.brandId, frame.convId, s.who.id, 'declined', clock.now())
  if (!ended) {
    s.reject('PARLEY_ERR_OFFER_NOT_FOUND', [frame.convId], frame.ref ?? frame.convId)
    return false
  }
  const done = { type: 'offer.ended' as const, convId: frame.convId, outcome: 'declined' as const }
  s.send({ ...done, ...withRef(frame.ref) })
  // The agent's other consoles drop the offer too; the router (every node's) wakes on it.
  bus.publish({ brandId: s.brandId, audience: { kind: 'agents' }, onlyIdentity: s.identity, exceptConnId: s.connId, frame: done })
  return true
}
