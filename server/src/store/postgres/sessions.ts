import type { SessionRecord, Store } from '../store.js'
import type { PgDb, PgTx } from './db.js'

// Agents' signed-in sessions: the token names one (`sid`); it works until it expires or is revoked.
// A revocation keeps its first time, so revoking twice answers the same session.

type SessionMethods = Pick<Store, 'createSession' | 'getSession' | 'touchSession' | 'listSessions' | 'revokeSession' | 'revokeAgentSessions'>

interface SessionRow {
  brand_id: string; session_id: string; agent_id: string; created_at: number; last_seen_at: number; expires_at: number
  revoked_at: number | null; address: string | null; user_agent: string | null
}

const SESSION_COLUMNS = 'brand_id, session_id, agent_id, created_at, last_seen_at, expires_at, revoked_at, address, user_agent'

function toSession(r: SessionRow): SessionRecord {
  return {
    brandId: r.brand_id, sessionId: r.session_id, agentId: r.agent_id, createdAt: r.created_at, lastSeenAt: r.last_seen_at,
    expiresAt: r.expires_at, revokedAt: r.revoked_at, address: r.address, userAgent: r.user_agent,
  }
}

/**
 * Revokes every working session (not revoked, not expired at `at`) of an agent in the transaction
 * (which names its brand); the ids it revoked now. agent-access.ts calls it when deactivating.
 */
export async function revokeSessionsOf(tx: PgTx, brandId: string, agentId: string, at: number): Promise<string[]> {
  const rows = await tx.rows<{ session_id: string }>(`UPDATE sessions SET revoked_at = $3
    WHERE brand_id = $1 AND agent_id = $2 AND revoked_at IS NULL AND expires_at > $3 RETURNING session_id`, [brandId, agentId, at])
  return rows.map((r) => r.session_id).sort()
}

/** The Store's session methods over `db`. */
export function createSessions(db: PgDb): SessionMethods {
  return {
    async createSession(s) {
      await db.tx(s.brandId, (tx) => tx.run(`INSERT INTO sessions (${SESSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [s.brandId, s.sessionId, s.agentId, s.createdAt, s.lastSeenAt, s.expiresAt, s.revokedAt, s.address, s.userAgent]))
    },
    async getSession(brandId, sessionId) {
      return db.tx(brandId, async (tx) => {
        const r = await tx.one<SessionRow>(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE brand_id = $1 AND session_id = $2`, [brandId, sessionId])
        return r ? toSession(r) : null
      })
    },
    async touchSession(brandId, sessionId, at) {
      // Only a later time writes: a touch that arrives late changes nothing, and costs no row version.
      await db.tx(brandId, (tx) => tx.run(`UPDATE sessions SET last_seen_at = $3
        WHERE brand_id = $1 AND session_id = $2 AND last_seen_at < $3`, [brandId, sessionId, at]))
    },
    async listSessions(brandId, query) {
      return db.tx(brandId, async (tx) => (await tx.rows<SessionRow>(`SELECT ${SESSION_COLUMNS} FROM sessions
        WHERE brand_id = $1 AND revoked_at IS NULL AND expires_at > $2 AND ($3::text IS NULL OR agent_id = $3)
        ORDER BY created_at DESC, session_id COLLATE "C" DESC`, [brandId, query.activeAt, query.agentId ?? null])).map(toSession))
    },
    async revokeSession(brandId, sessionId, at) {
      return db.tx(brandId, async (tx) => {
        const r = await tx.one<SessionRow>(`UPDATE sessions SET revoked_at = coalesce(revoked_at, $3)
          WHERE brand_id = $1 AND session_id = $2 RETURNING ${SESSION_COLUMNS}`, [brandId, sessionId, at])
        return r ? toSession(r) : null
      })
    },
    async revokeAgentSessions(brandId, agentId, at) {
      return db.tx(brandId, (tx) => revokeSessionsOf(tx, brandId, agentId, at))
    },
  }
}
