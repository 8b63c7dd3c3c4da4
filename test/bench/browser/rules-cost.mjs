import { createRequire } from 'node:module'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { CHROMIUM_PATH, formatMs as ms, measurePageLoad, openPageCostBench, summariseMedians, widgetTag } from './page-cost-bench.mjs'

// What deployment rules cost the page, in real Chromium: the same blank page with the widget of a
// brand that has 20 rules (and business hours) and of a brand that has none, loaded alternately in
// one browser. Per load: main-thread task time and script time (CDP Performance metrics), long
// tasks (>= 50 ms) and their total, read once the widget has drawn what the rules chose. Then the
// evaluator alone in the same Chromium: `decide` over the same 20 rules, the code the widget runs,
// bundled from @parley/sdk/rules, in µs per call.

const RULES_ENTRY = fileURLToPath(new URL('../../../sdk/dist/rules/rules.js', import.meta.url))

/** Twenty rules of the kinds brands write; on the blank page none holds until the last (the button). */
export function twentyRules() {
  const rules = []
  const paths = ['/pricing', '/checkout', '/cart', '/account', '/help', '/blog/*', '/shop/*/reviews', '/jobs']
  paths.forEach((p, i) => rules.push({
    id: `path-${i}`, when: { all: [{ fact: 'path', op: p.includes('*') ? 'glob' : 'prefix', value: p }, { fact: 'timeOnPageSec', op: 'gte', value: 5 + i }] },
    action: { type: 'invite', message: `Questions about ${p}?`, delaySec: 3 },
    cap: { days: 7 },
  }))
  rules.push(
    { id: 'campaign', when: { all: [{ fact: 'utmCampaign', op: 'in', value: ['winter', 'spring', 'summer'] }, { fact: 'returning', op: 'is', value: true }] }, action: { type: 'offer', text: 'Season sale', code: 'SEASON' } },
    { id: 'referrer', when: { fact: 'referrerHost', op: 'glob', value: '*.partner.example' }, action: { type: 'offer', text: 'Partner discount', code: 'PARTNER' } },
    { id: 'mobile-fr', when: { all: [{ fact: 'device', op: 'is', value: 'mobile' }, { fact: 'language', op: 'prefix', value: 'fr' }] }, action: { type: 'invite', message: 'Bonjour !' } },
    { id: 'country', when: { fact: 'country', op: 'in', value: ['DE', 'AT', 'CH'] }, action: { type: 'invite', message: 'Hallo!' } },
    { id: 'cart-value', when: { fact: 'value', name: 'cartTotal', op: 'gt', value: 200 }, action: { type: 'invite', message: 'Need help with a big order?' } },
    { id: 'plan', when: { fact: 'value', name: 'plan', op: 'is', value: 'enterprise' }, action: { type: 'button' } },
    { id: 'query', when: { fact: 'query', name: 'ref', op: 'exists' }, action: { type: 'offer', text: 'Referred? 5 % off', code: 'REF5' } },
    { id: 'deep-visit', when: { all: [{ fact: 'pagesViewed', op: 'gte', value: 8 }, { not: { fact: 'holiday', op: 'is', value: true } }] }, action: { type: 'invite', message: 'Still looking?' } },
    { id: 'long-site', when: { any: [{ fact: 'timeOnSiteSec', op: 'gt', value: 600 }, { fact: 'visitCount', op: 'gte', value: 5 }] }, action: { type: 'invite', message: 'Welcome back' }, rollout: { percent: 50 } },
    { id: 'hours-closed', when: { all: [{ fact: 'businessHours', op: 'is', value: false }, { fact: 'path', op: 'is', value: '/contact' }] }, action: { type: 'offline-form' } },
    { id: 'tablet', when: { fact: 'device', op: 'is', value: 'tablet' }, action: { type: 'hide' } },
    { id: 'default', action: { type: 'button' } },
  )
  return rules
}

/** Always open, so the hours are evaluated but never close the page's chat. */
const HOURS = {
  timeZone: 'Europe/Paris',
  weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ from: '00:00', to: '24:00' }]])),
  holidays: [{ from: '2026-12-25', to: '2026-12-26' }],
}

