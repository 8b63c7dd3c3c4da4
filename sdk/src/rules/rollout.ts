// Stable percentage rollouts: a visitor's bucket for a rule is a hash of the visitor id and the rule
// id, so the same visitor lands in the same arm on every page and in every simulation, and the arms
// of two rules are independent.

/**
 * The visitor's bucket for the rule, from 0 to 99.99 in steps of 0.01: the 32-bit FNV-1a hash of
 * `visitorId:ruleId` (over UTF-16 units), mod 10000, / 100. Under the rollout's percent: the
 * treatment arm (see evaluate.ts).
 */
export function rolloutBucket(visitorId: string, ruleId: string): number {
  const s = `${visitorId}:${ruleId}`
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return ((h >>> 0) % 10_000) / 100
}
