// Entry point of `@parley/sdk/rules`: the one deployment-rule evaluator, run by the widget on every
// page, by the SDK (`parley.rules.simulate`) and by the relay (`POST /v1/rules/simulate`). Pure: no
// Node or DOM APIs (Intl only, for time zones), and no TypeBox values, so the widget carries only this.
import type { BusinessHours, Decision, Rule, RulesConfig, VisitorFacts } from '../contract/rules.js'
import type { RuleProblem } from './rule-problem.js'

export { checkBusinessHours } from './check-hours.js'
export { hoursState, type HoursState } from './hours.js'
export type { RuleProblem } from './rule-problem.js'

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


/** The facts of `visitor` at `visitor.now ?? now`, under the brand's `hours` (null: always open). */
export declare function deriveFacts(visitor: VisitorFacts, hours: BusinessHours | null, now: number): RuleFacts

/** The first rule that holds and acts decides; none: the chat button. The trace says why, rule by rule. */
export declare function evaluateRules(rules: readonly Rule[], facts: RuleFacts): Decision

/** `evaluateRules` for one visitor as a page or a simulation describes them. */
export declare function decide(rules: readonly Rule[], visitor: VisitorFacts, hours: BusinessHours | null, now: number): Decision


/**
 * The soonest time (ms from `facts.now`) at which a time fact (time on page, time on site) crosses a
 * threshold some rule tests, so the widget sets one timer instead of polling; null when none can.
 */
export declare function nextRecheckMs(rules: readonly Rule[], facts: RuleFacts): number | null

/** What the schema cannot say: unique ids, each op fitting its fact, nesting depth, globs. Null when fine. */
export declare function checkRules(config: RulesConfig): RuleProblem | null


/** The decision and its trace as lines for the browser console (`Parley('why')`). */
export declare function formatDecision(decision: Decision): string
