import type { Availability, Condition, Rule, VisitorFacts } from '@parley/sdk/contract'
import type { BrowserFacts, PageValues, Tally } from './context.js'

// The visitor as the deployment rules see them (VisitorFacts), from what the page, the browser, the
// first-party storage and the availability poll say. Behavioural facts (pages viewed, time on page
// and on site, visits) come only with a tally, which exists only while tracking is allowed
// (context.ts). Pure: the browser's facts come in as data.

/** Everything the facts are made of, at `now`. */
export interface FactInputs {
  browser: Pick<BrowserFacts, 'url' | 'title' | 'referrer' | 'languages' | 'userAgent'>
  /** The behavioural tally; null while tracking is not allowed. */
  tally: Tally | null
  /** When this page view began (a load or a single-page-app navigation), ms. */
  pageStart: number
  values: PageValues
  /** The visitor's (or the page's) explicit consent choice, null when none was made. */
  consent: boolean | null
  visitorId: string | null
  /** When the visitor last dismissed each rule's invitation or offer, ms. */
  dismissed: Readonly<Record<string, number>>
  /** The relay's last availability answer, null before the first (or with no poll). */
  availability: Availability | null
  now: number
}

const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s)
const seconds = (ms: number) => Math.max(0, ms / 1000)

/** The facts the evaluator decides on. */
export function buildVisitorFacts(i: FactInputs): VisitorFacts {
  const b = i.browser
  const facts: VisitorFacts = {
    url: clip(b.url, 2048), title: clip(b.title, 512), userAgent: clip(b.userAgent, 512),
    consent: i.consent === null ? 'unset' : i.consent ? 'granted' : 'denied',
    values: i.values, dismissed: i.dismissed, now: i.now,
  }
  if (b.referrer) facts.referrer = clip(b.referrer, 2048)
  const language = b.languages[0]
  if (language) facts.language = clip(language, 35)
  if (i.visitorId) facts.visitorId = i.visitorId
  if (i.tally) {
    facts.pagesViewed = i.tally.pagesViewed
    facts.timeOnPageSec = seconds(i.now - i.pageStart)
    facts.timeOnSiteSec = seconds(i.now - i.tally.visitStart)
    facts.visitCount = i.tally.visitCount
    facts.returning = i.tally.visitCount > 1
  }
  const a = i.availability
  if (a) {
    facts.agentsAvailable = a.agentsAvailable
    facts.queueLength = a.queueLength
    if (a.country) facts.country = a.country
  }
  return facts
}

/**
 * What the facts say apart from the clock: two equal keys decide alike, except where time passes
 * (time on page and on site, hours, caps, expiry), which the widget follows with one timer.
 */
export function factsKey(f: VisitorFacts): string {
  const { now: _now, timeOnPageSec: _page, timeOnSiteSec: _site, ...rest } = f
  return JSON.stringify(rest)
}

/** Facts only the relay's availability answer gives. */
const POLLED = ['agentsAvailable', 'queueLength', 'country']

/** Whether `c` tests a fact of the availability answer. */
function testsPolled(c: Condition | undefined): boolean {
  if (!c) return false
  if ('all' in c) return c.all.some(testsPolled)
  if ('any' in c) return c.any.some(testsPolled)
  if ('not' in c) return testsPolled(c.not)
  return POLLED.includes(c.fact)
}

/** Whether the widget must poll availability for these rules: one tests it, or offers the offline form. */
export function needsAvailability(rules: readonly Rule[]): boolean {
  return rules.some((r) => r.enabled !== false && (r.action.type === 'offline-form' || testsPolled(r.when)))
}
