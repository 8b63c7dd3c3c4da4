import { DEFAULT_INACTIVITY_CLOSE_MIN, type ConversationClosed } from '@parley/sdk/contract'
import type { Bus } from '../bus/bus.js'
import type { Clock } from '../deps.js'
import type { Store } from '../store/store.js'

// Closes live chats whose visitor went quiet for the brand's inactivity minutes (RoutingConfig
// inactivityCloseMin), as the relay itself, and tells the visitor and the agents as an agent's close
// does (relay/close.ts). The store checks and closes in one transaction, so a message arriving at
// that moment either keeps the chat open or is refused; it is never stored into a closed chat.

/** Chats closed per brand per store call; a brand with more goes round again at once. */
export const IDLE_CLOSE_BATCH = 100

/** The relay, as who closed a quiet chat. */
const RELAY = { kind: 'system', id: 'relay' } as const

/** When a visitor's last message must be at or before for their chat to close now; null: the brand never closes chats (0 minutes). */
export function idleCutoff(inactivityCloseMin: number | undefined, now: number): number | null {
  const min = inactivityCloseMin ?? DEFAULT_INACTIVITY_CLOSE_MIN
  return min > 0 ? now - min * 60_000 : null
}

/** What the sweep needs. */
export interface IdleSweepDeps {
  store: Store
  bus: Bus
  clock: Clock
  /** The agents whose chats changed (the status board recounts their free slots). */
  chatsChanged(brandId: string, agentIds: readonly (string | null)[]): void
}

/** One pass over every brand with an open live chat; resolves how many chats it closed. */
export async function sweepIdleChats(d: IdleSweepDeps): Promise<number> {
  let total = 0
  for (const brandId of await d.store.listBrandsWithOpenChats()) {
    const config = await d.store.getRoutingConfig(brandId)
    const inactiveMin = config?.inactivityCloseMin ?? DEFAULT_INACTIVITY_CLOSE_MIN
    for (;;) {
      const now = d.clock.now()
      const cutoff = idleCutoff(inactiveMin, now)
      if (cutoff === null) break
      const closed = await d.store.closeIdleConversations(brandId, cutoff, now, IDLE_CLOSE_BATCH)
      for (const c of closed) {
        const frame: ConversationClosed = { type: 'conversation.closed', convId: c.convId, by: RELAY, at: c.closedAt ?? now, reason: 'inactive', inactiveMin }
        // Every agent hears of it (a waiting chat leaves their queues), and so does the visitor.
        d.bus.publish({ brandId, audience: { kind: 'brand', convId: c.convId, visitorId: c.visitorId }, frame })
      }
      d.chatsChanged(brandId, closed.map((c) => c.assignedAgentId))
      total += closed.length
      if (closed.length < IDLE_CLOSE_BATCH) break
    }
  }
  return total
}
