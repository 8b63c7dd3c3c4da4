import type { AgentAccessChange, AgentAccessResult, Store } from '../store.js'
import type { PgDb, PgTx } from './db.js'
import { AGENT_COLUMNS, toAgent, type AgentRow } from './agents.js'
import { revokeSessionsOf } from './sessions.js'

// An account's role and activity. A brand keeps at least one active admin: the change is decided
// under row locks on the account and on every active admin of the brand, taken in one statement in
// agent id order, so two demotions at once (of two admins, the only two) are ordered: the second
// waits for the first, then sees it committed and is refused. Deactivating ends the account's
// sessions in the same transaction.

type AgentAccessMethods = Pick<Store, 'setAgentAccess'>

/** Whether the account is an active admin. */
const isActiveAdmin = (r: { role: string; active: boolean }) => r.role === 'admin' && r.active

async function setAccess(tx: PgTx, brandId: string, agentId: string, change: AgentAccessChange, at: number): Promise<AgentAccessResult> {
  // Under READ COMMITTED a row another transaction changed while this one waited for its lock is read
  // again as committed: an admin demoted meanwhile no longer matches and is not counted.
  const locked = await tx.rows<AgentRow>(`SELECT ${AGENT_COLUMNS} FROM agents
    WHERE brand_id = $1 AND (agent_id = $2 OR (role = 'admin' AND active))
    ORDER BY agent_id COLLATE "C" FOR UPDATE`, [brandId, agentId])
  const current = locked.find((r) => r.agent_id === agentId)
  if (!current) return { ok: false, code: 'PARLEY_ERR_AGENT_NOT_FOUND' }
  const next = { role: change.role ?? current.role, active: change.active ?? current.active }
  if (isActiveAdmin(current) && !isActiveAdmin(next) && !locked.some((r) => r.agent_id !== agentId && isActiveAdmin(r))) {
    return { ok: false, code: 'PARLEY_ERR_AUTH_LAST_ADMIN' }
  }
  const row = (await tx.one<AgentRow>(`UPDATE agents SET role = $3, active = $4 WHERE brand_id = $1 AND agent_id = $2
    RETURNING ${AGENT_COLUMNS}`, [brandId, agentId, next.role, next.active]))!
  const revokedSessions = next.active ? [] : await revokeSessionsOf(tx, brandId, agentId, at)
  return { ok: true, agent: toAgent(row), revokedSessions }
}

/** The Store's setAgentAccess over `db`. */
export function createAgentAccess(db: PgDb): AgentAccessMethods {
  return {
    async setAgentAccess(brandId, agentId, change, at) {
      return db.tx(brandId, (tx) => setAccess(tx, brandId, agentId, change, at))
    },
  }
}
