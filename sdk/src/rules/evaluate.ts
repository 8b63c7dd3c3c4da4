// The decision: the first rule that holds and acts, with a trace of every rule up to it.
import type { BusinessHours, Decision, Rule, TraceEntry, VisitorFacts } from '../contract/rules.js'
import { explain, holds } from './conditions.js'
import { deriveFacts, type RuleFacts } from './facts.js'
import { rolloutBucket } from './rollout.js'
import { DAY_MS } from './zone-clock.js'

/** Why `rule` does not act for these facts (a trace entry without its rule id), or null when it does. */
function holdBack(rule: Rule, f: RuleFacts): Omit<TraceEntry, 'ruleId'> | null {
  const { id, action, cap, rollout } = rule
  if (rule.enabled === false) return { result: 'disabled' }
  // No expiry parses as NaN, which is never at or before now.
  if (action.type === 'offer' && Date.parse(action.expiresAt!) <= f.now) return { result: 'expired', reason: `expired at ${action.expiresAt}` }
  // A rule id like `constructor` finds a function here: added to a number it makes a string, and a
  // string compared with a number is false, so an inherited name never caps.
  const until = cap ? (f.dismissed[id] ?? 0) + cap.days * DAY_MS : 0
  if ((action.type === 'invite' || action.type === 'offer') && until > f.now) return { result: 'capped', reason: `dismissed; capped until ${new Date(until).toISOString()}` }
  if (rule.when && !holds(rule.when, f)) return { result: 'not-matched', reason: explain(rule.when, f) }
  // The control arm: no visitor id, or a bucket at or over the percent.
  if (rollout && !(f.visitorId && rolloutBucket(f.visitorId, id) < rollout.percent)) {
    return { result: 'control', reason: f.visitorId ? `bucket ${rolloutBucket(f.visitorId, id)} not under ${rollout.percent}%` : 'no visitor id' }
  }
  return null
}

/**
 * The first rule that acts decides; none: the chat button (`ruleId` and `arm` null). Rules are
 * taken in order and each is held back, with a trace entry saying so, when it is: disabled; an offer
 * whose `expiresAt` is at or before now (`expired`); an invitation or offer the visitor dismissed less
 * than `cap.days` ago (`capped`); one whose conditions do not hold (`not-matched`, with the first
 * failing test); or, conditions holding, a rollout's control arm (`control`: no visitor id, or a
 * bucket at or over the percent), so the control arm is the same population as the treatment arm.
 * The deciding rule's `arm` is `treatment` when it has a rollout, else null. The trace lists every
 * rule up to and including the deciding one.
 */
export function evaluateRules(rules: readonly Rule[], facts: RuleFacts): Decision {
  const trace: TraceEntry[] = []
  for (const rule of rules) {
    const held = holdBack(rule, facts)
    if (held) {
      trace.push({ ruleId: rule.id, ...held })
      continue
    }
    trace.push({ ruleId: rule.id, result: 'matched' })
    return { action: rule.action, ruleId: rule.id, arm: rule.rollout ? 'treatment' : null, trace }
  }
  return { action: { type: 'button' }, ruleId: null, arm: null, trace }
}

/** `evaluateRules` for one visitor as a page or a simulation describes them, at `visitor.now ?? now`. */
export function decide(rules: readonly Rule[], visitor: VisitorFacts, hours: BusinessHours | null, now: number): Decision {
  return evaluateRules(rules, deriveFacts(visitor, hours, now))
}
