import type { VisitorContext } from '@parley/sdk/contract'
import type { Clock } from '../deps.js'
import type { Store } from '../store/store.js'
import { isTrackingAllowed, notShared, type ConsentState } from '../policy/tracking-policy.js'
import type { TrackingSettings } from './tracking-settings.js'
import { appendErasure } from './erasure-ledger.js'

// Every visitor context the relay takes in (hello, context.update, the offline form) passes here
// before it is stored or shown: a consent choice it carries is recorded first (a withdrawal deletes
// what was stored under the old choice), then the behavioural values go unless the tracking policy
// allows them.

/** What consentedContext reads and writes. */
export interface ConsentDeps {
  store: Pick<Store, 'getVisitor' | 'recordConsent'>
  clock: Clock
  /** The brands' tracking settings (cached: this runs on every hello and context.update). */
  tracking: Pick<TrackingSettings, 'tracking'>
  /** The erasure ledger a withdrawal is written to first, so a restore deletes the values again; none when null or left out. */
  erasureLedger?: string | null
}

/** The context to keep, and the consent change recorded on the way (null: none). */
export interface ConsentedContext {
  context: VisitorContext
  /** The consent the visitor just changed to, and how many of their conversations lost behavioural values. */
  changed: { state: ConsentState; conversations: number } | null
  /** The tracking policy allows behavioural values, and so counting this visit (Store.recordVisit's `counted`). */
  tracking: boolean
}

/**
 * `context` (masked) as the relay may keep it for the visitor. `known`: the visitor may have a
 * stored consent (false for an id just made: nothing to read). `privacySignal`: the request
 * carried DNT or Sec-GPC.
 */
export async function consentedContext(deps: ConsentDeps, brandId: string, visitorId: string, context: VisitorContext, opts: { known: boolean; privacySignal: boolean }): Promise<ConsentedContext> {
  const { store } = deps
  const [setting, visitor] = await Promise.all([deps.tracking.tracking(brandId), opts.known ? store.getVisitor(brandId, visitorId) : null])
  const stored = visitor?.consent ?? null
  const said = context.consent
  let changed: ConsentedContext['changed'] = null
  // Recorded only when it changes: a widget repeats the choice on every page.
  if (said !== undefined && said !== stored) {
    const at = deps.clock.now()
    if (said === 'denied') await ledgerDenial(deps.erasureLedger, brandId, [visitorId], at)
    const { conversations } = await store.recordConsent(brandId, visitorId, { state: said, source: 'widget', at })
    changed = { state: said, conversations }
  }
  const allowed = isTrackingAllowed({ setting, stored, said, privacySignal: opts.privacySignal })
  return { context: allowed ? context : notShared(context), changed, tracking: allowed }
}

/** Whether the tracking policy lets the relay count a visit that brought no context (nothing said: the stored consent rules). */
export async function isVisitTracked(deps: Pick<ConsentDeps, 'store' | 'tracking'>, brandId: string, visitorId: string, opts: { known: boolean; privacySignal: boolean }): Promise<boolean> {
  const [setting, visitor] = await Promise.all([deps.tracking.tracking(brandId), opts.known ? deps.store.getVisitor(brandId, visitorId) : null])
  return isTrackingAllowed({ setting, stored: visitor?.consent ?? null, said: undefined, privacySignal: opts.privacySignal })
}

/** Writes a consent withdrawal to the ledger (fsynced) before the store deletes anything. */
export async function ledgerDenial(ledger: string | null | undefined, brandId: string, visitorIds: readonly string[], at: number): Promise<void> {
  if (!ledger || visitorIds.length === 0) return
  await appendErasure(ledger, { v: 1, kind: 'consent-denied', brandId, visitorIds: [...visitorIds], at })
}
