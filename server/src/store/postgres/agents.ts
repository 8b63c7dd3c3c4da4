import { jsonb } from './rows.js'
import { Value } from '@sinclair/typebox/value'
import { AgentSettings, DEFAULT_AGENT_CAPACITY, type Role } from '@parley/sdk/contract'
import type { AgentRecord, AgentStatusRecord, Store } from '../store.js'
import type { PgDb } from './db.js'

// Agents of a brand: their accounts (capacity and skills included), the status each chose, and
// their notification settings (agents.settings, NULL until they change them).

type AgentMethods = Pick<Store, 'createAgent' | 'getAgent' | 'getAgentByEmail' | 'listAgents' | 'updateAgent'
  | 'listAgentStatuses' | 'getAgentStatus' | 'setAgentStatus' | 'getAgentSettings' | 'setAgentSettings'>

/** An agents row (AGENT_COLUMNS). */
export interface AgentRow {
  brand_id: string; agent_id: string; email: string; name: string; password_hash: string; created_at: number
  capacity: number; skills: string[]; role: Role; active: boolean
}

interface StatusRow { brand_id: string; agent_id: string; status: 'available' | 'away'; auto: boolean; away_after_min: number; since: number }

/** The columns toAgent reads (agent-access.ts reads them too). */
export const AGENT_COLUMNS = 'brand_id, agent_id, email, name, password_hash, created_at, capacity, skills, role, active'

/** The record for an agents row. */
export function toAgent(r: AgentRow): AgentRecord {
  return {
    brandId: r.brand_id, agentId: r.agent_id, email: r.email, name: r.name, passwordHash: r.password_hash,
    createdAt: r.created_at, capacity: r.capacity, skills: r.skills, role: r.role, active: r.active,
  }
}

function toStatus(r: StatusRow): AgentStatusRecord {
  return { brandId: r.brand_id, agentId: r.agent_id, status: r.status, auto: r.auto, awayAfterMin: r.away_after_min, since: r.since }
}

/** The Store's agent methods over `db`. */
export function createAgents(db: PgDb): AgentMethods {
  const agentWhere = (brandId: string, where: string, params: readonly unknown[]) => db.tx(brandId, async (tx) => {
    const r = await tx.one<AgentRow>(`SELECT ${AGENT_COLUMNS} FROM agents WHERE brand_id = $1 AND ${where}`, [brandId, ...params])
    return r ? toAgent(r) : null
  })
  return {
    async createAgent(a) {
      return db.tx(a.brandId, async (tx) => {
        // A taken e-mail (or id) in the brand inserts nothing: null, as the contract says.
        const r = await tx.one<AgentRow>(`INSERT INTO agents (brand_id, agent_id, email, name, password_hash, created_at, capacity, skills, role)
          VALUES ($1, $2, $3, $4, $5, $6, $7, '[]', $8) ON CONFLICT DO NOTHING RETURNING ${AGENT_COLUMNS}`,
        [a.brandId, a.agentId, a.email, a.name, a.passwordHash, a.createdAt, DEFAULT_AGENT_CAPACITY, a.role ?? 'agent'])
        return r ? toAgent(r) : null
      })
    },
    async getAgent(brandId, agentId) { return agentWhere(brandId, 'agent_id = $2', [agentId]) },
    async getAgentByEmail(brandId, email) { return agentWhere(brandId, 'email = $2', [email]) },
    async listAgents(brandId, limit) {
      return db.tx(brandId, async (tx) => (await tx.rows<AgentRow>(`SELECT ${AGENT_COLUMNS} FROM agents WHERE brand_id = $1
        ORDER BY name COLLATE "C", agent_id COLLATE "C" LIMIT $2`, [brandId, limit])).map(toAgent))
    },
    async updateAgent(brandId, agentId, update) {
      // Skills are replaced whole; a field left out keeps its value.
      const skills = update.skills === undefined ? null : jsonb(update.skills)
      return db.tx(brandId, async (tx) => {
        const r = await tx.one<AgentRow>(`UPDATE agents SET name = coalesce($3, name), capacity = coalesce($4, capacity),
            skills = coalesce($5::jsonb, skills)
          WHERE brand_id = $1 AND agent_id = $2 RETURNING ${AGENT_COLUMNS}`, [brandId, agentId, update.name ?? null, update.capacity ?? null, skills])
        return r ? toAgent(r) : null
      })
    },
    async listAgentStatuses(brandId) {
      return db.tx(brandId, async (tx) => (await tx.rows<StatusRow>(`SELECT brand_id, agent_id, status, auto, away_after_min, since
        FROM agent_status WHERE brand_id = $1 ORDER BY agent_id COLLATE "C"`, [brandId])).map(toStatus))
    },
    async getAgentStatus(brandId, agentId) {
      return db.tx(brandId, async (tx) => {
        const r = await tx.one<StatusRow>(`SELECT brand_id, agent_id, status, auto, away_after_min, since
          FROM agent_status WHERE brand_id = $1 AND agent_id = $2`, [brandId, agentId])
        return r ? toStatus(r) : null
      })
    },
    async setAgentStatus(s) {
      await db.tx(s.brandId, (tx) => tx.run(`INSERT INTO agent_status (brand_id, agent_id, status, auto, away_after_min, since)
        VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (brand_id, agent_id) DO UPDATE SET
          status = excluded.status, auto = excluded.auto, away_after_min = excluded.away_after_min, since = excluded.since`,
      [s.brandId, s.agentId, s.status, s.auto, s.awayAfterMin, s.since]))
    },
    async getAgentSettings(brandId, agentId) {
      const r = await db.tx(brandId, (tx) => tx.one<{ settings: unknown }>('SELECT settings FROM agents WHERE brand_id = $1 AND agent_id = $2', [brandId, agentId]))
      // A document an older relay wrote with other fields reads as never changed, not as a crash.
      return r && Value.Check(AgentSettings, r.settings) ? r.settings : null
    },
    async setAgentSettings(brandId, agentId, settings) {
      const doc = jsonb({ sound: settings.sound, desktop: settings.desktop })
      await db.tx(brandId, (tx) => tx.run('UPDATE agents SET settings = $3::jsonb WHERE brand_id = $1 AND agent_id = $2', [brandId, agentId, doc]))
    },
  }
}
