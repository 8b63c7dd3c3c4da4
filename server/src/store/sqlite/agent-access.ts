import type Database from 'better-sqlite3'
import type { Role } from '@parley/sdk/contract'
import type { AgentAccessChange, AgentAccessResult, Store } from '../store.js'
import { toAgent, type AgentRow } from './rows.js'

// An account's role and activity (migration 14). One IMMEDIATE transaction reads the account, counts
// the brand's other active admins and writes, so two admins demoting each other at once cannot leave
// the brand with none: the second waits for the first and then sees it.

type AccessMethods = Pick<Store, 'setAgentAccess'>

/** setAgentAccess over `db`; `revokeWorking` revokes an agent's working sessions inside the transaction. */
export function createAgentAccess(
  db: Database.Database, revokeWorking: (brandId: string, agentId: string, at: number) => string[],
): AccessMethods {
  const q = {
    agent: db.prepare<[string, string], AgentRow>('SELECT * FROM agents WHERE brand_id = ? AND agent_id = ?'),
    otherAdmins: db.prepare<[string, string], { n: number }>(`SELECT count(*) AS n FROM agents
      WHERE brand_id = ? AND agent_id <> ? AND role = 'admin' AND active = 1`),
    update: db.prepare<[Role, number, string, string], AgentRow>('UPDATE agents SET role = ?, active = ? WHERE brand_id = ? AND agent_id = ? RETURNING *'),
  }
  const tx = db.transaction((brandId: string, agentId: string, change: AgentAccessChange, at: number): AgentAccessResult => {
    const row = q.agent.get(brandId, agentId)
    if (!row) return { ok: false, code: 'PARLEY_ERR_AGENT_NOT_FOUND' }
    const current = toAgent(row)
    const role = change.role ?? current.role
    const active = change.active ?? current.active
    const wasAdmin = current.role === 'admin' && current.active
    if (wasAdmin && !(role === 'admin' && active) && q.otherAdmins.get(brandId, agentId)!.n === 0) {
      return { ok: false, code: 'PARLEY_ERR_AUTH_LAST_ADMIN' }
    }
    const agent = toAgent(q.update.get(role, active ? 1 : 0, brandId, agentId)!)
    return { ok: true, agent, revokedSessions: active ? [] : revokeWorking(brandId, agentId, at) }
  })
  return {
    async setAgentAccess(brandId, agentId, change, at) { return tx.immediate(brandId, agentId, change, at) },
  }
}
