import { steadinessLines } from './steadiness.mjs'
import { ISSUE_RAW_WS_SATURATION, P99_BAR_MS, STORE_VARIANTS, SUSTAINED_SHARE, scaledRate } from './compare.mjs'
import { barLine, fixed, int, mebibytes, micros, ms, pct, relayed, share, short } from './format.mjs'
import { RSS_VS_SOCKETIO, rssRatioToSocketIo } from './aims.mjs'

// The human-readable report: one table per mode, Parley's ratios to each baseline under it, then
// the issue's bars. Formatting only; every figure comes from the loadgen results and compare.mjs.

const LABEL_WIDTH = 40
const CELL_WIDTH = 14
const FAILED = 'did not run (see Problems)'
// The fixed-rate tick is 1 ms, so a few ms of send lag at p99 is the generator's normal jitter.
const SEND_LAG_NOTE_MS = 5

/** The report for `results` (target → mode → loadgen result) as printable text. */
export function formatReport({ results, labels, comparison, config, machine }) {
  const out = []
  out.push('')
  out.push(`Parley relay benchmark: ${config.conversations} conversations (1 visitor sends, 1 agent receives), ${config.textBytes}-byte texts`)
  out.push(`${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}; ${config.warmupSeconds} s warm-up, ${config.seconds} s measured per run`)
  if (machine.busyBefore > 0.15) {
    out.push(`WARNING: before the run, other processes kept ${pct(machine.busyBefore)} of a core busy; expect disturbed figures`)
  }

  if (config.modes.includes('saturation')) {
    out.push('')
    out.push(`Saturation: each sender keeps ${config.inflight} messages unacked`)
    out.push(row('', ['delivered/s', 'ack p50', 'ack p99', 'ack max', 'relay CPU', 'msgs/CPU-s', 'loadgen CPU', 'loadgen/msg', 'RSS peak', 'RSS mean', 'errors']))
    for (const [name, byMode] of Object.entries(results)) {
      const r = byMode.saturation
      if (!r && !byMode.error) continue
      out.push(row(labels[name], byMode.error || r?.error ? [FAILED] : [
        relayed(r), ms(r?.ackMs?.p50), ms(r?.ackMs?.p99), ms(r?.ackMs?.max),
        pct(r?.cpu?.server), int(r?.perRelayCpuSecond), pct(r?.cpu?.loadgen), micros(r?.loadgenCpuMicrosPerMessage), ...rssCells(r), problems(r),
      ]))
    }
    out.push(ratioLine('delivered/s', comparison.ratios.saturation, labels, (x) => x))
    out.push(ratioLine('messages per relay CPU-second', comparison.ratios.perRelayCpuSecond.saturation, labels, (x) => x))
    out.push(...variantLines('saturation', comparison.variants, labels))
    out.push(...cpuPerMessageLines('saturation', results, labels))
    out.push(...rssRatioLines(results, labels))
    out.push(...ceilingLines(results))
  }

  if (config.modes.includes('fixed')) {
    out.push('')
    out.push(`Fixed load: ${int(config.rate)} msgs/s offered (${int(config.rate / config.conversations)}/s per sender, latency from the scheduled send time)`)
    out.push(...fixedTable('fixed', results, labels, comparison))
  }

  if (config.modes.includes('scaled')) {
    const rate = scaledRate(config, results)
    const raw = results['raw-ws']?.saturation?.deliveredPerSecond
    out.push('')
    out.push(config.scaledRate
      ? `Scaled load: ${int(rate)} msgs/s offered (BENCH_SCALED_RATE)`
      : `Scaled load: ${int(rate)} msgs/s offered, the issue's share of this machine: ${int(config.rate)} × raw ws here (${int(raw)}/s) / ${int(ISSUE_RAW_WS_SATURATION)}/s on the issue's machine`)
    out.push(...fixedTable('scaled', results, labels, comparison))
  }

  if (config.modes.includes('sustained') && Object.values(results).some((byMode) => byMode.sustained)) {
    out.push('')
    out.push(config.sustainedRate
      ? `Sustained load (the PostgreSQL targets, instead of fixed and scaled): ${int(config.sustainedRate)} msgs/s offered (BENCH_SUSTAINED_RATE)`
      : `Sustained load (the PostgreSQL targets, instead of fixed and scaled): ${SUSTAINED_SHARE * 100}% of each target's own saturation rate in this run, offered as in fixed`)
    out.push(...sustainedTable(results, labels))
  }

  const steadiness = machine.steadiness ?? {}
  if (steadiness.before || steadiness.after) {
    out.push('')
    out.push(...steadinessLines({ 'before the relays': steadiness.before, 'after the relays ': steadiness.after }))
  }

  out.push('')
  out.push('Bars (from the issue; reported, not enforced)')
  out.push(...comparison.bars.map(barLine))
  if (comparison.context?.length) out.push('For context (not the issue\'s bars)', ...comparison.context.map(barLine))
  const stall = Math.max(steadiness.before?.allCores.longestStallMs ?? 0, steadiness.after?.allCores.longestStallMs ?? 0)
  if (config.modes.includes('fixed') && stall > P99_BAR_MS) {
    out.push(`  Note: with every core busy the machine itself stalled a process for ${stall.toFixed(1)} ms; at 10k msgs/s the relay`)
    out.push(`  and the loadgen keep both cores busy, so a p99 under ${P99_BAR_MS} ms is not measurable on this machine in this run.`)
  }

  const notes = collectNotes(results, labels)
  if (notes.length) {
    out.push('')
    out.push('Problems')
    for (const note of notes) out.push(`  ${note}`)
  }
  out.push('')
  return out.join('\n')
}

