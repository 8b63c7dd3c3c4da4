import type { Bus, NodeEvent } from '../bus/bus.js'
import type { OpenSession } from './context.js'
import type { SenderTails } from './sender-tails.js'
import type { SharedStrings } from './shared-strings.js'

// The listening half of an erasure (data-rights/erase-visitor.ts) on every node: the erased
// visitors' connections close with PARLEY_ERR_AUTH_SESSION_REVOKED (the widget does not retry it)
// and their visits end, so the tokens they hold are refused from now on; and the sender tails this
// node keeps of the erased conversations (recent text, for split-card masking) are forgotten, as are
// the context strings it shares between visitors (page addresses and titles among them).

/** What a node does with a `visitor-erased` note. */
export interface ErasedVisitorsDeps {
  senderTails: Pick<SenderTails, 'forget'>
  sharedStrings: Pick<SharedStrings, 'clear'>
  /** Refuses the visit's token (Store.endVisit, until the token would have expired). */
  endVisit(brandId: string, sid: string): Promise<void>
  onError?: (err: unknown, brandId: string) => void
  onClosed?: (connections: number, brandId: string) => void
}

/** The connections of the visitors a `visitor-erased` note names. */
export function erasedConnections(e: NodeEvent, sessions: Iterable<OpenSession>): OpenSession[] {
  if (e.kind !== 'visitor-erased') return []
  const visitors = new Set(e.visitorIds)
  const ofBrand = [...sessions].filter((s) => s.isAuthenticated && s.brandId === e.brandId && s.principal.kind === 'visitor')
  // A visit is its sid: a tab of it still on the anonymous visitor id ends with the identified one.
  const visits = new Set(ofBrand.flatMap((s) => (s.principal.kind === 'visitor' && visitors.has(s.principal.visitorId) && s.sessionId !== null ? [s.sessionId] : [])))
  return ofBrand.filter((s) => (s.principal.kind === 'visitor' && visitors.has(s.principal.visitorId)) || (s.sessionId !== null && visits.has(s.sessionId)))
}

/** Acts on `visitor-erased` notes as they arrive; returns a function that stops listening. */
export function dropErasedVisitors(bus: Pick<Bus, 'subscribeNodes'>, sessions: ReadonlySet<OpenSession>, deps: ErasedVisitorsDeps): () => void {
  return bus.subscribeNodes((e) => {
    if (e.kind !== 'visitor-erased') return
    deps.senderTails.forget(e.brandId, e.convIds)
    // Not told apart by visitor (a shared string has many); the table fills again from the next hellos.
    deps.sharedStrings.clear()
    const hit = erasedConnections(e, sessions)
    const sids = new Set<string>()
    for (const s of hit) {
      if (s.sessionId !== null) sids.add(s.sessionId)
      s.fail('PARLEY_ERR_AUTH_SESSION_REVOKED', [])
    }
    for (const sid of sids) deps.endVisit(e.brandId, sid).catch((err: unknown) => deps.onError?.(err, e.brandId))
    if (hit.length > 0) deps.onClosed?.(hit.length, e.brandId)
  })
}
