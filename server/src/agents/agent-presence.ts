import { DEFAULT_AWAY_AFTER_MIN, type AgentPresence } from '@parley/sdk/contract'
import type { AgentRecord, AgentStatusRecord } from '../store/store.js'
import type { AgentOnline } from './presence.js'

// How an agent's availability reads to colleagues and to the public counts. Pure: the inputs are
// the stored account and chosen status, the relay's presence and the count of open chats.

/**
 * The agent's presence: their chosen status while connected (available when they never chose
 * one), offline otherwise. `since` is the later of the status change and the presence change.
 */
export function agentPresence(agent: AgentRecord, status: AgentStatusRecord | null, online: AgentOnline, activeChats: number): AgentPresence {
  const chosen = status?.status ?? 'available'
  const since = Math.max(status?.since ?? 0, online.since ?? 0) || agent.createdAt
  return {
    agentId: agent.agentId,
    name: agent.name,
    status: online.online ? chosen : 'offline',
    auto: online.online && chosen === 'away' && (status?.auto ?? false),
    capacity: agent.capacity,
    activeChats,
    awayAfterMin: status?.awayAfterMin ?? DEFAULT_AWAY_AFTER_MIN,
    skills: agent.skills,
    since,
  }
}

/** Whether the agent can take a new chat now: connected, available, with a free slot. */
export function hasFreeSlot(p: AgentPresence): boolean {
  return p.status === 'available' && p.activeChats < p.capacity
}
