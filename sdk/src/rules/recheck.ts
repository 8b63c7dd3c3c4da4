// When the decision could next change by time alone: the time facts (time on page, time on site)
// grow while the visitor stays, so a rule testing them may start or stop holding later.
import type { Condition, Rule } from '../contract/rules.js'
import type { RuleFacts } from './facts.js'

const TIME_FACTS = new Set(['timeOnPageSec', 'timeOnSiteSec'])

/** Each ms from now at which a time-fact test in `c` flips, into `out`. */
function collect(c: Condition, f: RuleFacts, out: number[]): void {
  if ('all' in c) for (const x of c.all) collect(x, f, out)
  else if ('any' in c) for (const x of c.any) collect(x, f, out)
  else if ('not' in c) collect(c.not, f, out)
  else if (TIME_FACTS.has(c.fact) && typeof c.value === 'number') {
    const now = f[c.fact as 'timeOnPageSec' | 'timeOnSiteSec']
    if (now === undefined) return
    const at = (c.value - now) * 1000
    // gte and lt flip when the fact reaches the value; gt and lte just after it; eq at both.
    if (c.op !== 'gt' && c.op !== 'lte') out.push(at)
    if (c.op === 'gt' || c.op === 'lte' || c.op === 'eq') out.push(at + 1)
  }
}

/**
 * The soonest time (ms from `facts.now`, rounded up, above 0) at which a time-on-page or
 * time-on-site threshold some enabled rule tests (anywhere in its conditions, with a number op) is
 * crossed, so the widget sets one timer instead of polling; null when none is ahead (or the fact is
 * missing: it will not grow). A `gt` or `lte` test flips 1 ms after its value is reached.
 */
export function nextRecheckMs(rules: readonly Rule[], facts: RuleFacts): number | null {
  const out: number[] = []
  for (const rule of rules) if (rule.when && rule.enabled !== false) collect(rule.when, facts, out)
  let soonest: number | null = null
  for (const ms of out) if (ms > 0 && (soonest === null || ms < soonest)) soonest = ms
  return soonest === null ? null : Math.ceil(soonest)
}
