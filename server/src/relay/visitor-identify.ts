import type { VisitorIdentify } from '@parley/sdk/contract'
import type { IdentityPort } from './session-port.js'
import { requireVisitor } from './require-visitor.js'
import { withRef } from './with-ref.js'
import { toVerifiedCustomer } from '../identity/visitor-session.js'
import { endVisitorSession } from '../auth/session-revocation.js'
import { CONVERSATION_PAGE } from './conversation-list.js'

// visitor.identify: the page hands over the JWT the brand signed for its logged-in customer. Once it
// verifies, the store records it under the visit (sid) — every tab of the visit, and every token it
// used, is refused together when the visit ends — and the visitor becomes the customer's visitor
// (their conversations, this one's included, sit under it on every device), gets a token saying so,
// and is closed normally so its client says hello again with it. Only the visit's open
// conversations come along: earlier, closed chats on this browser may be someone else's. A new
// customer gets a fresh visitor. A visitor verified as customer A identifying as B is a switch: A's
// visit ends as a logout would (its sid and identity tokens refused, its other tabs closed on every
// node), B starts a new visit, and none of A's conversations move. The frame order (frame-order.ts)
// runs this only after every message this connection sent before it was committed, so none is left
// behind under the old visitor. A token for the customer the visit already is (a fresh one on each
// page) is recorded the same way but changes nothing else: same visitor, the socket stays open.

/** Verifies the brand's identity token and links the visitor to the customer. */
export async function handleIdentify(s: IdentityPort, frame: VisitorIdentify): Promise<boolean> {
  if (!requireVisitor(s, frame.type, frame.ref)) return false
  const { deps, signer, limits, identity, log } = s.ctx
  const brandId = s.brandId
  const visitorId = s.who.id
  const verified = await identity.verify(brandId, frame.token)
  if (!verified.ok) {
    log.warn({ connId: s.connId, brandId, visitorId, code: verified.code }, 'identity token refused')
    s.reject(verified.code, verified.args, frame.ref)
    return false
  }
  if (s.isClosed) return false
  const { claims } = verified
  const current = s.principal.kind === 'visitor' ? s.principal.customerId : undefined
  const switching = current !== undefined && current !== claims.customerId
  const ended = switching ? s.visitorSession?.sid : undefined
  if (ended !== undefined) await deps.store.endVisit(brandId, ended, deps.clock.now() + limits.visitorTokenTtlSeconds * 1000)
  const sid = switching ? deps.ids.next('vs_') : s.visitorSession?.sid ?? deps.ids.next('vs_')
  // Recorded before it takes effect: a visit that ended meanwhile (another tab logged out) refuses it.
  if (!await deps.store.recordIdentityToken(brandId, sid, claims.digest, claims.verifiableUntil)) {
    log.warn({ connId: s.connId, brandId, visitorId, code: 'PARLEY_ERR_AUTH_SESSION_REVOKED' }, 'identity token refused')
    s.fail('PARLEY_ERR_AUTH_SESSION_REVOKED', [], frame.ref)
    return false
  }
  const already = current === claims.customerId ? await deps.store.getCustomer(brandId, claims.customerId) : null
  if (already && already.visitorId === visitorId) {
    // The customer this visit already is (a fresh token on each page): recorded above so that a
    // logout refuses it too; nothing moves, the visitor stays, and the socket stays open.
    const issued = signer.sign({ sub: visitorId, brand: brandId, kind: 'visitor', sid, cust: claims.customerId }, limits.visitorTokenTtlSeconds)
    log.info({ connId: s.connId, brandId, visitorId, again: true }, 'visitor identified')
    s.send({
      type: 'visitor.identified',
      identity: { kind: 'visitor', brandId, visitorId, token: issued.token, expiresAt: issued.expiresAt, customer: toVerifiedCustomer(already) },
      ...withRef(frame.ref),
    })
    return true
  }
  const convIds = switching ? [] : (await deps.store.listParticipantConversations(brandId, s.who, CONVERSATION_PAGE, null))
    .filter((c) => c.status === 'open').map((c) => c.convId)
  const { customer, moved } = await deps.store.linkCustomer({
    brandId, customerId: claims.customerId, visitorId, newVisitorId: deps.ids.next('v_'), convIds,
    name: claims.name, email: claims.email, at: deps.clock.now(),
  })
  const issued = signer.sign({ sub: customer.visitorId, brand: brandId, kind: 'visitor', sid, cust: customer.customerId }, limits.visitorTokenTtlSeconds)
  log.info({ connId: s.connId, brandId, visitorId, customerVisitorId: customer.visitorId, moved, switched: switching }, 'visitor identified')
  s.send({
    type: 'visitor.identified',
    identity: { kind: 'visitor', brandId, visitorId: customer.visitorId, token: issued.token, expiresAt: issued.expiresAt, customer: toVerifiedCustomer(customer) },
    ...withRef(frame.ref),
  })
  s.end('identified')
  // After this connection's own answer and close, as visitor.forget does: A's other tabs close.
  if (ended !== undefined) endVisitorSession(deps.bus, brandId, visitorId, ended)
  return true
}
