// Which agents are connected to the relay: a count of live connections per agent. In-process for
// one node; with several nodes (Redis fan-out) the count must be shared, so the relay sees only
// this interface and the composition root picks the implementation.

/** What changed when a connection came or went. */
export interface PresenceChange {
  /** The agent's first connection opened (0→1) or their last closed (1→0). */
  flipped: boolean
  /** When the agent last came online or went offline (the time of the last flip). */
  since: number
}

/** An agent's presence as the relay sees it. */
export interface AgentOnline {
  online: boolean
  /** When they came online or went offline; null when this relay never saw them. */
  since: number | null
}

/** Live connections per agent, across the relay's nodes. */
export interface Presence {
  /** Counts one more connection of the agent. */
  connected(brandId: string, agentId: string, at: number): Promise<PresenceChange>
  /** Counts one connection fewer. */
  disconnected(brandId: string, agentId: string, at: number): Promise<PresenceChange>
  /** One agent's presence. */
  get(brandId: string, agentId: string): Promise<AgentOnline>
  /** The brand's agents with at least one connection, with when each came online. */
  online(brandId: string): Promise<ReadonlyMap<string, number>>
  /**
   * Hears of agents whose presence flipped without a connect or disconnect here: offline because
   * the node holding their connections died, or online again because a node's share was written
   * back (Redis lost it, or reaped the node after a stall). Returns an unsubscribe function. Only
   * shared presence has this.
   */
  onChange?(handler: (brandId: string, agentId: string) => void): () => void
}

interface Entry { connections: number; since: number }

/** Presence for a single relay node, in memory. */
export function createInProcessPresence(): Presence {
  const byBrand = new Map<string, Map<string, Entry>>()
  const entry = (brandId: string, agentId: string): Entry => {
    let agents = byBrand.get(brandId)
    if (!agents) byBrand.set(brandId, (agents = new Map()))
    let e = agents.get(agentId)
    if (!e) agents.set(agentId, (e = { connections: 0, since: 0 }))
    return e
  }
  return {
    async connected(brandId, agentId, at) {
      const e = entry(brandId, agentId)
      const flipped = ++e.connections === 1
      if (flipped) e.since = at
      return { flipped, since: e.since }
    },
    async disconnected(brandId, agentId, at) {
      const e = entry(brandId, agentId)
      if (e.connections === 0) return { flipped: false, since: e.since }
      const flipped = --e.connections === 0
      if (flipped) e.since = at
      return { flipped, since: e.since }
    },
    async get(brandId, agentId) {
      const e = byBrand.get(brandId)?.get(agentId)
      return e ? { online: e.connections > 0, since: e.since } : { online: false, since: null }
    },
    async online(brandId) {
      const out = new Map<string, number>()
      for (const [agentId, e] of byBrand.get(brandId) ?? []) if (e.connections > 0) out.set(agentId, e.since)
      return out
    },
  }
}
