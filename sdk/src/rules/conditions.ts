// Whether a rule's conditions hold for some facts, and, for the trace, why (not).
import type { Condition, FactTest } from '../contract/rules.js'
import type { RuleFacts } from './facts.js'
import { matchGlob } from './glob.js'

type Actual = string | number | boolean | undefined

/** An own entry of a record (never `constructor` and friends from its prototype). */
const own = <T>(rec: Readonly<Record<string, T>>, key: string | undefined): T | undefined =>
  key !== undefined && Object.hasOwn(rec, key) ? rec[key] : undefined

/** What `t` reads: its fact, or the query parameter / page value it names. Missing (also an empty string): undefined. */
function actualOf(t: FactTest, f: RuleFacts): Actual {
  const v: unknown = t.fact === 'query' ? own(f.query, t.name) : t.fact === 'value' ? own(f.values, t.name) : own(f as unknown as Record<string, unknown>, t.fact)
  return v === '' || (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') ? undefined : v
}

/**
 * One fact test. A missing fact makes it false (so `not` makes it true). The op follows the type
 * of what is read, which for a page `value` is the type the page stored: numbers take eq/gt/gte/lt/lte
 * (and `is`, as eq) with a number; booleans take `is` with a boolean; strings take is, prefix,
 * contains, glob with a string and `in` with a list, ignoring case unless `caseSensitive`; `exists`
 * holds for any present value. Any other pairing (which checkRules refuses on save) is false.
 */
function testHolds(t: FactTest, f: RuleFacts): boolean {
  const a = actualOf(t, f)
  const { op, value: v } = t
  if (a === undefined) return false
  if (op === 'exists') return true
  if (typeof a === 'boolean') return op === 'is' && a === v
  if (typeof a === 'number') {
    if (typeof v !== 'number') return false
    return op === 'eq' || op === 'is' ? a === v : op === 'gt' ? a > v : op === 'gte' ? a >= v : op === 'lt' ? a < v : op === 'lte' && a <= v
  }
  const fold = (s: string): string => (t.caseSensitive ? s : s.toLowerCase())
  const s = fold(a)
  if (op === 'in') return Array.isArray(v) && v.some((x) => fold(x) === s)
  if (typeof v !== 'string') return false
  const p = fold(v)
  return op === 'is' ? s === p : op === 'prefix' ? s.startsWith(p) : op === 'contains' ? s.includes(p) : op === 'glob' && matchGlob(p, s)
}

/** Whether `c` holds: every one of `all`, at least one of `any`, the opposite of `not`, or the fact test. */
export function holds(c: Condition, f: RuleFacts): boolean {
  if ('all' in c) return c.all.every((x) => holds(x, f))
  if ('any' in c) return c.any.some((x) => holds(x, f))
  if ('not' in c) return !holds(c.not, f)
  return testHolds(c, f)
}

/**
 * Why `c` came out as it did, for people: a fact test as `path glob "/pricing*" was "/blog"` or
 * `country missing`; a failed `all` by its first failing part, a held one by all its parts joined
 * with "and"; a held `any` by its first holding part, a failed one as `none of (…; …)`; `not (…)`.
 */
export function explain(c: Condition, f: RuleFacts): string {
  if ('all' in c) {
    const bad = c.all.find((x) => !holds(x, f))
    return bad ? explain(bad, f) : c.all.map((x) => explain(x, f)).join(' and ')
  }
  if ('any' in c) {
    const good = c.any.find((x) => holds(x, f))
    return good ? explain(good, f) : `none of (${c.any.map((x) => explain(x, f)).join('; ')})`
  }
  if ('not' in c) return `not (${explain(c.not, f)})`
  const a = actualOf(c, f)
  const label = c.name === undefined ? c.fact : `${c.fact}.${c.name}`
  return a === undefined ? `${label} missing` : `${label} ${c.op}${c.value === undefined ? '' : ' ' + JSON.stringify(c.value)} was ${JSON.stringify(a)}`
}
