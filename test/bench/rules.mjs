import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { decide, deriveFacts, evaluateRules, hoursState } from '../../sdk/dist/rules/rules.js'
import { holds } from '../../sdk/dist/rules/conditions.js'
import { matchGlob } from '../../sdk/dist/rules/glob.js'

// The deployment-rule evaluator's speed: 100 rules against one visitor's facts, the 100th the only
// one that holds, so every rule is tested and traced (the worst case for a page: a rule list at the
// schema's maximum that falls through to its last rule). Each rule is one of ten shapes over every
// kind of fact (globs, prefixes, lists, numbers, booleans, query parameters, page values, all / any
// / not). Beside it, in the same run: the same 100 rules' conditions as direct JS closures (what a
// hand-written `if` chain costs: no interpretation, no trace) and JSON.stringify of the facts (a
// sense of scale). Then the full `decide` (facts derived from the page each call, business hours in
// Europe/Paris), `hoursState` alone, and a hostile glob against a 2,048-character URL. A row with the
// conditions alone (the interpreter without the trace's reasons) shows what the trace costs.
// `node test/bench/rules.mjs` runs it alone; `npm run bench` runs it after the masking engine.

const SECONDS = Number(process.env.BENCH_RULES_SECONDS ?? 2)
const ROUNDS = 9
const NOW = Date.parse('2026-12-02T15:30:00Z')
const HOURS = {
  timeZone: 'Europe/Paris',
  weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ from: '09:00', to: '12:30' }, { from: '13:30', to: '18:00' }]])),
  holidays: [{ from: '2026-12-24', to: '2026-12-26' }, { from: '2027-01-01' }],
}
const VISITOR = {
  url: 'https://shop.example/en/products/winter-jacket?utm_source=newsletter&utm_medium=email&utm_campaign=winter&plan=pro&ref=abc123',
  title: 'Winter jacket | Shop', referrer: 'https://www.google.com/search?q=winter+jacket', pagesViewed: 4, timeOnPageSec: 12, timeOnSiteSec: 140,
  visitCount: 3, returning: true, language: 'en-GB', country: 'GB', agentsAvailable: 2, queueLength: 1, consent: 'granted',
  userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  values: { tier: 'silver', cartItems: 2, loggedIn: true }, visitorId: 'v-8f14e45f', dismissed: { 'rule-7': NOW - 3600_000 },
}

/** Rule `i` of ten shapes, each failing for VISITOR; the 100th holds. */
function ruleAt(i) {
  const n = String(i)
  const shapes = [
    { fact: 'path', op: 'glob', value: `/pricing-${n}/*` },
    { all: [{ fact: 'returning', op: 'is', value: true }, { fact: 'pagesViewed', op: 'gte', value: 10 + i }] },
    { any: [{ fact: 'utmSource', op: 'in', value: [`ads-${n}`, `partner-${n}`] }, { fact: 'referrerHost', op: 'is', value: `news-${n}.example` }] },
    { not: { fact: 'country', op: 'in', value: ['GB', 'IE'] } },
    { fact: 'query', name: 'plan', op: 'is', value: `gold-${n}` },
    { all: [{ fact: 'value', name: 'tier', op: 'is', value: 'gold' }, { fact: 'value', name: 'cartItems', op: 'gt', value: 0 }] },
    { fact: 'timeOnPageSec', op: 'gte', value: 600 + i },
    { any: [{ fact: 'device', op: 'is', value: 'tablet' }, { fact: 'os', op: 'in', value: ['android', 'ios'] }] },
    { fact: 'url', op: 'contains', value: `campaign-${n}` },
    { all: [{ fact: 'businessHours', op: 'is', value: false }, { fact: 'language', op: 'prefix', value: 'fr' }] },
  ]
  return { id: `rule-${n}`, when: shapes[i % shapes.length], action: { type: 'invite', message: `Hello ${n}` }, cap: { days: 7 } }
}
const RULES = [...Array.from({ length: 99 }, (_, i) => ruleAt(i)), { id: 'last', when: { fact: 'path', op: 'prefix', value: '/en/' }, action: { type: 'button' } }]

