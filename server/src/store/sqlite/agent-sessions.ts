import type Database from 'better-sqlite3'
import type { SessionRecord, Store } from '../store.js'

// Agents' sign-in sessions in SQLite (migration 14, agent_sessions). A session works until it expires
// or is revoked; revoking keeps the first revokedAt, so a second sign-out changes nothing.

interface SessionRow {
  brand_id: string; session_id: string; agent_id: string; created_at: number; last_seen_at: number
  expires_at: number; revoked_at: number | null; address: string | null; user_agent: string | null
}

type SessionMethods = Pick<Store, 'createSession' | 'getSession' | 'touchSession' | 'listSessions' | 'revokeSession' | 'revokeAgentSessions'>

function toSession(r: SessionRow): SessionRecord {
  return {
    brandId: r.brand_id, sessionId: r.session_id, agentId: r.agent_id, createdAt: r.created_at, lastSeenAt: r.last_seen_at,
    expiresAt: r.expires_at, revokedAt: r.revoked_at, address: r.address, userAgent: r.user_agent,
  }
}

/** The session methods, and `revokeWorking` for callers that revoke inside their own transaction. */
export function createAgentSessions(db: Database.Database): SessionMethods & { revokeWorking(brandId: string, agentId: string, at: number): string[] } {
  const q = {
    insert: db.prepare(`INSERT INTO agent_sessions (brand_id, session_id, agent_id, created_at, last_seen_at, expires_at, revoked_at, address, user_agent)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    get: db.prepare<[string, string], SessionRow>('SELECT * FROM agent_sessions WHERE brand_id = ? AND session_id = ?'),
    touch: db.prepare('UPDATE agent_sessions SET last_seen_at = max(last_seen_at, ?) WHERE brand_id = ? AND session_id = ?'),
    working: db.prepare<[string, number], SessionRow>(`SELECT * FROM agent_sessions
      WHERE brand_id = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY created_at DESC, session_id DESC`),
    workingOf: db.prepare<[string, string, number], SessionRow>(`SELECT * FROM agent_sessions
      WHERE brand_id = ? AND agent_id = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY created_at DESC, session_id DESC`),
    revoke: db.prepare<[number, string, string], SessionRow>(`UPDATE agent_sessions SET revoked_at = coalesce(revoked_at, ?)
      WHERE brand_id = ? AND session_id = ? RETURNING *`),
    revokeOf: db.prepare<[number, string, string, number], { session_id: string }>(`UPDATE agent_sessions SET revoked_at = ?
      WHERE brand_id = ? AND agent_id = ? AND revoked_at IS NULL AND expires_at > ? RETURNING session_id`),
  }
  const revokeWorking = (brandId: string, agentId: string, at: number): string[] =>
    q.revokeOf.all(at, brandId, agentId, at).map((r) => r.session_id).sort()
  const revokeTx = db.transaction(revokeWorking)
  return {
    revokeWorking,
    async createSession(s) {
      q.insert.run(s.brandId, s.sessionId, s.agentId, s.createdAt, s.lastSeenAt, s.expiresAt, s.revokedAt, s.address, s.userAgent)
    },
    async getSession(brandId, sessionId) { const r = q.get.get(brandId, sessionId); return r ? toSession(r) : null },
    async touchSession(brandId, sessionId, at) { q.touch.run(at, brandId, sessionId) },
    async listSessions(brandId, { agentId, activeAt }) {
      const rows = agentId === undefined ? q.working.all(brandId, activeAt) : q.workingOf.all(brandId, agentId, activeAt)
      return rows.map(toSession)
    },
    async revokeSession(brandId, sessionId, at) { const r = q.revoke.get(at, brandId, sessionId); return r ? toSession(r) : null },
    async revokeAgentSessions(brandId, agentId, at) { return revokeTx.immediate(brandId, agentId, at) },
  }
}
