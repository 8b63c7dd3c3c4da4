// Whether a rule's conditions hold for some facts, and, for the trace, why (not).
import type { Condition, FactTest } from '../contract/rules.js'
import type { RuleFacts } from './facts.js'
import { matchGlob } from './glob.js'

type Actual = string | number | boolean | undefined

/**
 * What `t` reads: its fact, or the query parameter / page value it names. Missing (also an empty
 * string): undefined. Only strings, numbers and booleans count, which also keeps out what a record
 * inherits (`constructor`, `__proto__`) when a brand names it.
 */
function actualOf(t: FactTest, f: RuleFacts): Actual {
  const v: unknown = t.fact === 'query' ? f.query[t.name!] : t.fact === 'value' ? f.values[t.name!] : (f as unknown as Record<string, unknown>)[t.fact]
  return v === '' || typeof v === 'object' || typeof v === 'function' ? undefined : (v as Actual)
}

/**
 * One fact test. A missing fact makes it false (so `not` makes it true). The op follows the type
 * of what is read, which for a page `value` is the type the page stored: numbers take eq/gt/gte/lt/lte
 * (and `is`, as eq) with a number; booleans take `is` (or `eq`) with a boolean; strings take is, prefix,
 * contains, glob with a string and `in` with a list, ignoring case unless `caseSensitive`; `exists`
 * holds for any present value. Any other pairing (which checkRules refuses on save) is false.
 */
function testHolds(t: FactTest, f: RuleFacts): boolean {
  const a = actualOf(t, f)
  const { op, value: v } = t
  if (a === undefined) return false
  if (op === 'exists') return true
  if (typeof a !== 'string') {
    // A boolean is only ever equal; a number also compares.
    return op === 'is' || op === 'eq' ? a === v : typeof a === 'number' && typeof v === 'number' && (op === 'gt' ? a > v : op === 'gte' ? a >= v : op === 'lt' ? a < v : op === 'lte' && a <= v)
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
 * Why `c` came out as it did, for people: the first fact test that decided it, as
 * `path glob "/pricing*" was "/blog"` or `country missing`. For a failed `all` that is its first
 * failing part; for a failed `any`, its first part (all failed); for a held `any`, its first holding
 * part; for a held `all` (under a `not`), its first part; `not (…)` around what `not` turned over.
 */
export function explain(c: Condition, f: RuleFacts): string {
  if ('not' in c) return `not (${explain(c.not, f)})`
  const list = 'all' in c ? c.all : 'any' in c ? c.any : null
  if (list) return explain(list.find((x) => holds(x, f) === ('any' in c)) ?? list[0]!, f)
  const t = c as FactTest
  const a = actualOf(t, f)
  const label = t.name === undefined ? t.fact : `${t.fact}.${t.name}`
  return a === undefined ? `${label} missing` : `${label} ${t.op}${t.value === undefined ? '' : ' ' + JSON.stringify(t.value)} was ${JSON.stringify(a)}`
}
