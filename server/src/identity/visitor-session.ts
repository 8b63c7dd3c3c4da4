import type { ErrorCode, VerifiedCustomer } from '@parley/sdk/contract'
import type { TokenSigner } from '../auth/tokens.js'
import type { CustomerRecord, Store } from '../store/store.js'
import type { Ids } from '../deps.js'
import { erasedVisitorTokenId } from '../data-rights/erase-visitor.js'

// A returning visitor's token, checked at hello: it is the brand's visitor, its visit (sid) has not
// logged out, its visitor was not erased, and when it names a verified customer that customer still
// stands behind this visitor.

/** Who a visitor token says the visitor is. */
export type KnownVisitor =
  | { ok: true; visitorId: string; session: { sid: string }; customer: VerifiedCustomer | null }
  | { ok: false; code: ErrorCode }

/** Checks a visitor's token at hello (`now` in ms). */
export async function visitorHello(deps: { signer: TokenSigner; store: Store; ids: Ids }, brandId: string, token: string, now: number): Promise<KnownVisitor> {
  const v = deps.signer.verify(token)
  if (!v.ok) return { ok: false, code: v.code }
  const c = v.claims
  // A token of another brand, or an agent's token, is as good as a forged one here.
  if (c.kind !== 'visitor' || c.brand !== brandId) return { ok: false, code: 'PARLEY_ERR_AUTH_TOKEN_INVALID' }
  if (c.sid !== undefined && await deps.store.isTokenIdRevoked(brandId, c.sid, now)) return { ok: false, code: 'PARLEY_ERR_AUTH_SESSION_REVOKED' }
  // An erased visitor's every token (the widget then starts over as a new visitor).
  if (await deps.store.isTokenIdRevoked(brandId, erasedVisitorTokenId(c.sub), now)) return { ok: false, code: 'PARLEY_ERR_AUTH_SESSION_REVOKED' }
  const record = c.cust !== undefined ? await deps.store.getCustomerByVisitor(brandId, c.sub) : null
  const customer = record && record.customerId === c.cust ? toVerifiedCustomer(record) : null
  return { ok: true, visitorId: c.sub, session: { sid: c.sid ?? deps.ids.next('vs_') }, customer }
}

/** A stored customer as the wire shows it: only what the brand signed. */
export function toVerifiedCustomer(r: CustomerRecord): VerifiedCustomer {
  return {
    customerId: r.customerId,
    ...(r.name !== null ? { name: r.name } : {}),
    ...(r.email !== null ? { email: r.email } : {}),
    verifiedAt: r.verifiedAt,
  }
}
