// When the decision could next change by time alone: the time facts (time on page, time on site)
// grow while the visitor stays, so a rule testing them may start or stop holding later.
import type { Condition, FactTest, Rule } from '../contract/rules.js'
import type { RuleFacts } from './facts.js'

/** The fact tests in `c`, wherever they sit. */
const testsOf = (c: Condition): FactTest[] => ('all' in c ? c.all.flatMap(testsOf) : 'any' in c ? c.any.flatMap(testsOf) : 'not' in c ? testsOf(c.not) : [c])

/**
 * The soonest time (ms from `facts.now`, rounded up, above 0) at which a time-on-page or
 * time-on-site threshold some enabled rule tests (anywhere in its conditions, with a number op) is
 * crossed, so the widget sets one timer instead of polling; null when none is ahead (or the fact is
 * missing: it will not grow). A `gt` or `lte` test flips 1 ms after its value is reached.
 */
export function nextRecheckMs(rules: readonly Rule[], facts: RuleFacts): number | null {
  let soonest = Infinity
  for (const t of rules.flatMap((r) => (r.when && r.enabled !== false ? testsOf(r.when) : []))) {
    // timeOnPageSec and timeOnSiteSec, the facts that grow by themselves.
    const now = t.fact.startsWith('timeOn') ? facts[t.fact as 'timeOnPageSec'] : undefined
    if (now === undefined || typeof t.value !== 'number') continue
    // gte and lt flip when the fact reaches the value; gt and lte just after it; eq at both.
    const at = (t.value - now) * 1000 + +(t.op === 'gt' || t.op === 'lte')
    const ms = at <= 0 && t.op === 'eq' ? at + 1 : at
    if (ms > 0 && ms < soonest) soonest = ms
  }
  return soonest === Infinity ? null : Math.ceil(soonest)
}
