import type Database from 'better-sqlite3'
import type { AgentStatusRecord, Store } from '../store.js'
import { toAgent, type AgentRow } from './rows.js'

// Agents' availability in SQLite (migration 8): the status each chose in agent_status, the capacity
// in agents.capacity, and the counts the public availability reads (open chats per agent, live
// chats waiting), each served by a partial index over open conversations only.

interface StatusRow { brand_id: string; agent_id: string; status: 'available' | 'away'; auto: number; away_after_min: number; since: number }

type AvailabilityMethods = Pick<Store, 'updateAgent' | 'listAgentStatuses' | 'getAgentStatus' | 'setAgentStatus' | 'countActiveChats' | 'countWaitingChats'>

function toStatus(r: StatusRow): AgentStatusRecord {
  return { brandId: r.brand_id, agentId: r.agent_id, status: r.status, auto: r.auto === 1, awayAfterMin: r.away_after_min, since: r.since }
}

/** The Store's agent availability methods over `db`. */
export function createAgentAvailability(db: Database.Database): AvailabilityMethods {
  const q = {
    update: db.prepare<[string | null, number | null, string | null, string, string], AgentRow>(`UPDATE agents
      SET name = coalesce(?, name), capacity = coalesce(?, capacity), skills = coalesce(?, skills) WHERE brand_id = ? AND agent_id = ? RETURNING *`),
    statuses: db.prepare<[string], StatusRow>('SELECT * FROM agent_status WHERE brand_id = ?'),
    status: db.prepare<[string, string], StatusRow>('SELECT * FROM agent_status WHERE brand_id = ? AND agent_id = ?'),
    setStatus: db.prepare(`INSERT INTO agent_status (brand_id, agent_id, status, auto, away_after_min, since) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (brand_id, agent_id) DO UPDATE SET
        status = excluded.status, auto = excluded.auto, away_after_min = excluded.away_after_min, since = excluded.since`),
    activeChats: db.prepare<[string], { agent: string; n: number }>(`SELECT assigned_agent AS agent, count(*) AS n FROM conversations
      WHERE brand_id = ? AND status = 'open' AND assigned_agent IS NOT NULL AND origin = 'chat' GROUP BY assigned_agent`),
    waitingChats: db.prepare<[string], { n: number }>(`SELECT count(*) AS n FROM conversations
      WHERE brand_id = ? AND status = 'open' AND assigned_agent IS NULL AND origin = 'chat'`),
  }
  return {
    async updateAgent(brandId, agentId, update) {
      // Skills are replaced whole (agents.skills, a JSON array; migration 11).
      const skills = update.skills === undefined ? null : JSON.stringify(update.skills)
      const r = q.update.get(update.name ?? null, update.capacity ?? null, skills, brandId, agentId)
      return r ? toAgent(r) : null
    },
    async listAgentStatuses(brandId) { return q.statuses.all(brandId).map(toStatus) },
    async getAgentStatus(brandId, agentId) {
      const r = q.status.get(brandId, agentId)
      return r ? toStatus(r) : null
    },
    async setAgentStatus(s) {
      q.setStatus.run(s.brandId, s.agentId, s.status, s.auto ? 1 : 0, s.awayAfterMin, s.since)
    },
    async countActiveChats(brandId) {
      const out: Record<string, number> = {}
      for (const r of q.activeChats.all(brandId)) out[r.agent] = r.n
      return out
    },
    async countWaitingChats(brandId) { return q.waitingChats.get(brandId)!.n },
  }
}
