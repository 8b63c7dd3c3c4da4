// The facts rules test, derived once per evaluation from what a page (or a simulation) says.
import type { BusinessHours, VisitorFacts } from '../contract/rules.js'
import { isOpenAt } from './hours.js'
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

const UTM = { utmSource: 'utm_source', utmMedium: 'utm_medium', utmCampaign: 'utm_campaign', utmTerm: 'utm_term', utmContent: 'utm_content' } as const

/**
 * The facts of `visitor` at `visitor.now ?? now`, under the brand's `hours` (null: always open).
 * `path` and `query` come from `url` (junk: no path, no query; a root-relative `/pricing?a=1` is
 * read too), `utm*` from its `utm_source`… parameters, `referrerHost` from `referrer` (lowercase, no
 * port, no `www.`), `device`/`browser`/`os` from `userAgent`, `language` lowercased (`en-us`),
 * `businessHours` and `holiday` from the hours at that instant. (An empty string
 * counts as missing when tested.)
 * Numbers, booleans, country, consent, values and the rest are taken as given.
 */
export function deriveFacts(visitor: VisitorFacts, hours: BusinessHours | null, now: number): RuleFacts {
  const at = visitor.now ?? now
  const page = splitPageUrl(visitor.url)
  const query = page?.query ?? {}
  const state = isOpenAt(hours, at)
  const ua = visitor.userAgent
  const facts: RuleFacts = {
    url: visitor.url, path: page?.path, query, title: visitor.title,
    referrerHost: visitor.referrer ? referrerHostOf(visitor.referrer) : undefined,
    language: visitor.language?.toLowerCase().replaceAll('_', '-'), country: visitor.country,
    device: ua ? deviceOf(ua) : undefined, browser: ua ? browserOf(ua) : undefined, os: ua ? osOf(ua) : undefined,
    consent: visitor.consent, pagesViewed: visitor.pagesViewed, timeOnPageSec: visitor.timeOnPageSec, timeOnSiteSec: visitor.timeOnSiteSec,
    visitCount: visitor.visitCount, agentsAvailable: visitor.agentsAvailable, queueLength: visitor.queueLength, returning: visitor.returning,
    businessHours: state.open, holiday: state.holiday,
    values: visitor.values ?? {}, now: at, visitorId: visitor.visitorId, dismissed: visitor.dismissed ?? {},
  }
  for (const [fact, param] of Object.entries(UTM) as [keyof typeof UTM, string][]) facts[fact] = query[param]
  return facts
}
