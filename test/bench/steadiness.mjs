import { spawn } from 'node:child_process'
import { cpus } from 'node:os'

// How steady the machine is, measured beside the relays: processes that only spin on the clock
// and record every gap in their own progress (time the kernel or the host gave to something else).
// One spinner alone shows the noise on an idle core; one per core shows what a program that keeps
// every core busy suffers, as the relay, its store thread and the load generator together do at
// 10,000 msgs/s. On a virtual machine whose host is oversubscribed, the second figure shows stalls
// of tens of milliseconds that no relay can hide from its p99.

// A gap shorter than this is the loop itself (a clock read, an interrupt), not lost time.
const GAP_MS = 0.2

// The spinner: a busy loop for `ms`, then one JSON line with the gaps it saw.
const SPIN = `
const ms = Number(process.argv[1]); const gaps = []
const end = performance.now() + ms; let last = performance.now()
for (;;) { const now = performance.now(); if (now > end) break; if (now - last > ${GAP_MS}) gaps.push(now - last); last = now }
process.stdout.write(JSON.stringify({ lostMs: gaps.reduce((a, b) => a + b, 0), longestMs: Math.max(0, ...gaps), gaps: gaps.length }) + '\\n')
`

/** Runs `count` spinners at once for `ms`; resolves with what each saw. */
function spin(count, ms) {
  return Promise.all(Array.from({ length: count }, () => new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', SPIN, String(ms)], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (d) => { out += d })
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`spinner exited ${code}`))))
  })))
}

/**
 * One spinner alone, then one per core, `seconds` each. Resolves with, for each, the share of the
 * time lost (the worst spinner's) and the longest single stall any spinner saw.
 */
export async function measureSteadiness({ seconds = 2 } = {}) {
  const ms = seconds * 1000
  const summarize = (runs) => ({
    spinners: runs.length,
    lostShare: Math.max(...runs.map((r) => r.lostMs)) / ms,
    longestStallMs: Math.max(...runs.map((r) => r.longestMs)),
  })
  const oneCore = summarize(await spin(1, ms))
  const allCores = summarize(await spin(Math.max(1, cpus().length), ms))
  return { seconds, oneCore, allCores }
}

/** Report lines for one or more measurements (`label` → result of measureSteadiness). */
export function steadinessLines(measurements) {
  const fmt = (s) => `${(s.lostShare * 100).toFixed(1)}% of the time lost, longest stall ${s.longestStallMs.toFixed(1)} ms`
  const out = ['Machine steadiness (busy loops that record every gap in their own progress)']
  for (const [label, m] of Object.entries(measurements)) {
    if (!m) continue
    out.push(`  ${label}: 1 core busy: ${fmt(m.oneCore)}; all ${m.allCores.spinners} cores busy: ${fmt(m.allCores)}`)
  }
  return out
}
