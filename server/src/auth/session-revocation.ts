import type { Bus } from '../bus/bus.js'

// Ending sessions everywhere at once. The store is the truth (a revoked session is refused by every
// REST request and every hello on any node, auth/agent-session.ts); these notes make every node also
// close the live connections that already use those sessions, at once, instead of at their next
// periodic check (relay/session-recheck.ts, the net for a note the bus lost). Call them after the
// store has recorded the revocation, so a connection closed by the note cannot come straight back.

/**
 * Tells every node (this one synchronously) to close the connections of these agent sessions, with
 * `code` when the account was deactivated (else PARLEY_ERR_AUTH_SESSION_REVOKED).
 */
export function endSessions(bus: Pick<Bus, 'publishToNodes'>, brandId: string, sessionIds: readonly string[], code?: 'PARLEY_ERR_AUTH_ACCOUNT_INACTIVE'): void {
  if (sessionIds.length === 0) return
  bus.publishToNodes({ kind: 'sessions-revoked', brandId, sessionIds: [...sessionIds], ...(code ? { code } : {}) })
}

/** Tells every node to close the connections of a visitor that use the token of this visitor session (`sid`). */
export function endVisitorSession(bus: Pick<Bus, 'publishToNodes'>, brandId: string, visitorId: string, sessionId: string): void {
  bus.publishToNodes({ kind: 'visitor-session-ended', brandId, visitorId, sessionId })
}
