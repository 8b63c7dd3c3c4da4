import { IDENTITY_CLOCK_SKEW_LIMIT_SECONDS, IDENTITY_MAX_AGE_LIMIT_SECONDS, type VisitorForget } from '@parley/sdk/contract'
import type { IdentityPort } from './session-port.js'
import { requireVisitor } from './require-visitor.js'
import { withRef } from './with-ref.js'
import { endVisitorSession } from '../auth/session-revocation.js'
import { usedDigests } from '../identity/used-tokens.js'

// visitor.forget: the customer logged out on the brand's site. The visit ends for good: its token
// (by sid) and the identity tokens it verified with (by digest, identity/used-tokens.ts) are refused from now on, every node
// closes the connections that use it (the `visitor-session-ended` note), and this one is answered
// and closed normally. The customer and their conversations stay: another login finds them again.

/**
 * How long the refusals are kept. A visitor token lives visitorTokenTtlSeconds; an identity token
 * at most the largest maxAgeSeconds plus the clock skew on both ends: after that it is refused anyway.
 */
const IDENTITY_TOKEN_LIFE_MS = (IDENTITY_MAX_AGE_LIMIT_SECONDS + 2 * IDENTITY_CLOCK_SKEW_LIMIT_SECONDS) * 1000

/** Ends the visitor's session on every node and refuses its tokens from now on. */
export async function handleForget(s: IdentityPort, frame: VisitorForget): Promise<boolean> {
  if (!requireVisitor(s, frame.type, frame.ref)) return false
  const { deps, limits, log } = s.ctx
  const brandId = s.brandId
  const now = deps.clock.now()
  const session = s.visitorSession
  if (session) {
    const ids = [{ id: session.sid, until: now + limits.visitorTokenTtlSeconds * 1000 }]
    for (const digest of usedDigests(session.idt)) ids.push({ id: digest, until: now + IDENTITY_TOKEN_LIFE_MS })
    await deps.store.revokeTokenIds(brandId, ids)
  }
  log.info({ connId: s.connId, brandId, visitorId: s.who.id, verified: Boolean(session?.idt) }, 'visitor session ended')
  s.send({ type: 'visitor.forgotten', ...withRef(frame.ref) })
  s.end('forgotten')
  // After this connection's own answer and close: the note closes every connection of the visit
  // (this node's at once, with AUTH_SESSION_REVOKED), and this one must hear "forgotten" instead.
  if (session) endVisitorSession(deps.bus, brandId, s.who.id, session.sid)
  return true
}
