import type { VisitorIdentify } from '@parley/sdk/contract'
import type { IdentityPort } from './session-port.js'
import { requireVisitor } from './require-visitor.js'
import { withRef } from './with-ref.js'
import { toVerifiedCustomer } from '../identity/visitor-session.js'

// visitor.identify: the page hands over the JWT the brand signed for its logged-in customer. Once it
// verifies, the store records it under the visit (sid) — every tab of the visit, and every token it
// used, is refused together when the visit ends — and the visitor becomes the customer's visitor
// (their conversations, this one's included, sit under it on every device), gets a token saying so,
// and is closed normally so its client says hello again with it. The frame order (frame-order.ts)
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
  const sid = s.visitorSession?.sid ?? deps.ids.next('vs_')
  // Recorded before it takes effect: a visit that ended meanwhile (another tab logged out) refuses it.
  if (!await deps.store.recordIdentityToken(brandId, sid, claims.digest, claims.verifiableUntil)) {
    log.warn({ connId: s.connId, brandId, visitorId, code: 'PARLEY_ERR_AUTH_SESSION_REVOKED' }, 'identity token refused')
    s.fail('PARLEY_ERR_AUTH_SESSION_REVOKED', [], frame.ref)
    return false
  }
  const already = s.principal.kind === 'visitor' && s.principal.customerId === claims.customerId
    ? await deps.store.getCustomer(brandId, claims.customerId) : null
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
  const { customer, moved } = await deps.store.linkCustomer({
    brandId, customerId: claims.customerId, visitorId, name: claims.name, email: claims.email, at: deps.clock.now(),
  })
  const issued = signer.sign({ sub: customer.visitorId, brand: brandId, kind: 'visitor', sid, cust: customer.customerId }, limits.visitorTokenTtlSeconds)
  log.info({ connId: s.connId, brandId, visitorId, customerVisitorId: customer.visitorId, moved }, 'visitor identified')
  s.send({
    type: 'visitor.identified',
    identity: { kind: 'visitor', brandId, visitorId: customer.visitorId, token: issued.token, expiresAt: issued.expiresAt, customer: toVerifiedCustomer(customer) },
    ...withRef(frame.ref),
  })
  s.end('identified')
  return true
}