/** The same conditions as closures over the facts, as a brand would write them by hand (case folded). */
function closureOf(c) {
  if (c.all) { const parts = c.all.map(closureOf); return (f) => parts.every((p) => p(f)) }
  if (c.any) { const parts = c.any.map(closureOf); return (f) => parts.some((p) => p(f)) }
  if (c.not) { const inner = closureOf(c.not); return (f) => !inner(f) }
  const read = c.fact === 'query' ? (f) => f.query[c.name] : c.fact === 'value' ? (f) => f.values[c.name] : (f) => f[c.fact]
  const v = typeof c.value === 'string' ? c.value.toLowerCase() : Array.isArray(c.value) ? c.value.map((x) => x.toLowerCase()) : c.value
  const low = (f) => { const a = read(f); return typeof a === 'string' ? a.toLowerCase() : a }
  switch (c.op) {
    case 'is': return (f) => low(f) === v
    case 'prefix': return (f) => low(f)?.startsWith(v) ?? false
    case 'contains': return (f) => low(f)?.includes(v) ?? false
    case 'in': return (f) => v.includes(low(f))
    case 'glob': { const head = v.slice(0, v.indexOf('*')); return (f) => low(f)?.startsWith(head) ?? false }
    case 'gt': return (f) => read(f) > v
    case 'gte': return (f) => read(f) >= v
    default: throw new Error(`no closure for ${c.op}`)
  }
}
const CLOSURES = RULES.map((r) => ({ id: r.id, test: closureOf(r.when) }))
const byClosures = (f) => CLOSURES.find((r) => r.test(f))?.id ?? null

/** Measures the evaluator against the baselines; returns printable lines and figures. */
export function measureRules() {
  const facts = deriveFacts(VISITOR, HOURS, NOW)
  const check = evaluateRules(RULES, facts)
  if (check.ruleId !== 'last' || check.trace.length !== 100 || byClosures(facts) !== 'last') throw new Error('rules bench: the rule list does not fall through to its last rule')
  const long = `https://shop.example/${'a'.repeat(2020)}`
  const hostile = `*${'a?'.repeat(200)}b*`
  const cases = [
    ['evaluateRules, 100 rules, traced', () => evaluateRules(RULES, facts).trace.length],
    ['the same, conditions only (no trace)', () => (RULES.find((r) => holds(r.when, facts)) ? 1 : 0)],
    ['baseline: the same tests as closures', () => (byClosures(facts) ? 1 : 0)],
    ['baseline: JSON.stringify(facts)', () => JSON.stringify(facts).length],
    ['decide (facts from the page + hours)', () => decide(RULES, VISITOR, HOURS, NOW).trace.length],
    ['hoursState (Europe/Paris, next change)', () => hoursState(HOURS, NOW).nextChangeAt],
    ['hostile glob vs 2,048-char URL', () => (matchGlob(hostile, long) ? 1 : 0)],
  ]
  // Rounds alternate the cases, and each case's figure is its median round, so a burst of load
  // from other processes lands on every case alike instead of on whichever ran during it.
  const rounds = Object.fromEntries(cases.map(([name]) => [name, []]))
  for (let r = 0; r < ROUNDS; r++) for (const [name, fn] of cases) rounds[name].push(timePerCall(fn, (SECONDS * 1000) / ROUNDS))
  const results = {}
  for (const [name, list] of Object.entries(rounds)) {
    const micros = list.sort((a, b) => a - b)[Math.floor(list.length / 2)]
    results[name] = { microsPerCall: micros, callsPerSecond: 1e6 / micros }
  }
  const closures = results['baseline: the same tests as closures'].microsPerCall
  const lines = [`Rule evaluator: 100 rules against one visitor, the last one holding (${SECONDS} s each, median of ${ROUNDS} alternating rounds)`,
    `  ${'case'.padEnd(42)}${'µs/call'.padStart(10)}${'calls/s'.padStart(12)}${'vs closures'.padStart(13)}`]
  for (const [name, { microsPerCall, callsPerSecond }] of Object.entries(results)) {
    lines.push(`  ${name.padEnd(42)}${microsPerCall.toFixed(2).padStart(10)}${Math.round(callsPerSecond).toLocaleString('en').padStart(12)}${`${(microsPerCall / closures).toFixed(1)}×`.padStart(13)}`)
  }
  return { lines, results }
}

/** Runs `fn` for `ms` after a short warm-up; µs per call. */
function timePerCall(fn, ms) {
  let sink = 0
  for (let i = 0; i < 200; i++) sink += Number(fn()) || 0
  let calls = 0
  const t0 = performance.now()
  let elapsed = 0
  do {
    for (let i = 0; i < 20; i++) sink += Number(fn()) || 0
    calls += 20
    elapsed = performance.now() - t0
  } while (elapsed < ms)
  if (sink < 0) throw new Error('unreachable')
  return (elapsed * 1000) / calls
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.stdout.write(`${measureRules().lines.join('\n')}\n`)
