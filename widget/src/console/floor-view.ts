import type { AgentPresence, QueueEntry, SupervisorAgent, SupervisorQueueEntry, SupervisorView } from '@parley/sdk/contract'

// The Floor view's figures: the supervisor view the relay last answered, brought up to date by what
// the console heard since (agent.status frames, chats joining and leaving the queue), with waiting
// times counted to now. Pure.

/** What the Floor view shows. */
export interface Floor {
  agents: SupervisorAgent[]
  queue: SupervisorQueueEntry[]
  queueLength: number
  missedToday: number
  offersPending: number
  availableAgents: number
}

/**
 * `view` with each agent's status, chats, capacity and skills from `team` when newer, the queue
 * without chats the console saw leave (when it knows the whole queue) and with chats it saw arrive.
 */
export function liveFloor(view: SupervisorView, team: Record<string, AgentPresence>, queue: { entries: readonly QueueEntry[]; complete: boolean; listed: boolean }, now: number): Floor {
  const agents = view.agents.map((a) => {
    const live = team[a.agentId]
    return live ? { ...a, status: live.status, activeChats: live.activeChats, capacity: live.capacity, skills: [...live.skills] } : a
  })
  const waiting = new Set(queue.entries.map((e) => e.convId))
  let rows = view.queue
  if (queue.listed && queue.complete) rows = rows.filter((q) => waiting.has(q.convId))
  const known = new Set(rows.map((q) => q.convId))
  const arrived = queue.entries.filter((e) => !known.has(e.convId) && e.origin !== 'offline' && e.createdAt <= now)
    .map((e): SupervisorQueueEntry => ({ convId: e.convId, createdAt: e.createdAt, waitingSec: 0, ...(e.routing ? { routing: e.routing } : {}) }))
  const all = [...rows, ...arrived].map((q) => ({ ...q, waitingSec: Math.max(0, Math.floor((now - (q.queuedAt ?? q.createdAt)) / 1000)) }))
  const offersPending = agents.reduce((n, a) => n + a.offersPending, 0)
  return {
    agents, queue: all, queueLength: Math.max(all.length, view.queueLength - (view.queue.length - rows.length) + arrived.length),
    missedToday: view.missedToday, offersPending, availableAgents: agents.filter((a) => a.status === 'available').length,
  }
}

/** "1 min 05 s", "42 s": a wait as the Floor view shows it. */
export function formatWait(sec: number): string {
  if (sec < 60) return `${sec} s`
  const m = Math.floor(sec / 60)
  if (m < 60) return `${m} min ${String(sec % 60).padStart(2, '0')} s`
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`
}
