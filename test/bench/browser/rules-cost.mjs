import { createServer } from 'node:http'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { spawnNode, stopChild } from '../child.mjs'
import { registerCleanup } from '../lifecycle.mjs'

// What deployment rules cost the page, in real Chromium: the same blank page with the widget of a
// brand that has 20 rules (and business hours) and of a brand that has none, loaded alternately in
// one browser. Per load: main-thread task time and script time (CDP Performance metrics), long
// tasks (>= 50 ms) and their total, read once the widget has drawn what the rules chose. Then the
// evaluator alone in the same Chromium: `decide` over the same 20 rules, the code the widget runs,
// bundled from @parley/sdk/rules, in µs per call.

const run = promisify(execFile)
const CLI = fileURLToPath(new URL('../../../server/dist/cli.js', import.meta.url))
const RULES_ENTRY = fileURLToPath(new URL('../../../sdk/dist/rules/rules.js', import.meta.url))
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic']

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
  const { chromium } = await import('playwright-core')
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-rules-'))
  const unregister = registerCleanup(() => rmSync(dataDir, { recursive: true, force: true }))
  const pages = await servePages()
  let relay
  let browser
  try {
    const create = async (name) => JSON.parse((await run(process.execPath, [CLI, 'brand', 'create', '--data-dir', dataDir, '--name', name, '--origin', pages.origin, '--json'])).stdout.trim().split('\n').pop())
    const bare = await create('No rules')
    const ruled = await create('Twenty rules')
    relay = spawnNode('parley relay (rules cost)', [CLI, 'start', '--data-dir', dataDir, '--port', '0', '--host', '127.0.0.1', '--no-demo'])
    const { url } = await relay.waitForJson((l) => l.msg === 'relay listening' && typeof l.url === 'string', 30_000)
    const base = url.replace(/\/$/, '')
    await put(`${base}/v1/rules`, ruled.apiKey, { rules: twentyRules() })
    await put(`${base}/v1/business-hours`, ruled.apiKey, HOURS)
    pages.setTag('none', `<script async src="${base}/parley.js" data-site="${bare.siteKey}"></script>`)
    pages.setTag('twenty', `<script async src="${base}/parley.js" data-site="${ruled.siteKey}"></script>`)
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS, headless: true })
    const samples = { none: [], twenty: [] }
    for (let i = 0; i < loads * 2; i++) {
      const variant = i % 2 === 0 ? 'none' : 'twenty'
      samples[variant].push(await measureOnce(browser, `${pages.origin}/${variant}.html`))
    }
    const evaluation = await measureEvaluation(browser, pages.origin, calls)
    return { lines: format(samples, evaluation), results: { ...summarise(samples), evaluation } }
  } finally {
    await browser?.close()
    if (relay) await stopChild(relay)
    pages.close()
    rmSync(dataDir, { recursive: true, force: true })
    unregister()
  }
}

async function put(url, apiKey, body) {
  const res = await fetch(url, { method: 'PUT', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
  if (!res.ok) throw new Error(`PUT ${new URL(url).pathname}: ${res.status} ${await res.text()}`)
}

async function measureOnce(browser, url) {
  const context = await browser.newContext()
  const p = await context.newPage()
  await p.addInitScript(() => {
    const w = window
    w.__longTasks = { count: 0, total: 0 }
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) { w.__longTasks.count++; w.__longTasks.total += e.duration }
    }).observe({ type: 'longtask', buffered: true })
  })
  const cdp = await context.newCDPSession(p)
  await cdp.send('Performance.enable')
  await p.goto(url, { waitUntil: 'load' })
  // Ready when the widget has drawn what the rules chose (the button, for both pages). Waiting for
  // the 'ready' event instead could miss it: the widget may be ready before the listener is added.
  await p.locator('parley-chat').getByRole('button', { name: /^Open chat/ }).waitFor({ timeout: 10_000 })
  await p.evaluate(() => new Promise((resolve) => requestIdleCallback(() => resolve(), { timeout: 2000 })))
  const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]))
  const longTasks = await p.evaluate(() => window.__longTasks)
  await context.close()
  return { taskMs: metrics.TaskDuration * 1000, scriptMs: metrics.ScriptDuration * 1000, longTasks: longTasks.count, longTaskMs: longTasks.total }
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

function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

function summarise(samples) {
  const out = {}
  for (const [variant, list] of Object.entries(samples)) {
    out[variant] = Object.fromEntries(['taskMs', 'scriptMs', 'longTasks', 'longTaskMs'].map((k) => [k, median(list.map((x) => x[k]))]))
  }
  return out
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

function ms(x) {
  return `${x.toFixed(1)} ms`
}

// Static pages on one origin, which both brands allow: the blank page with each brand's tag.
async function servePages() {
  const tags = { none: '', twenty: '' }
  const server = createServer((req, res) => {
    const m = /^\/(none|twenty|blank)\.html$/.exec(req.url ?? '')
    res.writeHead(m ? 200 : 404, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Blank</title>${m ? tags[m[1]] ?? '' : ''}</head><body><p>A blank page.</p></body></html>`)
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    setTag(variant, t) { tags[variant] = t },
    close() { server.close() },
  }
}

// `node test/bench/browser/rules-cost.mjs` runs this measurement alone (after `npm run build`).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { lines } = await measureRulesCost()
  process.stdout.write(`${lines.join('\n')}\n`)
}