// A fixed-rate mode's table: one row per target, then Parley's ratios to each baseline.
function fixedTable(mode, results, labels, comparison) {
  const out = [row('', ['delivered/s', 'ack p50', 'ack p99', `> ${P99_BAR_MS} ms`, 'ack max', 'relay CPU', 'msgs/CPU-s', 'loadgen CPU', 'loadgen/msg', 'send lag p99', 'RSS peak', 'RSS mean', 'errors'])]
  for (const [name, byMode] of Object.entries(results)) {
    const r = byMode[mode]
    if (!r && !byMode.error) continue
    out.push(row(labels[name], byMode.error || r?.error ? [FAILED] : [
      relayed(r), ms(r?.ackMs?.p50), ms(r?.ackMs?.p99), share(r?.ackMs?.overShare), ms(r?.ackMs?.max),
      pct(r?.cpu?.server), int(r?.perRelayCpuSecond), pct(r?.cpu?.loadgen), micros(r?.loadgenCpuMicrosPerMessage), ms(r?.sendLagMs?.p99), ...rssCells(r), problems(r),
    ]))
  }
  out.push(ratioLine('delivered/s', comparison.ratios[mode], labels, (x) => x.delivered))
  out.push(ratioLine('p99 ack (lower is better)', comparison.ratios[mode], labels, (x) => x.p99))
  out.push(ratioLine('messages per relay CPU-second', comparison.ratios.perRelayCpuSecond[mode], labels, (x) => x))
  out.push(...variantLines(mode, comparison.variants, labels))
  out.push(...cpuPerMessageLines(mode, results, labels))
  return out
}

// The sustained mode's table: each target at its own offered rate; no baseline runs it, so no ratios.
function sustainedTable(results, labels) {
  const out = [row('', ['offered/s', 'delivered/s', 'ack p50', 'ack p99', `> ${P99_BAR_MS} ms`, 'ack max', 'relay CPU', 'msgs/CPU-s', 'send lag p99', 'RSS peak', 'RSS mean', 'errors'])]
  for (const [name, byMode] of Object.entries(results)) {
    const r = byMode.sustained
    if (!r) continue
    out.push(row(labels[name], byMode.error || r.error ? [FAILED] : [
      int(r.offeredPerSecond), relayed(r), ms(r.ackMs?.p50), ms(r.ackMs?.p99), share(r.ackMs?.overShare), ms(r.ackMs?.max),
      pct(r.cpu?.server), int(r.perRelayCpuSecond), ms(r.sendLagMs?.p99), ...rssCells(r), problems(r),
    ]))
  }
  out.push(...cpuPerMessageLines('sustained', results, labels))
  return out
}

