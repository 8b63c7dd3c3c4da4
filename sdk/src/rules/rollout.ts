// Stable percentage rollouts: a visitor's bucket for a rule is a hash of the visitor id and the rule
// id, so the same visitor lands in the same arm on every page and in every simulation, and the arms
// of two rules are independent.
import type { RolloutArm } from '../contract/rules.js'

/** FNV-1a, 32 bits, over the string's UTF-16 units. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return h >>> 0
}

/** The visitor's bucket for the rule, from 0 to 99.99 in steps of 0.01: FNV-1a of `visitorId:ruleId`, mod 10000, / 100. */
export function rolloutBucket(visitorId: string, ruleId: string): number {
  return (fnv1a(`${visitorId}:${ruleId}`) % 10_000) / 100
}

/** `treatment` when the bucket is below `percent`; `control` otherwise, and always without a visitor id. */
export function armOf(percent: number, ruleId: string, visitorId: string | undefined): RolloutArm {
  return visitorId !== undefined && visitorId !== '' && rolloutBucket(visitorId, ruleId) < percent ? 'treatment' : 'control'
}
