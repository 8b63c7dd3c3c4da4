import { createServer } from 'node:http'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { spawnNode, stopChild } from '../child.mjs'
import { registerCleanup } from '../lifecycle.mjs'

// What the script tag costs the page, measured in real Chromium: a blank page loaded with and
// without `<script async src=".../parley.js" data-site=...>`, alternating, several times each, in
// the same browser. Figures per load: main-thread task time (CDP Performance.TaskDuration, which
// includes script, style and layout), script time, the load event, and "quiet at": the end of the
// last long task (>= 50 ms), or first contentful paint when there is none. The loader defers the
// widget to idle time, so its cost shows mostly after load: both are reported, measured once the
// widget has rendered its launcher.

const run = promisify(execFile)
const CLI = fileURLToPath(new URL('../../../server/dist/cli.js', import.meta.url))
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic']

/** Runs the comparison; resolves with { lines, results } or { lines, skipped }. */
export async function measureLoaderCost({ loads = 8 } = {}) {
  if (!existsSync(CHROMIUM_PATH)) return { lines: [`Loader cost: skipped, no Chromium at ${CHROMIUM_PATH}`], skipped: true }
  const { chromium } = await import('playwright-core')
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-page-'))
  const unregister = registerCleanup(() => rmSync(dataDir, { recursive: true, force: true }))
  const page = await servePages()
  let relay
  let browser
  try {
    const brand = JSON.parse((await run(process.execPath, [CLI, 'brand', 'create', '--data-dir', dataDir, '--name', 'Page cost', '--origin', page.origin, '--json'])).stdout.trim().split('\n').pop())
    relay = spawnNode('parley relay (page cost)', [CLI, 'start', '--data-dir', dataDir, '--port', '0', '--host', '127.0.0.1', '--no-demo'])
    const { url } = await relay.waitForJson((l) => l.msg === 'relay listening' && typeof l.url === 'string', 30_000)
    page.setTag(`<script async src="${url.replace(/\/$/, '')}/parley.js" data-site="${brand.siteKey}"></script>`)
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS, headless: true })
    const samples = { without: [], with: [] }
    for (let i = 0; i < loads * 2; i++) {
      const variant = i % 2 === 0 ? 'without' : 'with'
      samples[variant].push(await measureOnce(browser, `${page.origin}/${variant}.html`, variant === 'with'))
    }
    return { lines: format(samples), results: summarise(samples) }
  } finally {
    await browser?.close()
    if (relay) await stopChild(relay)
    page.close()
    rmSync(dataDir, { recursive: true, force: true })
    unregister()
  }
}

async function measureOnce(browser, url, withWidget) {
  const context = await browser.newContext()
  const p = await context.newPage()
  await p.addInitScript(() => {
    const w = window
    w.__longTaskEnd = 0
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTaskEnd = Math.max(w.__longTaskEnd, e.startTime + e.duration)
    }).observe({ type: 'longtask', buffered: true })
  })
  const cdp = await context.newCDPSession(p)
  await cdp.send('Performance.enable')
  await p.goto(url, { waitUntil: 'load' })
  if (withWidget) {
    // Ready when the widget has booted and drawn its launcher. Not the 'ready' event: a widget that
    // boots before the page adds its listener has already fired it, and the wait never ends.
    await p.locator('parley-chat').getByRole('button', { name: /^Open chat/ }).waitFor({ timeout: 10_000 })
  }
  // Let trailing work (paint, idle callbacks) finish before reading the counters.
  await p.evaluate(() => new Promise((resolve) => requestIdleCallback(() => resolve(), { timeout: 2000 })))
  const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]))
  const timing = await p.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0]
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]
    return { load: nav.loadEventStart, fcp: fcp ? fcp.startTime : nav.domContentLoadedEventEnd, longTaskEnd: window.__longTaskEnd }
  })
  await context.close()
  return {
    taskMs: metrics.TaskDuration * 1000,
    scriptMs: metrics.ScriptDuration * 1000,
    loadMs: timing.load,
    quietMs: Math.max(timing.fcp, timing.longTaskEnd),
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

function summarise(samples) {
  const out = {}
  for (const [variant, list] of Object.entries(samples)) {
    out[variant] = Object.fromEntries(['taskMs', 'scriptMs', 'loadMs', 'quietMs'].map((k) => [k, median(list.map((x) => x[k]))]))
  }
  return out
}

function format(samples) {
  const s = summarise(samples)
  const n = samples.with.length
  const row = (label, k) => `  ${label.padEnd(34)}${ms(s.without[k]).padStart(12)}${ms(s.with[k]).padStart(12)}${`+${ms(s.with[k] - s.without[k])}`.padStart(12)}`
  return [
    `Script tag cost to a blank page (Chromium, median of ${n} loads each, alternating)`,
    `  ${''.padEnd(34)}${'no tag'.padStart(12)}${'with tag'.padStart(12)}${'cost'.padStart(12)}`,
    row('main-thread task time', 'taskMs'),
    row('  of which script', 'scriptMs'),
    row('load event', 'loadMs'),
    row('quiet at (last long task / FCP)', 'quietMs'),
    '  (with the tag, counters are read after the widget has booted and drawn its launcher)',
  ]
}

function ms(x) {
  return `${x.toFixed(1)} ms`
}

// Two static pages on one origin (the brand's allowed origin): the same blank page with and without the tag.
async function servePages() {
  let tag = ''
  const server = createServer((req, res) => {
    const body = req.url === '/with.html' ? tag : ''
    res.writeHead(req.url === '/with.html' || req.url === '/without.html' ? 200 : 404, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Blank</title>${body}</head><body><p>A blank page.</p></body></html>`)
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    setTag(t) { tag = t },
    close() { server.close() },
  }
}
