import type { AgentStatus } from '@parley/sdk/contract'

// Who gets the next waiting chat (automatic routing). Pure: the router reads the floor from the
// store and the status board, and this decides.

/** One agent as the chooser sees them. */
export interface RoutingCandidate {
  agentId: string
  status: AgentStatus
  capacity: number
  /** Open live chats the agent holds. */
  activeChats: number
  /** Chats offered to the agent now, not yet accepted: they hold a slot until the offer ends. */
  pendingOffers: number
  skills: readonly string[]
  /** When the agent was last offered a chat; 0: never. */
  lastOfferedAt: number
}

/** Whether the agent could take one more chat now: available, with a slot not held by a chat or an offer. */
export function hasRoom(c: RoutingCandidate): boolean {
  return c.status === 'available' && c.activeChats + c.pendingOffers < c.capacity
}

/**
 * The agent to offer a chat to, or null when nobody fits. Fits: available, with room, and having the
 * chat's skill when it needs one. Among those: agents not offered this chat since it entered the
 * queue before those who were (a missed offer sends it to someone else first; who declined it the
 * router leaves out of `candidates` altogether), then
 * the least busy (chats plus pending offers), then round robin: the one offered a chat longest ago.
 * The agent id breaks a last tie, so the choice never depends on the order of the list.
 */
export function pickAgent(candidates: readonly RoutingCandidate[], skill: string | undefined, alreadyOffered: ReadonlySet<string>): string | null {
  let best: RoutingCandidate | null = null
  for (const c of candidates) {
    if (!hasRoom(c) || (skill !== undefined && !c.skills.includes(skill))) continue
    if (best === null || isBefore(c, best, alreadyOffered)) best = c
  }
  return best?.agentId ?? null
}

function isBefore(a: RoutingCandidate, b: RoutingCandidate, offered: ReadonlySet<string>): boolean {
  const ao = offered.has(a.agentId), bo = offered.has(b.agentId)
  if (ao !== bo) return bo
  const al = a.activeChats + a.pendingOffers, bl = b.activeChats + b.pendingOffers
  if (al !== bl) return al < bl
  if (a.lastOfferedAt !== b.lastOfferedAt) return a.lastOfferedAt < b.lastOfferedAt
  return a.agentId < b.agentId
}
