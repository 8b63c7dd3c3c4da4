import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { spawnNode, stopChild } from './child.mjs'
import { startBaseline } from './baseline-target.mjs'
import { startParley } from './parley-target.mjs'
import { connectInspector, inspectorArgs } from './relay-inspector.mjs'
import { processMemory } from './process-memory.mjs'

// What idle connections cost a relay in memory: the relay's resident set (VmRSS) before any
// connection, then with `connections` idle visitor connections open (after a settle, then again
// after a full garbage collection through the relay's inspector), and the difference per
// connection. On Parley every connection says hello as the widget does for a new visitor of a site
// (load/idle-visitors.mjs), and the first `open` of them also open a conversation with one message;
// the baselines (raw ws, Socket.IO, which store nothing) get the same number of sockets. The load
// runs in processes of its own, so their sockets are not counted in the relay's figures.
//
// `node test/bench/idle-connections.mjs` runs it alone and prints a table; the harness calls
// `measureIdleConnections()` and reports its `results` ({ name, figure, unit, aim, pass }).
// Knobs: IDLE_CONNECTIONS (10000), IDLE_OPEN (0), IDLE_TARGETS (raw-ws,socketio,parley),
// IDLE_LOAD_PROCESSES (2), IDLE_SETTLE_SECONDS (5), IDLE_HOLD_SECONDS (0: how long to keep the
// connections open after measuring, e.g. to take a heap snapshot), BENCH_PARLEY_NODE_ARGS.

const LOAD = fileURLToPath(new URL('./load/idle-visitors.mjs', import.meta.url))
const MB = 1024 * 1024
/** The aim: Parley's relay under 200 MB with 10,000 idle visitor connections. */
const AIM_BYTES = 200 * MB
const AIM_CONNECTIONS = 10_000
const READY_TIMEOUT_MS = 300_000

const LABELS = { 'raw-ws': 'raw ws (no storage)', socketio: 'Socket.IO 4 (no storage)', parley: 'Parley (SQLite)' }

/** The settings from the environment (see the knobs above). */
export function idleConfig(env = process.env) {
  const num = (name, fallback) => (env[name] === undefined || env[name] === '' ? fallback : Number(env[name]))
  return {
    connections: num('IDLE_CONNECTIONS', AIM_CONNECTIONS),
    open: num('IDLE_OPEN', 0),
    targets: (env.IDLE_TARGETS ?? 'raw-ws,socketio,parley').split(',').map((s) => s.trim()).filter(Boolean),
    loadProcesses: num('IDLE_LOAD_PROCESSES', 2),
    settleSeconds: num('IDLE_SETTLE_SECONDS', 5),
    holdSeconds: num('IDLE_HOLD_SECONDS', 0),
    parleyNodeArgs: (env.BENCH_PARLEY_NODE_ARGS ?? '').split(' ').filter(Boolean),
  }
}

/**
 * Measures every target in `config.targets` in turn; resolves with `rows` (one per target, bytes),
 * `results` (the aim and per-connection figures, shaped for the report) and `problems`.
 */
export async function measureIdleConnections(config = idleConfig()) {
  const rows = []
  const problems = []
  for (const name of config.targets) {
    try {
      rows.push(await measureTarget(name, config))
    } catch (err) {
      problems.push(`${name}: ${err.message}`)
    }
  }
  return { rows, results: resultsOf(rows, config), problems }
}

async function measureTarget(name, config) {
  const inspector = await inspectorArgs()
  const target = name === 'parley'
    ? await startParley({ agentCount: 1, nodeArgs: [...inspector.args, ...config.parleyNodeArgs] })
    : await startBaseline(name, { nodeArgs: inspector.args })
  const loads = []
  let relay = null
  try {
    relay = await connectInspector(inspector.port)
    await sleep(1000)
    const before = await settledMemory(target.pid, relay)
    const ready = await openConnections(target, config, loads)
    await sleep(config.settleSeconds * 1000)
    const steady = processMemory(target.pid)
    const collected = await settledMemory(target.pid, relay)
    const lost = loads.reduce((n, load) => n + load.lost, 0)
    if (config.holdSeconds > 0) {
      process.stderr.write(`idle: ${name} (pid ${target.pid}) holds ${ready.opened} connections for ${config.holdSeconds} s\n`)
      await sleep(config.holdSeconds * 1000)
    }
    return { name, label: LABELS[name], ...ready, lost, before, steady, collected, notes: target.notes() }
  } finally {
    relay?.close()
    await Promise.all(loads.map((load) => stopChild(load.child)))
    await target.stop()
  }
}

/** The process's memory after a full collection, with the main isolate's own breakdown. */
async function settledMemory(pid, relay) {
  await relay.collectGarbage()
  await sleep(500)
  return { ...processMemory(pid), heap: await relay.memoryUsage() }
}