/** Runs the comparison; resolves with { lines, results } or { lines, skipped }. */
export async function measureRulesCost({ loads = 8, calls = 20_000 } = {}) {
  if (!existsSync(CHROMIUM_PATH)) return { lines: [`Rules page cost: skipped, no Chromium at ${CHROMIUM_PATH}`], skipped: true }
  const bench = await openPageCostBench({ label: 'rules cost', dirPrefix: 'parley-bench-rules-', pageNames: ['none', 'twenty', 'blank'] })
  try {
    const bare = await bench.createBrand('No rules')
    const ruled = await bench.createBrand('Twenty rules')
    const base = await bench.startRelay()
    await put(`${base}/v1/rules`, ruled.apiKey, { rules: twentyRules() })
    await put(`${base}/v1/business-hours`, ruled.apiKey, HOURS)
    bench.setTag('none', widgetTag(base, bare.siteKey))
    bench.setTag('twenty', widgetTag(base, ruled.siteKey))
    const browser = await bench.launchBrowser()
    const samples = { none: [], twenty: [] }
    for (let i = 0; i < loads * 2; i++) {
      const variant = i % 2 === 0 ? 'none' : 'twenty'
      samples[variant].push(await measureOnce(browser, `${bench.origin}/${variant}.html`))
    }
    const evaluation = await measureEvaluation(browser, bench.origin, calls)
    return { lines: format(samples, evaluation), results: { ...summarise(samples), evaluation } }
  } finally {
    await bench.close()
  }
}

async function put(url, apiKey, body) {
  const res = await fetch(url, { method: 'PUT', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
  if (!res.ok) throw new Error(`PUT ${new URL(url).pathname}: ${res.status} ${await res.text()}`)
}

// Ready when the widget has drawn what the rules chose: the button, for both pages.
async function measureOnce(browser, url) {
  const m = await measurePageLoad(browser, url, { waitForLauncher: true })
  return { taskMs: m.taskMs, scriptMs: m.scriptMs, longTasks: m.longTasks, longTaskMs: m.longTaskMs }
}

/** `decide` over the twenty rules in Chromium: the evaluator bundled as the widget bundles it. */
async function measureEvaluation(browser, origin, calls) {
  const esbuild = createRequire(new URL('../../../widget/package.json', import.meta.url))('esbuild')
  const bundle = await esbuild.build({ entryPoints: [RULES_ENTRY], bundle: true, minify: true, format: 'iife', globalName: 'ParleyRules', write: false, target: ['chrome94'] })
  const context = await browser.newContext()
  const p = await context.newPage()
  await p.goto(`${origin}/blank.html`)
  await p.addScriptTag({ content: bundle.outputFiles[0].text })
  const result = await p.evaluate(({ rules, hours, calls }) => {
    const { decide } = window.ParleyRules
    const visitor = {
      url: `${location.origin}/products/green-tea?utm_source=news`, title: 'Green tea', referrer: 'https://search.example/', userAgent: navigator.userAgent,
      language: 'en-GB', pagesViewed: 3, timeOnPageSec: 2, timeOnSiteSec: 40, visitCount: 2, returning: true,
      agentsAvailable: 2, queueLength: 0, values: { plan: 'team', cartTotal: 40 }, consent: 'granted', visitorId: 'v_bench', dismissed: {},
    }
    const now = Date.now()
    let action = ''
    for (let i = 0; i < 1000; i++) action = decide(rules, visitor, hours, now + i).action.type
    const t0 = performance.now()
    for (let i = 0; i < calls; i++) action = decide(rules, visitor, hours, now + i).action.type
    const ms = performance.now() - t0
    return { usPerCall: (ms * 1000) / calls, action }
  }, { rules: twentyRules(), hours: HOURS, calls })
  await context.close()
  if (result.action !== 'button') throw new Error(`expected the twenty rules to fall through to the button, got ${result.action}`)
  return { usPerCall: result.usPerCall, calls }
}

function summarise(samples) {
  return summariseMedians(samples, ['taskMs', 'scriptMs', 'longTasks', 'longTaskMs'])
}

function format(samples, evaluation) {
  const s = summarise(samples)
  const n = samples.none.length
  const diff = (k, f) => { const d = s.twenty[k] - s.none[k]; return `${d >= 0 ? '+' : ''}${f(d)}` }
  const row = (label, k, f) => `  ${label.padEnd(34)}${f(s.none[k]).padStart(12)}${f(s.twenty[k]).padStart(12)}${diff(k, f).padStart(12)}`
  return [
    `Deployment rules' cost to a page with the widget (Chromium, median of ${n} loads each, alternating)`,
    `  ${''.padEnd(34)}${'no rules'.padStart(12)}${'20 rules'.padStart(12)}${'cost'.padStart(12)}`,
    row('main-thread task time', 'taskMs', ms),
    row('  of which script', 'scriptMs', ms),
    row('long tasks (>= 50 ms)', 'longTasks', (x) => x.toFixed(0)),
    row('  their total', 'longTaskMs', ms),
    `  evaluating the 20 rules once (decide, in Chromium, ${evaluation.calls} calls): ${evaluation.usPerCall.toFixed(2)} µs per call`,
    '  (counters are read once the widget has drawn what the rules chose: the button on both pages)',
  ]
}

// `node test/bench/browser/rules-cost.mjs` runs this measurement alone (after `npm run build`).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { lines } = await measureRulesCost()
  process.stdout.write(`${lines.join('\n')}\n`)
}