// Parley on PostgreSQL (one node, two through Redis): its ratios to raw ws and to Parley on SQLite.
function variantLines(mode, variants = {}, labels) {
  // A variant that does not run this mode (the PostgreSQL targets run `sustained` instead of the
  // fixed-rate modes) has no ratios to print.
  return Object.entries(variants).filter(([, ratios]) => ratios.perRelayCpuSecond[mode] && Object.values(ratios.perRelayCpuSecond[mode]).some((r) => r !== null)).map(([name, ratios]) => {
    const parts = mode === 'saturation'
      ? [ratioParts('delivered/s', ratios.saturation, labels, (x) => x)]
      : [ratioParts('delivered/s', ratios[mode], labels, (x) => x.delivered), ratioParts('p99 ack', ratios[mode], labels, (x) => x.p99)]
    parts.push(ratioParts('msgs per relay CPU-s', ratios.perRelayCpuSecond[mode], labels, (x) => x))
    return `  ${labels[name] ?? name}: ${parts.join(';  ')}`
  })
}

function ratioParts(what, ratios, labels, pick) {
  return `${what} ${Object.entries(ratios).map(([base, r]) => `/ ${short(labels[base] ?? base)} = ${fixed(pick(r))}`).join(', ')}`
}

// Relay CPU per message relayed (every node's process summed), and on a line of its own the CPU
// the PostgreSQL and Redis processes spent per message: on one machine they share the relay's
// cores, and the relay's figure does not include them.
function cpuPerMessageLines(mode, results, labels) {
  const relay = []
  const services = []
  for (const [name, byMode] of Object.entries(results)) {
    const r = byMode[mode]
    if (!r || r.error || !Number.isFinite(r.perRelayCpuSecond)) continue
    relay.push(`${short(labels[name] ?? name)} ${micros(1e6 / r.perRelayCpuSecond)}`)
    const used = r.serviceCpuMicrosPerMessage
    if (!used) continue
    const each = Object.entries(used).filter(([, us]) => us !== null)
      .map(([service, us]) => `${SERVICE_NAMES[service] ?? service} ${micros(us)} (${pct(r.cpu?.services?.[service])} of a core)`)
    services.push(`${short(labels[name] ?? name)}: ${each.join(', ')}`)
  }
  const out = relay.length ? [`  relay CPU per message (nodes summed): ${relay.join('   ')}`] : []
  if (services.length) out.push(`  PostgreSQL / Redis CPU per message (not in relay CPU): ${services.join('   ')}`)
  return out
}

// The relay's resident memory over the window, every node's process summed.
function rssCells(r) {
  return [mebibytes(r?.relayRssBytes?.peak), mebibytes(r?.relayRssBytes?.mean)]
}

// The issue's memory aim at saturation: Parley's peak RSS against Socket.IO's, and the same for
// the PostgreSQL targets that ran (two nodes summed, and per node beside it).
function rssRatioLines(results, labels) {
  const out = []
  for (const name of ['parley', ...STORE_VARIANTS]) {
    const r = results[name]?.saturation
    if (!r || r.error || !results.socketio?.saturation) continue
    const nodes = r.relayProcesses ?? 1
    const ratio = rssRatioToSocketIo(results, name)
    const perNode = nodes > 1 && Number.isFinite(ratio) ? `, ${fixed(ratio / nodes)} a node` : ''
    const summed = nodes > 1 ? `${nodes} nodes summed${perNode}; ` : ''
    out.push(`  relay RSS: ${short(labels[name] ?? name)} / ${short(labels.socketio ?? 'socketio')} = ${fixed(ratio)} (${summed}aim <= ${RSS_VS_SOCKETIO})`)
  }
  return out
}

const SERVICE_NAMES = { postgres: 'PostgreSQL backends', postgresShared: 'PostgreSQL WAL/checkpoint writers (shared)', redis: 'Redis' }