/** Starts the load processes and resolves once every connection is open (or failed). */
async function openConnections(target, config, loads) {
  const per = Math.ceil(config.connections / config.loadProcesses)
  const openPer = Math.ceil(config.open / config.loadProcesses)
  const started = []
  for (let p = 0, first = 0; first < config.connections; p++, first += per) {
    const count = Math.min(per, config.connections - first)
    const spec = {
      protocol: target.protocol, url: target.url, count, first, open: Math.min(openPer, count),
      ...(target.siteKey ? { siteKey: target.siteKey, origin: target.origin } : {}),
    }
    const load = { lost: 0, child: null }
    load.child = spawnNode(`idle load ${p + 1}`, [LOAD, JSON.stringify(spec)], {
      onJson: (line) => { if (line.event === 'lost') load.lost = line.count },
    })
    loads.push(load)
    started.push(load.child.waitForJson((line) => line.event === 'ready', READY_TIMEOUT_MS))
  }
  const answers = await Promise.all(started)
  return {
    opened: answers.reduce((n, a) => n + a.opened, 0),
    failed: answers.reduce((n, a) => n + a.failed, 0),
    errors: answers.flatMap((a) => a.errors),
  }
}

function resultsOf(rows, config) {
  const results = []
  const scaled = config.connections === AIM_CONNECTIONS && config.open === 0
  for (const row of rows) {
    const perConnection = (row.collected.rss - row.before.rss) / Math.max(1, row.opened)
    // The aim holds at both readings, so the figure is the higher one, the steady state before a
    // GC (young generation still holding the hellos' garbage); the reading after GC goes beside it.
    results.push({
      name: `${row.label}: relay RSS with ${row.opened} idle connections, steady (${round(row.collected.rss / MB)} MB after GC)`,
      figure: round(Math.max(row.steady.rss, row.collected.rss) / MB), unit: 'MB',
      ...(row.name === 'parley' && scaled ? { aim: '< 200 MB', pass: row.failed === 0 && row.steady.rss < AIM_BYTES && row.collected.rss < AIM_BYTES } : { aim: null, pass: null }),
    })
    results.push({ name: `${row.label}: relay RSS per idle connection`, figure: round(perConnection / 1024), unit: 'KB', aim: null, pass: null })
  }
  return results
}

const round = (x) => Math.round(x * 10) / 10

/** What a measurement prints: the table, the aim, then errors, notes and problems, one per line. */
export function formatIdleConnections({ rows, results, problems }) {
  const lines = [formatRows(rows), '']
  for (const r of results) if (r.aim) lines.push(`${r.name}: ${r.figure} ${r.unit} (aim ${r.aim}): ${r.pass ? 'PASS' : 'FAIL'}`)
  for (const row of rows) {
    if (row.errors.length) lines.push(`${row.name}: e.g. ${row.errors.join('; ')}`)
    for (const note of row.notes) lines.push(`${row.name}: ${note}`)
  }
  for (const p of problems) lines.push(`problem: ${p}`)
  return lines
}

/** Whether every target was measured and every connection stayed open. */
export function isIdleClean({ rows, problems }) {
  return problems.length === 0 && rows.every((r) => r.failed + r.lost === 0)
}

/** The result the aim is judged on (Parley at 10,000 idle connections), or undefined. */
export function idleAimResult({ results }) {
  return results.find((r) => r.aim)
}

function formatRows(rows) {
  const mb = (b) => (b / MB).toFixed(1)
  const lines = [
    'target                     conns  failed  RSS before  RSS open  RSS open+GC  per conn  heap used  external  anon/file',
  ]
  for (const r of rows) {
    const per = (r.collected.rss - r.before.rss) / Math.max(1, r.opened) / 1024
    lines.push([
      r.label.padEnd(25), String(r.opened).padStart(6), String(r.failed + r.lost).padStart(7),
      `${mb(r.before.rss)} MB`.padStart(11), `${mb(r.steady.rss)} MB`.padStart(9), `${mb(r.collected.rss)} MB`.padStart(12),
      `${per.toFixed(1)} KB`.padStart(9), `${mb(r.collected.heap.heapUsed)} MB`.padStart(10), `${mb(r.collected.heap.external)} MB`.padStart(9),
      `${mb(r.collected.anon)}/${mb(r.collected.file)}`.padStart(10),
    ].join(' '))
  }
  return lines.join('\n')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const config = idleConfig()
  process.stderr.write(`idle: ${config.connections} connections (${config.open} with a conversation) on ${config.targets.join(', ')}\n`)
  const measured = await measureIdleConnections(config)
  process.stdout.write(`${formatIdleConnections(measured).join('\n')}\n`)
  if (process.env.IDLE_JSON) process.stdout.write(`${JSON.stringify(measured)}\n`)
  process.exitCode = isIdleClean(measured) ? 0 : 1
}
