import type { VisitorForget } from '@parley/sdk/contract'
import type { IdentityPort } from './session-port.js'
import { requireVisitor } from './require-visitor.js'
import { withRef } from './with-ref.js'
import { endVisitorSession } from '../auth/session-revocation.js'

// visitor.forget: the customer logged out on the brand's site. The visit ends for good: its token
// (by sid) and every identity token any of its tabs verified with (recorded by the store under the
// sid at identify) are refused from now on, in one store call; every node closes the connections
// of the visit (the `visitor-session-ended` note), and this one is answered and closed normally.
// The customer and their conversations stay: another login finds them again.

/** Ends the visitor's session on every node and refuses its tokens from now on. */
export async function handleForget(s: IdentityPort, frame: VisitorForget): Promise<boolean> {
  if (!requireVisitor(s, frame.type, frame.ref)) return false
  const { deps, limits, log } = s.ctx
  const brandId = s.brandId
  const session = s.visitorSession
  // The sid is refused as long as a visitor token naming it lives; each identity token as long as it verifies.
  if (session) await deps.store.endVisit(brandId, session.sid, deps.clock.now() + limits.visitorTokenTtlSeconds * 1000)
  log.info({ connId: s.connId, brandId, visitorId: s.who.id, verified: s.principal.kind === 'visitor' && s.principal.customerId !== undefined }, 'visitor session ended')
  s.send({ type: 'visitor.forgotten', ...withRef(frame.ref) })
  s.end('forgotten')
  // After this connection's own answer and close: the note closes every connection of the visit
  // (this node's at once, with AUTH_SESSION_REVOKED), and this one must hear "forgotten" instead.
  if (session) endVisitorSession(deps.bus, brandId, s.who.id, session.sid)
  return true
}
