import type { TrackingSetting, VisitorContext } from '@parley/sdk/contract'
import { withoutBehaviour } from '../store/behavioural-context.js'

// Whether the relay may keep a visitor's behavioural context (pages viewed, time on site, visit
// count, returning): the one statement of the rule for the WebSocket and the REST offline form. The
// widget applies the same rule before it sends anything (widget/src/consumer/context.ts), but a raw
// client or an old widget may send what the visitor never agreed to, and only the relay sees the
// DNT and Sec-GPC headers the browser sent. Pure: the caller reads the facts.

/** A visitor's consent to behavioural tracking, as they said it or as stored. */
export type ConsentState = 'granted' | 'denied'

/** What the decision needs. */
export interface TrackingFacts {
  /** The brand's widget setting (absent in its config: WIDGET_DEFAULTS.tracking). */
  setting: TrackingSetting
  /** The visitor's consent as stored (null: they never said). */
  stored: ConsentState | null
  /** The choice the context carries now (undefined: none); it replaces the stored one. */
  said: ConsentState | undefined
  /** The request (or WebSocket upgrade) carried `DNT: 1` or `Sec-GPC: 1`. */
  privacySignal: boolean
}

/**
 * Whether behavioural values may be stored: never when the brand turned tracking off or the visitor
 * denied; under Do Not Track, Global Privacy Control or the `opt-in` setting only after the visitor
 * explicitly granted; otherwise yes.
 */
export function isTrackingAllowed(f: TrackingFacts): boolean {
  if (f.setting === 'off') return false
  const consent = f.said ?? f.stored
  if (consent === 'denied') return false
  if (f.privacySignal || f.setting === 'opt-in') return consent === 'granted'
  return true
}

/** `context` without its behavioural values, marked `not-shared` (the console then says "not shared"). */
export function notShared(context: VisitorContext): VisitorContext {
  return { ...withoutBehaviour(context), tracking: 'not-shared' }
}

/** Whether request headers carry a privacy signal: `DNT: 1` (Do Not Track) or `Sec-GPC: 1` (Global Privacy Control). */
export function hasPrivacySignal(headers: Readonly<Record<string, string | string[] | undefined>>): boolean {
  return headers.dnt === '1' || headers['sec-gpc'] === '1'
}
