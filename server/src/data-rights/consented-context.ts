import type { VisitorContext } from '@parley/sdk/contract'
import type { Clock } from '../deps.js'
import type { Store } from '../store/store.js'
import { isTrackingAllowed, notShared, type ConsentState } from '../policy/tracking-policy.js'
import type { TrackingSettings } from './tracking-settings.js'

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
}

/** The context to keep, and the consent change recorded on the way (null: none). */
export interface ConsentedContext {
  context: VisitorContext
  /** The consent the visitor just changed to, and how many of their conversations lost behavioural values. */
  changed: { state: ConsentState; conversations: number } | null
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
    const { conversations } = await store.recordConsent(brandId, visitorId, { state: said, source: 'widget', at: deps.clock.now() })
    changed = { state: said, conversations }
  }
  const allowed = isTrackingAllowed({ setting, stored, said, privacySignal: opts.privacySignal })
  return { context: allowed ? context : notShared(context), changed }
}
