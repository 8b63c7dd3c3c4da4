import { createServer } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { spawnNode, stopChild } from '../child.mjs'
import { registerCleanup } from '../lifecycle.mjs'

// The rig both page-cost benches share: blank pages on one origin, brands created with the CLI, a
// relay started from the build, one Chromium, and a load measured with CDP Performance metrics and
// a long-task observer.

const run = promisify(execFile)
const CLI = fileURLToPath(new URL('../../../server/dist/parley.mjs', import.meta.url))
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic']

/** Where the benches look for Chromium. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * Opens the rig: a temporary data dir and the blank pages `/<name>.html` for each of `pageNames`.
 * `createBrand`, `startRelay` and `launchBrowser` add the rest; `close()` stops and removes it all.
 */
export async function openPageCostBench({ label, dirPrefix, pageNames }) {
  const dataDir = mkdtempSync(join(tmpdir(), dirPrefix))
  const unregister = registerCleanup(() => rmSync(dataDir, { recursive: true, force: true }))
  const pages = await serveBlankPages(pageNames)
  let relay
  let browser
  return {
    origin: pages.origin,
    setTag: pages.setTag,
    /** A brand allowed on the pages' origin, created in the data dir: { apiKey, siteKey, ... }. */
    async createBrand(name) {
      const { stdout } = await run(process.execPath, [CLI, 'brand', 'create', '--data-dir', dataDir, '--name', name, '--origin', pages.origin, '--json'])
      return JSON.parse(stdout.trim().split('\n').pop())
    },
    /** Starts the relay on the data dir; resolves with its base URL (no trailing slash). */
    async startRelay() {
      relay = spawnNode(`parley relay (${label})`, [CLI, 'start', '--data-dir', dataDir, '--port', '0', '--host', '127.0.0.1', '--no-demo'])
      const { url } = await relay.waitForJson((l) => l.msg === 'relay listening' && typeof l.url === 'string', 30_000)
      return url.replace(/\/$/, '')
    },
    async launchBrowser() {
      const { chromium } = await import('playwright-core')
      browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS, headless: true })
      return browser
    },
    async close() {
      await browser?.close()
      if (relay) await stopChild(relay)
      pages.close()
      rmSync(dataDir, { recursive: true, force: true })
      unregister()
    },
  }
}

/** The script tag that loads the widget of the brand with `siteKey` from the relay at `base`. */
export function widgetTag(base, siteKey) {
  return `<script async src="${base}/parley.js" data-site="${siteKey}"></script>`
}

/**
 * Loads `url` in a fresh context and reads, once the page is quiet (and, with `waitForLauncher`,
 * once the widget has drawn its launcher): main-thread task and script time, long tasks (>= 50 ms:
 * count, total, end of the last), the load event and first contentful paint, all in ms.
 */
export async function measurePageLoad(browser, url, { waitForLauncher }) {
  const context = await browser.newContext()
  const p = await context.newPage()
  await p.addInitScript(() => {
    const w = window
    w.__longTasks = { count: 0, total: 0, end: 0 }
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        w.__longTasks.count++
        w.__longTasks.total += e.duration
        w.__longTasks.end = Math.max(w.__longTasks.end, e.startTime + e.duration)
      }
    }).observe({ type: 'longtask', buffered: true })
  })
  const cdp = await context.newCDPSession(p)
  await cdp.send('Performance.enable')
  await p.goto(url, { waitUntil: 'load' })
  if (waitForLauncher) {
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
    return { load: nav.loadEventStart, fcp: fcp ? fcp.startTime : nav.domContentLoadedEventEnd, longTasks: window.__longTasks }
  })
  await context.close()
  return {
    taskMs: metrics.TaskDuration * 1000,
    scriptMs: metrics.ScriptDuration * 1000,
    longTasks: timing.longTasks.count,
    longTaskMs: timing.longTasks.total,
    longTaskEndMs: timing.longTasks.end,
    loadMs: timing.load,
    fcpMs: timing.fcp,
  }
}

/** Per variant, the median of each of `keys` over that variant's samples. */
export function summariseMedians(samples, keys) {
  const out = {}
  for (const [variant, list] of Object.entries(samples)) {
    out[variant] = Object.fromEntries(keys.map((k) => [k, median(list.map((x) => x[k]))]))
  }
  return out
}

/** `x` milliseconds as the benches print them. */
export function formatMs(x) {
  return `${x.toFixed(1)} ms`
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

// The same blank page under each name, on one origin (the brands' allowed origin), each with its tag
// ('' until set); any other path is a 404.
async function serveBlankPages(pageNames) {
  const tags = Object.fromEntries(pageNames.map((name) => [`/${name}.html`, '']))
  const server = createServer((req, res) => {
    const known = Object.hasOwn(tags, req.url ?? '')
    res.writeHead(known ? 200 : 404, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Blank</title>${known ? tags[req.url] : ''}</head><body><p>A blank page.</p></body></html>`)
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    setTag(name, tag) { tags[`/${name}.html`] = tag },
    close() { server.close() },
  }
}
