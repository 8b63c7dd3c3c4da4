import type { Role } from '@parley/sdk/contract'
import { checkAgentSession } from '../auth/agent-session.js'
import type { Store } from '../store/store.js'
import type { OpenSession } from './context.js'

// The net under the sessions-revoked note (revoked-connections.ts): a note the bus lost (Redis down
// at that moment) would leave a revoked agent's socket open for as long as it lives. So every
// SESSION_RECHECK_MS each node reads the sessions of its open agent connections from the store and
// closes those revoked, expired or of a deactivated account, with the code a new hello would get.
// A role changed meanwhile is taken in place: the connection's next frame is decided with the new
// role (it stays open; the console shows the new role's views after its next sign-in or reload).

/** How often a node re-reads the sessions of its agent connections (ms): a revocation whose note was lost takes effect within this. */
export const SESSION_RECHECK_MS = 30_000

/** What one pass needs. */
export interface SessionRecheckDeps {
  store: Store
  now: () => number
  /** A pass failed to read the store: the connections stay as they are until the next pass. */
  onError?: (err: unknown, brandId: string) => void
}

/** Re-reads the session of every open agent connection once; resolves when all were answered. */
export async function recheckSessions(sessions: Iterable<OpenSession>, deps: SessionRecheckDeps): Promise<void> {
  // One read per session, however many tabs use it.
  const bySession = new Map<string, OpenSession[]>()
  for (const s of sessions) {
    if (!s.isAuthenticated || s.principal.kind !== 'agent' || s.sessionId === null) continue
    const key = `${s.brandId}/${s.sessionId}`
    const list = bySession.get(key)
    if (list) list.push(s)
    else bySession.set(key, [s])
  }
  for (const conns of bySession.values()) {
    const first = conns[0]!
    const p = first.principal
    if (p.kind !== 'agent') continue
    let role: Role
    try {
      const checked = await checkAgentSession(deps.store, { kind: 'agent', sub: p.agentId, brand: p.brandId, sid: p.sessionId, iat: 0, exp: 0 }, deps.now())
      if (!checked.ok) {
        for (const s of conns) s.fail(checked.code, [])
        continue
      }
      role = checked.agent.role
    } catch (err) {
      deps.onError?.(err, p.brandId)
      continue
    }
    for (const s of conns) if (s.principal.kind === 'agent' && s.principal.role !== role) s.setRole(role)
  }
}

/** Runs recheckSessions every `everyMs` (a pass still running skips the next tick); returns a function that stops it. */
export function startSessionRecheck(sessions: ReadonlySet<OpenSession>, deps: SessionRecheckDeps, everyMs = SESSION_RECHECK_MS): () => void {
  let running = false
  const timer = setInterval(() => {
    if (running) return
    running = true
    void recheckSessions(sessions, deps).finally(() => { running = false })
  }, everyMs)
  timer.unref()
  return () => clearInterval(timer)
}
