import type { Role } from '@parley/sdk/contract'
import { checkAgentSession } from '../auth/agent-session.js'
import type { Bus } from '../bus/bus.js'
import type { Store } from '../store/store.js'
import type { OpenSession } from './context.js'

// The net under the sessions-revoked and visitor-session-ended notes (revoked-connections.ts): a
// note the bus lost (Redis down at that moment) would leave a revoked agent's or a logged-out
// visit's socket open for as long as it lives. So every SESSION_RECHECK_MS, and at once when the
// bus says notes may have been lost (onGap), each node reads the sessions of its open connections
// from the store — agents' sessions, and visitors' visits by sid — and closes those revoked,
// expired or of a deactivated account, with the code a new hello would get. A role changed
// meanwhile is taken in place: the connection's next frame is decided with the new role (it stays
// open; the console shows the new role's views after its next sign-in or reload).

/** How often a node re-reads the sessions of its agent connections (ms): a revocation whose note was lost takes effect within this. */
export const SESSION_RECHECK_MS = 30_000

/** What one pass needs. */
export interface SessionRecheckDeps {
  store: Store
  now: () => number
  /** A pass failed to read the store: the connections stay as they are until the next pass. */
  onError?: (err: unknown, brandId: string) => void
}

/** Re-reads the session of every open agent connection and visit once; resolves when all were answered. */
export async function recheckSessions(sessions: Iterable<OpenSession>, deps: SessionRecheckDeps): Promise<void> {
  // One read per session or visit, however many tabs use it.
  const bySession = new Map<string, OpenSession[]>()
  const byVisit = new Map<string, OpenSession[]>()
  for (const s of sessions) {
    if (!s.isAuthenticated || s.sessionId === null) continue
    const groups = s.principal.kind === 'agent' ? bySession : byVisit
    const key = `${s.brandId}/${s.sessionId}`
    const list = groups.get(key)
    if (list) list.push(s)
    else groups.set(key, [s])
  }
  await recheckVisits(byVisit.values(), deps)
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

/** Closes the connections of visits (grouped by brand and sid) that ended: one store read per visit. */
async function recheckVisits(visits: Iterable<OpenSession[]>, deps: SessionRecheckDeps): Promise<void> {
  const now = deps.now()
  for (const conns of visits) {
    const { brandId, sessionId } = conns[0]!
    try {
      if (!await deps.store.isTokenIdRevoked(brandId, sessionId!, now)) continue
    } catch (err) {
      deps.onError?.(err, brandId)
      continue
    }
    for (const s of conns) s.fail('PARLEY_ERR_AUTH_SESSION_REVOKED', [])
  }
}

/**
 * Runs recheckSessions every `everyMs` (a pass still running skips the next tick), and at once when
 * `bus` reports a gap; returns a function that stops it.
 */
export function startSessionRecheck(sessions: ReadonlySet<OpenSession>, deps: SessionRecheckDeps & { bus?: Pick<Bus, 'onGap'> }, everyMs = SESSION_RECHECK_MS): () => void {
  let running = false
  let again = false
  const pass = () => {
    if (running) return
    running = true
    void recheckSessions(sessions, deps).finally(() => {
      running = false
      if (again) { again = false; pass() }
    })
  }
  const timer = setInterval(pass, everyMs)
  timer.unref()
  // A gap during a pass gets a pass of its own: the running one may have read before the lost note.
  const stopGap = deps.bus?.onGap(() => { if (running) again = true; else pass() })
  return () => { clearInterval(timer); stopGap?.() }
}
