import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

// `node test/bench/repeat.mjs [N]`: runs the relay benchmark N times (default 5; the browser part
// and, unless BENCH_MEMORY=1, the memory benches are skipped) and prints each run's figures, then their medians and how many runs passed each bar.
// On a shared machine one run's p99 moves a lot with the neighbours' load; the median of several
// runs, each with its baselines measured beside it, is what to compare changes by. Targets, modes
// and the other knobs come from the environment as for run.mjs. Each run's results stay in
// .bench/results-N.json.

const RUN = fileURLToPath(new URL('./run.mjs', import.meta.url))
const DIR = fileURLToPath(new URL('../../.bench/', import.meta.url))
const n = Number(process.argv[2] ?? 5)
if (!Number.isInteger(n) || n < 1) {
  process.stderr.write('usage: node test/bench/repeat.mjs [runs]\n')
  process.exit(2)
}

const runs = []
for (let i = 1; i <= n; i++) {
  process.stderr.write(`bench repeat: run ${i} of ${n}\n`)
  const r = spawnSync(process.execPath, [RUN], { env: { BENCH_MEMORY: '0', ...process.env, BENCH_BROWSER: '0' }, stdio: ['ignore', 'ignore', 'inherit'] })
  mkdirSync(DIR, { recursive: true })
  const data = JSON.parse(readFileSync(`${DIR}results.json`, 'utf8'))
  copyFileSync(`${DIR}results.json`, `${DIR}results-${i}.json`)
  runs.push({ exit: r.status, data })
}

const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b)
  if (s.length === 0) return NaN
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
const fmt = (x, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a')
const targets = Object.keys(runs[0].data.results)
const lines = [`${n} runs of the relay benchmark (medians last)`]
const TITLES = {
  saturation: 'Saturation: delivered/s per run (acked/s for the ceiling)',
  fixed: 'Fixed load: ack p99 (ms) per run, and the loadgen send lag p99',
  scaled: 'Scaled load (the issue\'s share of this machine): ack p99 (ms) per run, and the loadgen send lag p99',
}
for (const mode of Object.keys(TITLES)) {
  if (!targets.some((t) => runs[0].data.results[t]?.[mode])) continue
  lines.push('', TITLES[mode])
  for (const t of targets) {
    const figures = runs.map((r) => r.data.results[t]?.[mode])
    if (!figures.some(Boolean)) continue
    // The ceiling's relay delivers nothing; its rate is the ack rate.
    const rate = (f) => (f?.delivers === false ? f?.ackedPerSecond : f?.deliveredPerSecond)
    const values = figures.map((f) => (mode === 'saturation' ? rate(f) : f?.ackMs?.p99))
    const lag = figures.map((f) => f?.sendLagMs?.p99)
    const shown = values.map((v) => fmt(v, mode === 'saturation' ? 0 : 1)).join('  ')
    const extra = mode === 'saturation' ? '' : `   (send lag p99 median ${fmt(median(lag))} ms)`
    lines.push(`  ${t.padEnd(12)} ${shown}   median ${fmt(median(values), mode === 'saturation' ? 0 : 1)}${extra}`)
  }
}
// Efficiency: how many messages each relay moved per CPU-second it used, which stays comparable
// when the loadgen or the machine, not the relay, set a run's pace.
for (const mode of Object.keys(TITLES)) {
  lines.push(...perRunLines(`${mode}: messages per relay CPU-second per run`, (result) => result?.[mode]?.perRelayCpuSecond, 0))
}
// Memory: each relay's peak RSS in its saturation window (nodes summed).
lines.push(...perRunLines('saturation: relay RSS peak (MiB) per run', (result) => result?.saturation?.relayRssBytes?.peak / 2 ** 20, 1))
const verdicts = [['Bars', (data) => data.comparison.bars], ['For context (not the issue\'s bars)', (data) => data.comparison.context], ['Aims (issue 20)', (data) => data.aims]]
for (const [title, of] of verdicts) {
  const names = (of(runs[0].data) ?? []).map((b) => b.name)
  if (names.length) lines.push('', title)
  for (const name of names) {
    const statuses = runs.map((r) => of(r.data)?.find((b) => b.name === name)?.status ?? 'NOT RUN')
    lines.push(`  ${name}: PASS in ${statuses.filter((s) => s === 'PASS').length} of ${n} (${statuses.join(', ')})`)
  }
}
process.stdout.write(`${lines.join('\n')}\n`)
process.exit(runs.some((r) => r.exit !== 0) ? 1 : 0)

// A titled block, one line per target: `pick`'s figure in each run, then their median; nothing
// when no target has the figure in the first run.
function perRunLines(title, pick, digits) {
  if (!targets.some((t) => Number.isFinite(pick(runs[0].data.results[t])))) return []
  const out = ['', title]
  for (const t of targets) {
    const values = runs.map((r) => pick(r.data.results[t]))
    if (!values.some(Number.isFinite)) continue
    out.push(`  ${t.padEnd(12)} ${values.map((v) => fmt(v, digits)).join('  ')}   median ${fmt(median(values), digits)}`)
  }
  return out
}
