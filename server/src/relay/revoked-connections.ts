import type { Bus, NodeEvent } from '../bus/bus.js'
import type { OpenSession } from './context.js'

// The listening half of auth/session-revocation.ts: every node closes its own connections of the
// sessions another node (or itself) ended, with PARLEY_ERR_AUTH_SESSION_REVOKED (close 4401), the
// moment it hears the note. The console and the widget treat 4401 as "signed out" and do not retry.

/** The connections of `sessions` an ended-session note names. */
export function connectionsEnded(e: NodeEvent, sessions: Iterable<OpenSession>): OpenSession[] {
  if (e.kind !== 'sessions-revoked' && e.kind !== 'visitor-session-ended') return []
  const hit: OpenSession[] = []
  const agentSessions = e.kind === 'sessions-revoked' ? new Set(e.sessionIds) : null
  for (const s of sessions) {
    if (!s.isAuthenticated || s.brandId !== e.brandId || s.sessionId === null) continue
    const p = s.principal
    // A visit is its sid, whichever visitor its tabs are by now: a tab that identified stands for
    // the customer's visitor, one that has not yet for the anonymous one, and both end together.
    if (agentSessions ? p.kind === 'agent' && agentSessions.has(s.sessionId)
      : p.kind === 'visitor' && e.kind === 'visitor-session-ended' && s.sessionId === e.sessionId) hit.push(s)
  }
  return hit
}

/** Closes the connections of ended sessions as the notes arrive; returns a function that stops listening. */
export function closeRevokedConnections(bus: Pick<Bus, 'subscribeNodes'>, sessions: ReadonlySet<OpenSession>, onClosed?: (count: number, e: NodeEvent) => void): () => void {
  return bus.subscribeNodes((e) => {
    const hit = connectionsEnded(e, sessions)
    const code = e.kind === 'sessions-revoked' && e.code === 'PARLEY_ERR_AUTH_ACCOUNT_INACTIVE' ? e.code : 'PARLEY_ERR_AUTH_SESSION_REVOKED'
    for (const s of hit) s.fail(code, [])
    if (hit.length > 0) onClosed?.(hit.length, e)
  })
}
