import { readQueueEntry } from '../routing/queue-entry.js'
import type { SessionPort } from './session-port.js'

// An agent's console that (re)connects forgets the offers it was shown (their cards went with the
// old connection), while the offers stay pending in the store until they end. So hello tells a new
// agent connection each offer pending for that agent again, with its original expiry: the card
// counts down from where it was, and offer.ended still removes it.

/** Sends the agent, on this connection only, conversation.offered for each offer pending for them and not expired. */
export async function resendPendingOffers(s: SessionPort): Promise<void> {
  const { store, clock } = s.ctx.deps
  const mine = (await store.listPendingOffers(s.brandId)).filter((o) => o.agentId === s.who.id && o.expiresAt > clock.now())
  for (const o of mine) {
    const c = await store.getConversation(s.brandId, o.convId)
    if (!c || c.status !== 'open' || c.assignedAgentId !== null) continue
    s.send({ type: 'conversation.offered', convId: c.convId, entry: await readQueueEntry(store, s.brandId, c), expiresAt: o.expiresAt })
  }
}