// What the loadgen can drive at all: the null relay's ack rate (sending and acking only), and the
// loadgen's CPU per message with deliveries too (raw ws), so a relay's figure near either is the
// loadgen's, not the relay's.
function ceilingLines(results) {
  const ceiling = results.ceiling?.saturation
  if (!ceiling || ceiling.error) return []
  const out = [`  loadgen ceiling: ${int(ceiling.ackedPerSecond)} msgs/s sent and acked (null relay) at ${micros(ceiling.loadgenCpuMicrosPerMessage)} of loadgen CPU per message`]
  const full = results['raw-ws']?.saturation?.loadgenCpuMicrosPerMessage
  if (Number.isFinite(full)) {
    out.push(`  with deliveries (raw ws) the loadgen spends ${micros(full)} per message: one core drives at most ~${int(1e6 / full)} delivered msgs/s`)
  }
  return out
}

function ratioLine(what, ratios, labels, pick) {
  const parts = Object.entries(ratios).map(([base, r]) => `Parley / ${short(labels[base] ?? base)} = ${fixed(pick(r))}`)
  return `  ${what}: ${parts.join('   ')}`
}

function collectNotes(results, labels) {
  const notes = []
  for (const [name, byMode] of Object.entries(results)) {
    if (byMode.error) notes.push(`${labels[name]}: ${byMode.error}`)
    for (const note of byMode.notes ?? []) notes.push(`${labels[name]}: ${note}`)
    for (const [mode, r] of Object.entries(byMode)) {
      if (!r || typeof r !== 'object' || Array.isArray(r)) continue
      const where = `${labels[name]}, ${mode}`
      if (r.error) notes.push(`${where}: ${r.error}`)
      if (r.errors > 0) notes.push(`${where}: ${r.errors} errors, e.g. ${r.errorSamples.join(' | ')}`)
      if (r.unacked > 0) notes.push(`${where}: ${r.unacked} messages never acked`)
      if (r.undelivered > 0) notes.push(`${where}: ${r.undelivered} messages never delivered to the agent`)
      if (r.foreign > 0) notes.push(`${where}: agents got ${r.foreign} copies of other conversations' messages (fan-out to every connection of an agent?); try BENCH_PARLEY_AGENTS=${r.conversations}`)
      if (r.unknownAcks > 0) notes.push(`${where}: ${r.unknownAcks} acks for unknown or repeated message ids`)
      const rate = r.delivers === false ? r.ackedPerSecond : r.deliveredPerSecond
      if (r.offeredPerSecond && rate < 0.98 * r.offeredPerSecond) {
        notes.push(`${where}: delivered ${int(rate)}/s of ${int(r.offeredPerSecond)}/s offered; the relay (or the loadgen) could not keep up`)
      }
      if (r.sendLagMs?.p99 > SEND_LAG_NOTE_MS) notes.push(`${where}: the loadgen sent late (p99 ${ms(r.sendLagMs.p99)}, max ${ms(r.sendLagMs.max)}); the machine or the loadgen stalled, and that delay is inside the ack latencies`)
      if (r.cpu?.others > 0.15) notes.push(`${where}: other processes used ${pct(r.cpu.others)} of a core during the window; the machine was not quiet, so these figures are disturbed`)
      // Against the null relay the loadgen is meant to be the limit.
      if (r.cpu?.loadgen > 0.9 && r.delivers !== false) notes.push(`${where}: loadgen CPU ${pct(r.cpu.loadgen)}; it may be the bottleneck, so this figure is a lower bound`)
    }
  }
  return notes
}

function problems(r) {
  if (!r) return '-'
  return String((r.errors ?? 0) + (r.unacked ?? 0) + (r.undelivered ?? 0))
}

function row(label, cells) {
  const text = cells.length === 1 && cells[0] === FAILED ? `  ${FAILED}` : cells.map((c) => String(c).padStart(CELL_WIDTH)).join('')
  return `  ${(label ?? '').padEnd(LABEL_WIDTH)}${text}`
}
