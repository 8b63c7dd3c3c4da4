// Stable percentage rollouts: a visitor's bucket for a rule is a hash of the visitor id and the rule
// id, so the same visitor lands in the same arm on every page and in every simulation, and the arms
// of two rules are independent.

/**
 * The visitor's bucket for the rule, from 0 to 99.99 in steps of 0.01: the 32-bit FNV-1a hash of
 * `visitorId:ruleId` (over UTF-16 units), then one xor-shift-multiply round (h ^= h >>> 16,
 * h *= 0x45d9f3b, h ^= h >>> 16), mod 10000, / 100. Under the rollout's percent: the treatment arm
 * (see evaluate.ts). FNV-1a alone is not enough: its low bits depend only on the low bits of each
 * character, so ids that differ in a counter suffix crowd into some buckets (a 26% rollout of rule
 * `x` over visitors `Ya=xC0`..`Ya=xC3999` treated 29.1%).
 */
export function rolloutBucket(visitorId: string, ruleId: string): number {
  const s = `${visitorId}:${ruleId}`
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b)
  return (((h ^ (h >>> 16)) >>> 0) % 10_000) / 100
}
