import type { AgentRecord, SessionRecord, Store } from '../store/store.js'
import type { TokenClaims } from './tokens.js'

// Whether a verified agent token still works: its session exists, is neither revoked nor expired,
// and its account is active. Asked on every REST request and every hello, against the store, so a
// sign-out or a deactivation is refused at once on every node sharing it.

/** Why an agent token that verified is refused anyway. */
export type AgentSessionRefusal =
  | 'PARLEY_ERR_AUTH_TOKEN_INVALID' | 'PARLEY_ERR_AUTH_TOKEN_EXPIRED' | 'PARLEY_ERR_AUTH_SESSION_REVOKED' | 'PARLEY_ERR_AUTH_ACCOUNT_INACTIVE'

/** The agent and session an agent token stands for, or why it no longer works. */
export async function checkAgentSession(store: Store, c: TokenClaims, now: number): Promise<{ ok: true; agent: AgentRecord; session: SessionRecord } | { ok: false; code: AgentSessionRefusal }> {
  // Every agent token names its session; one from before sessions existed is no longer honoured.
  if (c.kind !== 'agent' || !c.sid) return { ok: false, code: 'PARLEY_ERR_AUTH_TOKEN_INVALID' }
  const [session, agent] = await Promise.all([store.getSession(c.brand, c.sid), store.getAgent(c.brand, c.sub)])
  if (!session || session.agentId !== c.sub || !agent) return { ok: false, code: 'PARLEY_ERR_AUTH_TOKEN_INVALID' }
  if (session.revokedAt !== null) return { ok: false, code: 'PARLEY_ERR_AUTH_SESSION_REVOKED' }
  if (session.expiresAt <= now) return { ok: false, code: 'PARLEY_ERR_AUTH_TOKEN_EXPIRED' }
  if (!agent.active) return { ok: false, code: 'PARLEY_ERR_AUTH_ACCOUNT_INACTIVE' }
  return { ok: true, agent, session }
}
