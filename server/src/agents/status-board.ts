import { DEFAULT_AWAY_AFTER_MIN, type AgentPresence, type SetAgentStatus } from '@parley/sdk/contract'
import type { Bus } from '../bus/bus.js'
import type { Clock } from '../deps.js'
import type { Store } from '../store/store.js'
import { agentPresence } from './agent-presence.js'
import type { Presence } from './presence.js'

// Agents' availability as colleagues see it, and the one place that announces a change: every
// agent of the brand gets an `agent.status` frame through the bus when an agent's first connection
// opens or last one closes, when they choose a status, when their capacity changes, and when their
// open chats change (accepted, handed on, closed).

/** Agents a brand's presence list covers (as GET /v1/agents lists). */
const AGENTS_LISTED = 1000

/** What the board reads and where it announces. */
export interface StatusBoardDeps {
  store: Store
  bus: Bus
  clock: Clock
  presence: Presence
  /** A change could not be announced (the store failed): logged, never thrown at the caller. */
  onError: (err: unknown, brandId: string, agentId: string) => void
}

/** Reads and announces agents' availability. */
export class StatusBoard {
  readonly #d: StatusBoardDeps
  /** The relay is shutting down: presence is still counted, but nothing is announced (nobody stays to hear it). */
  #quiet = false

  constructor(deps: StatusBoardDeps) {
    this.#d = deps
  }

  /** Every agent of the brand, by name. */
  async list(brandId: string): Promise<AgentPresence[]> {
    const { store, presence } = this.#d
    const [agents, statuses, online, active] = await Promise.all([
      store.listAgents(brandId, AGENTS_LISTED), store.listAgentStatuses(brandId), presence.online(brandId), store.countActiveChats(brandId),
    ])
    const byAgent = new Map(statuses.map((s) => [s.agentId, s]))
    return agents.map((a) => {
      const since = online.get(a.agentId)
      return agentPresence(a, byAgent.get(a.agentId) ?? null, since === undefined ? { online: false, since: null } : { online: true, since }, active[a.agentId] ?? 0)
    })
  }

  /** One agent; null when the brand has no such agent. */
  async one(brandId: string, agentId: string): Promise<AgentPresence | null> {
    const { store, presence } = this.#d
    const [agent, status, online, active] = await Promise.all([
      store.getAgent(brandId, agentId), store.getAgentStatus(brandId, agentId), presence.get(brandId, agentId), store.countActiveChats(brandId),
    ])
    return agent ? agentPresence(agent, status, online, active[agentId] ?? 0) : null
  }

  /** Saves the status an agent chose (or their console's idle timer set) and announces it. */
  async setStatus(brandId: string, agentId: string, body: SetAgentStatus): Promise<AgentPresence | null> {
    const { store } = this.#d
    const before = await store.getAgentStatus(brandId, agentId)
    await store.setAgentStatus({
      brandId, agentId, status: body.status, auto: body.status === 'away' && (body.auto ?? false),
      awayAfterMin: body.awayAfterMin ?? before?.awayAfterMin ?? DEFAULT_AWAY_AFTER_MIN,
      // Changing only the idle minutes keeps the time the status began.
      since: before && before.status === body.status ? before.since : this.#d.clock.now(),
    })
    return this.announce(brandId, agentId)
  }

  /** Stops announcing (shutdown): closing sockets must not read a store that is closing too. */
  quiesce(): void {
    this.#quiet = true
  }

  /** A connection of the agent opened; announces them when it is their first. */
  async connected(brandId: string, agentId: string): Promise<void> {
    const change = await this.#d.presence.connected(brandId, agentId, this.#d.clock.now())
    if (change.flipped && !this.#quiet) await this.announce(brandId, agentId)
  }

  /** A connection of the agent closed; announces them offline when it was their last. */
  async disconnected(brandId: string, agentId: string): Promise<void> {
    const change = await this.#d.presence.disconnected(brandId, agentId, this.#d.clock.now())
    if (change.flipped && !this.#quiet) await this.announce(brandId, agentId)
  }

  /** Agents' open chats changed (accepted, handed on, closed): announces each, in the background. */
  chatsChanged(brandId: string, agentIds: readonly (string | null)[]): void {
    if (this.#quiet) return
    for (const agentId of new Set(agentIds)) {
      if (agentId !== null) this.announce(brandId, agentId).catch((err: unknown) => this.#d.onError(err, brandId, agentId))
    }
  }

  /** Sends the agent's availability as it is now to every agent of the brand; returns it (null: no such agent). */
  async announce(brandId: string, agentId: string): Promise<AgentPresence | null> {
    const agent = await this.one(brandId, agentId)
    if (agent) this.#d.bus.publish({ brandId, audience: { kind: 'agents' }, frame: { type: 'agent.status', agent } })
    return agent
  }
}
