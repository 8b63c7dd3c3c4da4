import { existsSync } from 'node:fs'
import { CHROMIUM_PATH, formatMs as ms, measurePageLoad, openPageCostBench, summariseMedians, widgetTag } from './page-cost-bench.mjs'

// What the script tag costs the page, measured in real Chromium: a blank page loaded with and
// without `<script async src=".../parley.js" data-site=...>`, alternating, several times each, in
// the same browser. Figures per load: main-thread task time (CDP Performance.TaskDuration, which
// includes script, style and layout), script time, the load event, and "quiet at": the end of the
// last long task (>= 50 ms), or first contentful paint when there is none. The loader defers the
// widget to idle time, so its cost shows mostly after load: both are reported, measured once the
// widget has rendered its launcher.

/** Runs the comparison; resolves with { lines, results } or { lines, skipped }. */
export async function measureLoaderCost({ loads = 8 } = {}) {
  if (!existsSync(CHROMIUM_PATH)) return { lines: [`Loader cost: skipped, no Chromium at ${CHROMIUM_PATH}`], skipped: true }
  const bench = await openPageCostBench({ label: 'page cost', dirPrefix: 'parley-bench-page-', pageNames: ['with', 'without'] })
  try {
    const brand = await bench.createBrand('Page cost')
    const base = await bench.startRelay()
    bench.setTag('with', widgetTag(base, brand.siteKey))
    const browser = await bench.launchBrowser()
    const samples = { without: [], with: [] }
    for (let i = 0; i < loads * 2; i++) {
      const variant = i % 2 === 0 ? 'without' : 'with'
      samples[variant].push(await measureOnce(browser, `${bench.origin}/${variant}.html`, variant === 'with'))
    }
    return { lines: format(samples), results: summarise(samples) }
  } finally {
    await bench.close()
  }
}

async function measureOnce(browser, url, withWidget) {
  const m = await measurePageLoad(browser, url, { waitForLauncher: withWidget })
  return { taskMs: m.taskMs, scriptMs: m.scriptMs, loadMs: m.loadMs, quietMs: Math.max(m.fcpMs, m.longTaskEndMs) }
}

function summarise(samples) {
  return summariseMedians(samples, ['taskMs', 'scriptMs', 'loadMs', 'quietMs'])
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
