// What the RulesConfig schema cannot say, checked on save (after the schema) so that a saved rule
// list always means what it looks like; the evaluator itself never throws on a bad pairing anyway.
import { BOOLEAN_FACTS, NUMBER_FACTS, NUMBER_OPS, STRING_FACTS, STRING_OPS } from '../contract/rule-facts.js'
import type { Condition, FactTest, RulesConfig } from '../contract/rules.js'
import type { RuleProblem } from './rule-problem.js'

/** How many all / any / not may nest one inside another. */
export const MAX_CONDITION_DEPTH = 6
/** The longest glob pattern. */
export const MAX_GLOB_LENGTH = 512
/** The most stars in one glob (each star is a piece the matcher looks for). */
export const MAX_GLOB_STARS = 16
/**
 * The most conditions (fact tests and all / any / not) in one rule list: what one evaluation may
 * cost, in the widget on every change and in the relay's simulation for each of 1,000 visitors.
 */
export const MAX_CONDITIONS = 1000

/**
 * Whether an ISO date-time (the schema checked its shape) names a real day and time: engines differ
 * on `2026-02-30` (some roll it over to 2 March, some refuse it), so the day and hour are checked here.
 */
function isRealDateTime(s: string): boolean {
  const [y, mo, d, h, mi] = s.slice(0, 16).split(/[-T:]/).map(Number) as [number, number, number, number, number]
  const day = new Date(Date.UTC(y, mo - 1, d))
  return !Number.isNaN(Date.parse(s)) && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d && h < 24 && mi < 60
}

/** How many conditions `c` holds, itself included. */
const sizeOf = (c: Condition): number =>
  'all' in c ? 1 + c.all.reduce((n, x) => n + sizeOf(x), 0)
    : 'any' in c ? 1 + c.any.reduce((n, x) => n + sizeOf(x), 0)
      : 'not' in c ? 1 + sizeOf(c.not) : 1

const has = (list: readonly string[], x: unknown): boolean => typeof x === 'string' && list.includes(x)
const kindOf = (fact: string): 'string' | 'number' | 'boolean' | 'value' | null =>
  has(STRING_FACTS, fact) || fact === 'query' ? 'string' : has(NUMBER_FACTS, fact) ? 'number' : has(BOOLEAN_FACTS, fact) ? 'boolean' : fact === 'value' ? 'value' : null

/** The first problem of one fact test at `at`, or null. */
function checkTest(t: FactTest, at: string): RuleProblem | null {
  const kind = kindOf(t.fact)
  const { op, value: v } = t
  if (!kind) return { path: `${at}/fact`, message: `unknown fact "${t.fact}"` }
  const named = t.fact === 'query' || t.fact === 'value'
  if (named && t.name === undefined) return { path: `${at}/name`, message: `${t.fact} needs a name` }
  if (!named && t.name !== undefined) return { path: `${at}/name`, message: 'only query and value take a name' }
  const stringOp = has(STRING_OPS, op)
  const numberOp = has(NUMBER_OPS, op)
  const fits = kind === 'string' ? stringOp : kind === 'number' ? numberOp : kind === 'boolean' ? op === 'is' : stringOp || numberOp
  if (!fits) {
    const ops = kind === 'string' ? STRING_OPS.join(', ') : kind === 'number' ? NUMBER_OPS.join(', ') : 'is'
    return { path: `${at}/op`, message: `${t.fact} takes ${ops}, not "${op}"` }
  }
  const value = (message: string): RuleProblem => ({ path: `${at}/value`, message })
  if (op === 'exists') return v === undefined ? null : value('exists takes no value')
  if (numberOp) return typeof v === 'number' && Number.isFinite(v) ? null : value(`${op} needs a number`)
  if (kind === 'boolean') return typeof v === 'boolean' ? null : value('is needs true or false')
  if (op === 'in') return Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string') ? null : value('in needs a non-empty list of strings')
  if (op === 'is' && kind === 'value') return v !== undefined && !Array.isArray(v) ? null : value('is needs a string, a number or true or false')
  if (typeof v !== 'string') return value(`${op} needs a string`)
  if (op === 'glob' && v.length > MAX_GLOB_LENGTH) return value(`a glob is at most ${MAX_GLOB_LENGTH} characters`)
  if (op === 'glob' && v.split('*').length - 1 > MAX_GLOB_STARS) return value(`a glob has at most ${MAX_GLOB_STARS} "*"`)
  return null
}

/** The first problem in `c` at `at`, `depth` all/any/not deep (the rule's `when` itself being 1 if it is one). */
function checkCondition(c: Condition, at: string, depth: number): RuleProblem | null {
  const key = 'all' in c ? 'all' : 'any' in c ? 'any' : 'not' in c ? 'not' : null
  if (!key) return checkTest(c as FactTest, at)
  if (depth > MAX_CONDITION_DEPTH) return { path: `${at}/${key}`, message: `all / any / not nest at most ${MAX_CONDITION_DEPTH} deep` }
  if (key === 'not') return checkCondition((c as { not: Condition }).not, `${at}/not`, depth + 1)
  const list = (c as Record<string, Condition[]>)[key]!
  for (let i = 0; i < list.length; i++) {
    const problem = checkCondition(list[i]!, `${at}/${key}/${i}`, depth + 1)
    if (problem) return problem
  }
  return null
}

/**
 * What the schema cannot say, null when fine, else the first problem with its JSON path
 * (`rules/2/when/all/0/op`): ids unique; each test's op fits its fact (string facts and `query`:
 * is, prefix, glob, contains, in, exists; number facts: eq, gt, gte, lt, lte with a number; boolean
 * facts: `is` with true or false; a page `value`: any op, with a value of the kind the op needs);
 * `in` with a non-empty list; `exists` with no value; `name` for query and value only, and required
 * there; all / any / not nested at most 6 deep; a glob at most 512 characters with at most 16 stars;
 * an offer's `expiresAt` a real instant; at most 1,000 conditions in the whole list.
 */
export function checkRules(config: RulesConfig): RuleProblem | null {
  const seen = new Map<string, number>()
  let size = 0
  for (let i = 0; i < config.rules.length; i++) {
    const rule = config.rules[i]!
    const before = seen.get(rule.id)
    if (before !== undefined) return { path: `rules/${i}/id`, message: `"${rule.id}" is also the id of rules/${before}` }
    seen.set(rule.id, i)
    if (rule.action.type === 'offer' && rule.action.expiresAt !== undefined && !isRealDateTime(rule.action.expiresAt)) {
      return { path: `rules/${i}/action/expiresAt`, message: `"${rule.action.expiresAt}" is not a date and time` }
    }
    const problem = rule.when ? checkCondition(rule.when, `rules/${i}/when`, 1) : null
    if (problem) return problem
    size += rule.when ? sizeOf(rule.when) : 0
    if (size > MAX_CONDITIONS) return { path: `rules/${i}/when`, message: `a rule list holds at most ${MAX_CONDITIONS} conditions` }
  }
  return null
}
