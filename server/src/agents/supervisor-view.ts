import type { AgentPresence, RoutingMode, SupervisorView } from '@parley/sdk/contract'
import type { OfferRecord, QueueRecord } from '../store/store.js'

// The supervisor's picture of a brand's floor, from what the status board, the queue and the offers
// say: pure, so the figures are checked without a relay.

/** Waiting chats the view lists at most (the count covers every one). */
export const SUPERVISOR_QUEUE_LIMIT = 200

/** What the view is made of, read by the caller at one moment. */
export interface SupervisorInputs {
  mode: RoutingMode
  agents: readonly AgentPresence[]
  /** Waiting conversations in the order they will be offered (offline messages are left out here). */
  queue: readonly QueueRecord[]
  queueLength: number
  pending: readonly OfferRecord[]
  /** Timed-out offers since the start of the UTC day, by agent. */
  missed: Readonly<Record<string, number>>
  now: number
}

/** Midnight UTC of the day `now` falls in: missed offers are counted from there. */
export function startOfUtcDay(now: number): number {
  const d = new Date(now)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())
}

/** The SupervisorView of `inputs`: agents by name, the live waiting chats with their wait so far. */
export function supervisorView(inputs: SupervisorInputs): SupervisorView {
  const offeredTo = new Map(inputs.pending.map((o) => [o.convId, o.agentId]))
  const offersByAgent = new Map<string, number>()
  for (const o of inputs.pending) offersByAgent.set(o.agentId, (offersByAgent.get(o.agentId) ?? 0) + 1)
  const agents = inputs.agents.map((a) => ({
    agentId: a.agentId, name: a.name, status: a.status, capacity: a.capacity, activeChats: a.activeChats, skills: [...a.skills],
    offersPending: offersByAgent.get(a.agentId) ?? 0, missedToday: inputs.missed[a.agentId] ?? 0,
  }))
  const queue = inputs.queue.filter((q) => q.conversation.origin !== 'offline').slice(0, SUPERVISOR_QUEUE_LIMIT).map(({ conversation: c }) => {
    const to = offeredTo.get(c.convId)
    const routing = c.routing && Object.keys(c.routing).length > 0 ? { routing: c.routing } : {}
    // A chat sent back to a queue has waited since then: the time before, an agent held it.
    const since = c.queuedAt ?? c.createdAt
    return {
      convId: c.convId, createdAt: c.createdAt, ...(c.queuedAt ? { queuedAt: c.queuedAt } : {}),
      waitingSec: Math.max(0, Math.floor((inputs.now - since) / 1000)), ...routing, ...(to ? { offeredTo: to } : {}),
    }
  })
  let missedToday = 0
  for (const n of Object.values(inputs.missed)) missedToday += n
  return { mode: inputs.mode, agents, queue, queueLength: Math.max(inputs.queueLength, queue.length), missedToday, at: inputs.now }
}
