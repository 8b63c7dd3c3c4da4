import { bar, isClean } from './compare.mjs'
import { fixed, int, mebibytes, ms } from './format.mjs'

// Issue 20's aims ("relay efficiency"), judged from one run's results as PASS, FAIL or NOT RUN.
// Like the bars in compare.mjs they are reported, not enforced, and every one is a ratio between
// targets measured in the same run, so a busy machine moves both sides of it. Pure: results in,
// lines of data out.

/** Parley's messages per relay CPU-second (masking on, SQLite) against Socket.IO 4's, at saturation: at least. */
const CPU_VS_SOCKETIO = 1
/** Parley on PostgreSQL, one node, against Parley on SQLite, in messages per relay CPU-second: at least. */
const POSTGRES_VS_SQLITE = 0.8
/** Two nodes (PostgreSQL + Redis) against one, in delivered/s at saturation: at least. */
const TWO_NODES_VS_ONE = 1.6
/** Parley's p99 ack at the fixed load against the ws + SQLite reference's: at most. */
const P99_VS_WS_SQLITE = 1.2
/** Parley's peak relay RSS at saturation against Socket.IO 4's: at most. */
export const RSS_VS_SOCKETIO = 1.3

/**
 * The aims measured by scripts of their own rather than by the relay runs. Each script's result,
 * `{ name, figure, unit, aim, pass }`, is handed to `evaluateAims` under its `key`; a key with no
 * result is reported as NOT RUN, so the summary always lists every aim of the issue.
 */
export const STANDALONE_AIMS = [
  { key: 'idle-connections', name: '10,000 idle visitor connections: relay RSS < 200 MB', script: 'test/bench/idle-connections.mjs' },
  { key: 'agent-follow', name: 'an agent following 3,000 open conversations: < 50 KB per socket', script: 'test/bench/agent-follow.mjs' },
]

/**
 * `name`'s peak relay RSS in `mode` (every node summed) as a ratio to Socket.IO 4's in the same
 * mode; null when either was not measured.
 */
export function rssRatioToSocketIo(results, name, mode = 'saturation') {
  return ratio(results[name]?.[mode]?.relayRssBytes?.peak, results.socketio?.[mode]?.relayRssBytes?.peak)
}

/**
 * Every aim of the issue as `{ name, status, detail }`: the relay aims from `results` (target →
 * mode → loadgen result), then the standalone ones from `standalone` (key → script result).
 */
export function evaluateAims(results, config, standalone = {}) {
  const run = (name, mode) => results[name]?.[mode]
  const parley = (mode) => run('parley', mode)
  const perCpu = (name) => run(name, 'saturation')?.perRelayCpuSecond
  const delivered = (name) => run(name, 'saturation')?.deliveredPerSecond
  const p99 = (name) => run(name, 'fixed')?.ackMs?.p99
  const rss = (name) => run(name, 'saturation')?.relayRssBytes?.peak
  const aims = [
    judge(`messages per relay CPU-second: Parley (masking on) >= Socket.IO 4's (saturation)`,
      [parley('saturation'), run('socketio', 'saturation')], ratio(perCpu('parley'), perCpu('socketio')), (r) => r >= CPU_VS_SOCKETIO,
      (r) => `ratio ${fixed(r)}: ${int(perCpu('parley'))} against ${int(perCpu('socketio'))}`),
    judge(`messages per relay CPU-second: Parley on PostgreSQL (1 node) >= ${POSTGRES_VS_SQLITE} × Parley on SQLite's (saturation)`,
      [run('parley-pg', 'saturation'), parley('saturation')], ratio(perCpu('parley-pg'), perCpu('parley')), (r) => r >= POSTGRES_VS_SQLITE,
      (r) => `ratio ${fixed(r)}: ${int(perCpu('parley-pg'))} against ${int(perCpu('parley'))}`),
    judge(`delivered/s: Parley on PostgreSQL + Redis, 2 nodes >= ${TWO_NODES_VS_ONE} × 1 node (saturation)`,
      [run('parley-pg-2', 'saturation'), run('parley-pg', 'saturation')], ratio(delivered('parley-pg-2'), delivered('parley-pg')), (r) => r >= TWO_NODES_VS_ONE,
      (r) => `ratio ${fixed(r)}: ${int(delivered('parley-pg-2'))} against ${int(delivered('parley-pg'))} msgs/s`),
    judge(`p99 ack at ${int(config.rate)} msgs/s: Parley <= ${P99_VS_WS_SQLITE} × ws + SQLite's (fixed)`,
      [parley('fixed'), run('ws-sqlite', 'fixed')], ratio(p99('parley'), p99('ws-sqlite')), (r) => r <= P99_VS_WS_SQLITE,
      (r) => `ratio ${fixed(r)}: ${ms(p99('parley'))} against ${ms(p99('ws-sqlite'))}`),
    judge(`relay RSS: Parley <= ${RSS_VS_SOCKETIO} × Socket.IO 4's (saturation, peak)`,
      [parley('saturation'), run('socketio', 'saturation')], rssRatioToSocketIo(results, 'parley'), (r) => r <= RSS_VS_SOCKETIO,
      (r) => `ratio ${fixed(r)}: ${mebibytes(rss('parley'))} against ${mebibytes(rss('socketio'))}`),
  ]
  // Hook: the aims the relay runs do not measure, from their own scripts' results.
  for (const spec of STANDALONE_AIMS) aims.push(standaloneAim(spec, standalone[spec.key]))
  return aims
}

/** One standalone script's result as an aim line; NOT RUN without a result or with an error. */
function standaloneAim(spec, result) {
  if (!result) return { name: spec.name, status: 'NOT RUN', detail: `measured by ${spec.script}, not part of this run` }
  if (result.error) return { name: result.name ?? spec.name, status: 'NOT RUN', detail: `${spec.script} failed: ${result.error}` }
  const aim = typeof result.aim === 'number' ? `${figure(result.aim)} ${result.unit}` : String(result.aim)
  const status = result.pass === true ? 'PASS' : result.pass === false ? 'FAIL' : 'NOT RUN'
  return { name: result.name ?? spec.name, status, detail: `${figure(result.figure)} ${result.unit}; aim ${aim}` }
}

// A run that is missing or failed is NOT RUN, one with errors FAIL (bar() in compare.mjs).
function judge(name, inputs, value, holds, detail) {
  // `null <= 1.3` holds in JavaScript, so a missing figure is kept away from the comparison.
  const line = bar(name, inputs, () => value !== null && holds(value), detail(value))
  // Two clean runs without the figure (no /proc to read RSS from) prove nothing either way.
  if (line.status === 'FAIL' && value === null && inputs.every(isClean)) return { ...line, status: 'NOT RUN', detail: `${line.detail}; not measured` }
  return line
}

function ratio(a, b) {
  return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : null
}

function figure(n) {
  return Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: 1 }) : String(n)
}
