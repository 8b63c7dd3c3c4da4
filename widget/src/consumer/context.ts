import type { TrackingSetting, VisitorContext } from '@parley/sdk/contract'

// The visitor context the widget sends: page facts always; behavioural facts (pages viewed, time
// on site, visit count) only when the brand's setting and the visitor's choice allow it, and never
// under Do Not Track or Global Privacy Control unless the visitor opts in. Pure: the browser
// facts come in as data.

/** What the page and browser say about this visit. */
export interface BrowserFacts {
  url: string
  title: string
  referrer: string
  languages: readonly string[]
  userAgent: string
  timezone: string
  utcOffsetMin: number
  screen: string
  doNotTrack: boolean
  globalPrivacyControl: boolean
}

/** The behavioural tally kept in the brand's first-party storage, only while allowed. */
export interface Tally {
  visitCount: number
  visitStart: number
  lastSeen: number
  pagesViewed: number
}

/** A visit ends after 30 minutes without a page view, as web analytics count sessions. */
export const VISIT_GAP_MS = 30 * 60 * 1000

/** Whether behavioural context may be collected. `consent`: the visitor's (or page's) explicit choice, if any. */
export function isTrackingAllowed(setting: TrackingSetting, facts: Pick<BrowserFacts, 'doNotTrack' | 'globalPrivacyControl'>, consent: boolean | null): boolean {
  if (setting === 'off') return false
  if (consent !== null) return consent
  if (setting === 'opt-in') return false
  return !facts.doNotTrack && !facts.globalPrivacyControl
}

/** The tally after one more page view at `now`. */
export function countPageView(prev: Tally | null, now: number): Tally {
  if (!prev || now - prev.lastSeen > VISIT_GAP_MS) {
    return { visitCount: (prev?.visitCount ?? 0) + 1, visitStart: now, lastSeen: now, pagesViewed: 1 }
  }
  return { ...prev, lastSeen: now, pagesViewed: prev.pagesViewed + 1 }
}

const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s)

/** Values the brand's page set with `Parley('set', …)`, as VisitorContext.values carries them. */
export type PageValues = NonNullable<VisitorContext['values']>

// VisitorContext.values in the contract: at most 20 keys like `plan` or `cart_value`; a string
// of at most 256 characters, a finite number or a boolean.
const MAX_VALUES = 20
const VALUE_KEY = /^[A-Za-z][A-Za-z0-9_]{0,39}$/

/**
 * `current` with the page's `input` merged in (a key set to null or undefined is removed), and the
 * keys dropped because the contract would refuse them: a bad name, another type, a string over
 * 256 characters, or more than 20 keys.
 */
export function mergePageValues(current: PageValues, input: unknown): { values: PageValues; dropped: string[] } {
  const values: PageValues = { ...current }
  const dropped: string[] = []
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { values, dropped: [String(input)] }
  for (const [k, v] of Object.entries(input)) {
    if (v === null || v === undefined) delete values[k]
    else if (!VALUE_KEY.test(k) || !(typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.length <= 256))) dropped.push(k)
    else if (!(k in values) && Object.keys(values).length >= MAX_VALUES) dropped.push(k)
    else values[k] = v
  }
  return { values, dropped }
}

/**
 * The context to send: page facts, plus the tally when tracking is allowed (`tally` non-null), plus
 * the page's values, plus the deployment rule the visitor came to the chat through, if any, plus
 * the visitor's explicit consent choice, if any (the relay records it, and a withdrawal deletes
 * what it stored).
 */
export function buildContext(facts: BrowserFacts, tally: Tally | null, now: number, values: PageValues = {}, ruleId: string | null = null, consent: boolean | null = null): VisitorContext {
  const ctx: VisitorContext = {
    url: clip(facts.url, 2048),
    title: clip(facts.title, 512),
    language: clip(facts.languages[0] ?? '', 35),
    userAgent: clip(facts.userAgent, 512),
    timezone: clip(facts.timezone, 64),
    utcOffsetMin: Math.max(-900, Math.min(900, Math.round(facts.utcOffsetMin))),
    screen: clip(facts.screen, 32),
    tracking: tally ? 'shared' : 'not-shared',
  }
  if (facts.referrer) ctx.referrer = clip(facts.referrer, 2048)
  if (tally) {
    ctx.pagesViewed = tally.pagesViewed
    ctx.timeOnSiteSec = Math.max(0, Math.round((now - tally.visitStart) / 1000))
    ctx.visitCount = tally.visitCount
    ctx.returning = tally.visitCount > 1
  }
  if (Object.keys(values).length > 0) ctx.values = values
  if (ruleId) ctx.ruleId = ruleId
  if (consent !== null) ctx.consent = consent ? 'granted' : 'denied'
  return ctx
}
