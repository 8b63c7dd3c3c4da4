// The facts rules test, derived once per evaluation from what a page (or a simulation) says.
import type { BusinessHours, VisitorFacts } from '../contract/rules.js'
import { HOLIDAY, hoursAt, OPEN } from './hours.js'
import { referrerHostOf, splitPageUrl } from './page-url.js'
import { browserOf, deviceOf, osOf } from './user-agent.js'

/** The facts conditions test, derived once per evaluation from what a page or a simulation gives. */
export interface RuleFacts {
  url?: string
  path?: string
  /** The page URL's query parameters (first value of each name). */
  query: Readonly<Record<string, string>>
  title?: string
  referrerHost?: string
  language?: string
  country?: string
  device?: 'desktop' | 'mobile' | 'tablet'
  browser?: string
  os?: string
  utmSource?: string
  utmMedium?: string
  utmCampaign?: string
  utmTerm?: string
  utmContent?: string
  consent?: 'granted' | 'denied' | 'unset'
  pagesViewed?: number
  timeOnPageSec?: number
  timeOnSiteSec?: number
  visitCount?: number
  agentsAvailable?: number
  queueLength?: number
  returning?: boolean
  businessHours?: boolean
  holiday?: boolean
  values: Readonly<Record<string, string | number | boolean>>
  now: number
  visitorId?: string
  dismissed: Readonly<Record<string, number>>
}

/**
 * The facts of `visitor` at `visitor.now ?? now`, under the brand's `hours` (null: always open).
 * `path` and `query` come from `url` (junk: no path, no query; a root-relative `/pricing?a=1` is
 * read too), `utm*` from its `utm_source`… parameters, `referrerHost` from `referrer` (lowercase, no
 * port, no `www.`), `device`/`browser`/`os` from `userAgent`, `language` lowercased (`en-us`),
 * `businessHours` and `holiday` from the hours at that instant. Numbers, booleans, country,
 * consent, values and the rest are taken as given. (An empty string counts as missing when tested.)
 */
export function deriveFacts(visitor: VisitorFacts, hours: BusinessHours | null, now: number): RuleFacts {
  const at = visitor.now ?? now
  const page = splitPageUrl(visitor.url)
  const query = page?.query ?? {}
  const state = hoursAt(hours, at)
  const ua = visitor.userAgent
  // The visitor's own fields (numbers, booleans, country, consent, title…) are facts as given.
  const facts: RuleFacts = {
    ...visitor, ...(ua && { device: deviceOf(ua), browser: browserOf(ua), os: osOf(ua) }),
    path: page?.path, query, referrerHost: referrerHostOf(visitor.referrer), language: visitor.language?.toLowerCase(),
    businessHours: state === OPEN, holiday: state === HOLIDAY, values: visitor.values ?? {}, now: at, dismissed: visitor.dismissed ?? {},
  }
  for (const k of ['Source', 'Medium', 'Campaign', 'Term', 'Content'] as const) facts[`utm${k}`] = query[`utm_${k.toLowerCase()}`]
  return facts
}
