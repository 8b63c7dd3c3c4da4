// The decision: the first rule that holds and acts, with a trace of every rule up to it.
import type { BusinessHours, Decision, Rule, TraceEntry, VisitorFacts } from '../contract/rules.js'
import { explain, holds } from './conditions.js'
import { deriveFacts, type RuleFacts } from './facts.js'
import { armOf, rolloutBucket } from './rollout.js'
import { DAY_MS } from './zone-clock.js'

const iso = (t: number): string => new Date(t).toISOString()

/** Why `rule` does not act for these facts (a trace entry), or null when it does. */
function holdBack(rule: Rule, f: RuleFacts): TraceEntry | null {
  const ruleId = rule.id
  if (rule.enabled === false) return { ruleId, result: 'disabled' }
  const { action } = rule
  if (action.type === 'offer' && action.expiresAt !== undefined && Date.parse(action.expiresAt) <= f.now) {
    return { ruleId, result: 'expired', reason: `expired at ${action.expiresAt}` }
  }
  const dismissedAt = Object.hasOwn(f.dismissed, ruleId) ? f.dismissed[ruleId]! : undefined
  if ((action.type === 'invite' || action.type === 'offer') && rule.cap && dismissedAt !== undefined && dismissedAt + rule.cap.days * DAY_MS > f.now) {
    return { ruleId, result: 'capped', reason: `dismissed; capped until ${iso(dismissedAt + rule.cap.days * DAY_MS)}` }
  }
  if (rule.when && !holds(rule.when, f)) return { ruleId, result: 'not-matched', reason: explain(rule.when, f) }
  if (rule.rollout && armOf(rule.rollout.percent, ruleId, f.visitorId) === 'control') {
    const reason = f.visitorId ? `bucket ${rolloutBucket(f.visitorId, ruleId)} not under ${rule.rollout.percent}%` : 'no visitor id'
    return { ruleId, result: 'control', reason }
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
      trace.push(held)
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
