// Entry point of `@parley/sdk/rules`: the one deployment-rule evaluator, run by the widget on every
// page, by the SDK (`parley.rules.simulate`) and by the relay (`POST /v1/rules/simulate`). Pure: no
// Node or DOM APIs (Intl only, for time zones), and no TypeBox values, so the widget carries only this.
//
//   deriveFacts      facts.ts        a visitor (page or simulation) → the facts rules test
//   evaluateRules    evaluate.ts     rules × facts → decision and trace; `decide` does both steps
//   hoursState       hours.ts        open / holiday at an instant in the brand's zone, and the next change
//   nextRecheckMs    recheck.ts      when a time-on-page / time-on-site threshold is next crossed
//   checkRules       check-rules.ts  on save: what the schema cannot say about rules
//   checkBusinessHours check-hours.ts on save: zone, intervals, holidays
//   formatDecision   format.ts       the decision as text for `Parley('why')`
export { checkBusinessHours } from './check-hours.js'
export { checkRules, MAX_CONDITION_DEPTH, MAX_GLOB_LENGTH, MAX_GLOB_STARS } from './check-rules.js'
export { decide, evaluateRules } from './evaluate.js'
export { deriveFacts, type RuleFacts } from './facts.js'
export { formatDecision } from './format.js'
export { hoursState, type HoursState } from './hours.js'
export { nextRecheckMs } from './recheck.js'
export { rolloutBucket } from './rollout.js'
export type { RuleProblem } from './rule-problem.js'
