// Turns raw results into the comparisons the issue asks for: Parley as a fraction of each
// baseline, and the two pass/fail bars. Pure: results in, data out.

const BASELINES = ['raw-ws', 'socketio', 'ws-sqlite']
/** Parley on other stores, compared with raw ws and with Parley on SQLite (the `parley` target). */
export const STORE_VARIANTS = ['parley-pg', 'parley-pg-2']
const MODES = ['saturation', 'fixed', 'scaled']
const SATURATION_BAR = 0.5
export const P99_BAR_MS = 10
// The issue measured its scale figures on a machine where raw ws relayed about 64k msgs/s at
// saturation, so its 10k/s fixed load was about a sixth of what that machine could relay at all.
// `scaled` offers the same share of this machine's raw ws saturation, measured in the same run.
export const ISSUE_RAW_WS_SATURATION = 64_000

/**
 * The offered rate of the `scaled` mode: BENCH_SCALED_RATE if given, else the issue's rate scaled
 * by this run's raw ws saturation against the issue's machine; null when neither is known.
 */
export function scaledRate(config, results) {
  if (config.scaledRate) return config.scaledRate
  const raw = results['raw-ws']?.saturation
  return isClean(raw) ? Math.round((config.rate * raw.deliveredPerSecond) / ISSUE_RAW_WS_SATURATION) : null
}

/** The share of its own saturation rate a target is offered in the `sustained` mode. */
export const SUSTAINED_SHARE = 0.5

/**
 * The offered rate of `name`'s `sustained` mode: BENCH_SUSTAINED_RATE if given, else SUSTAINED_SHARE
 * of what that target delivered at saturation in this run; null when that run did not complete cleanly.
 */
export function sustainedRate(config, results, name) {
  if (config.sustainedRate) return config.sustainedRate
  const saturation = results[name]?.saturation
  return isClean(saturation) ? Math.max(1, Math.round(SUSTAINED_SHARE * saturation.deliveredPerSecond)) : null
}

/**
 * Whether a loadgen result exists and measured the intended scenario cleanly: no errors, nothing
 * lost, and no deliveries outside each 1:1 conversation (which would be a different workload).
 */
export function isClean(result) {
  return Boolean(result) && !result.error && result.errors === 0 && result.unacked === 0 &&
    result.undelivered === 0 && result.foreign === 0 && result.unknownAcks === 0
}

/**
 * Parley's figures as ratios to each baseline (`saturation`: delivered rate, higher is better;
 * `fixed`: delivered rate and p99 ack, lower is better for latency), the same for each store
 * variant that ran (`variants`: against raw ws and Parley on SQLite), and the issue's bars.
 */
export function compare(results, config) {
  const parley = results.parley ?? {}
  const ratios = ratiosOf(parley, BASELINES, results)
  // Parley on PostgreSQL (one node, two through Redis) beside raw ws and beside Parley on SQLite.
  const variants = Object.fromEntries(STORE_VARIANTS.filter((name) => results[name] && !results[name].error)
    .map((name) => [name, ratiosOf(results[name], ['raw-ws', 'parley'], results)]))
  const satRatio = ratios.saturation['raw-ws']
  const p99 = parley.fixed?.ackMs?.p99
  const bars = [
    bar(`Parley >= ${SATURATION_BAR * 100}% of raw ws at saturation`,
      [parley.saturation, results['raw-ws']?.saturation], () => satRatio >= SATURATION_BAR, `ratio ${fmt(satRatio)}`),
    bar(`Parley p99 ack <= ${P99_BAR_MS} ms at ${config.rate / 1000}k/s offered`,
      [parley.fixed], () => p99 <= P99_BAR_MS, `p99 ${fmt(p99)} ms`),
  ]
  // Not the issue's bar: the same bar at the issue's share of this machine, for context.
  const scaled = parley.scaled
  const context = config.modes.includes('scaled')
    ? [bar(`Parley p99 ack <= ${P99_BAR_MS} ms at the issue's load scaled to this machine`,
      [scaled], () => scaled.ackMs.p99 <= P99_BAR_MS, `p99 ${fmt(scaled?.ackMs?.p99)} ms at ${scaled?.offeredPerSecond} msgs/s`)]
    : []
  // The issue's aim for masking: the relay masking every message (the defaults) within 10% of the
  // same relay with masking off, in messages per relay CPU-second at saturation, in the same run.
  const off = results['parley-masking-off']
  if (off) {
    const cost = ratio(parley.saturation?.perRelayCpuSecond, off.saturation?.perRelayCpuSecond)
    const delivered = ratio(parley.saturation?.deliveredPerSecond, off.saturation?.deliveredPerSecond)
    context.push(bar(`Parley with masking >= ${MASKING_BAR * 100}% of masking off (msgs per relay CPU-second, saturation)`,
      [parley.saturation, off.saturation], () => cost >= MASKING_BAR, `ratio ${fmt(cost)}; delivered/s ratio ${fmt(delivered)}`))
  }
  return { ratios, variants, bars, context }
}

/**
 * `subject`'s figures as ratios to each of `bases` (`saturation`: delivered rate, higher is better;
 * `fixed`/`scaled`: delivered rate and p99 ack, lower is better for latency; `perRelayCpuSecond`).
 */
function ratiosOf(subject, bases, results) {
  const ratios = { saturation: {}, fixed: {}, scaled: {}, perRelayCpuSecond: { saturation: {}, fixed: {}, scaled: {} } }
  for (const base of bases) {
    const b = results[base] ?? {}
    ratios.saturation[base] = ratio(subject.saturation?.deliveredPerSecond, b.saturation?.deliveredPerSecond)
    // Messages per relay CPU-second: the efficiency ratio, which still holds when the loadgen (or
    // the machine) and not the relay set the pace of a run.
    for (const mode of MODES) {
      ratios.perRelayCpuSecond[mode][base] = ratio(subject[mode]?.perRelayCpuSecond, b[mode]?.perRelayCpuSecond)
    }
    for (const mode of ['fixed', 'scaled']) {
      ratios[mode][base] = {
        delivered: ratio(subject[mode]?.deliveredPerSecond, b[mode]?.deliveredPerSecond),
        p99: ratio(subject[mode]?.ackMs?.p99, b[mode]?.ackMs?.p99),
      }
    }
  }
  return ratios
}

const MASKING_BAR = 0.9

/**
 * A pass/fail line over the runs in `inputs`: NOT RUN when one is missing or failed, FAIL when one
 * lost messages or saw errors (its figure proves nothing), else PASS when `passes()` holds.
 */
export function bar(name, inputs, passes, detail) {
  if (inputs.some((r) => !r || r.error)) return { name, status: 'NOT RUN', detail: 'a required run is missing or failed' }
  const dirty = inputs.some((r) => !isClean(r))
  // A figure from a run that lost messages or got error frames proves nothing, so it cannot pass.
  return { name, status: !dirty && passes() ? 'PASS' : 'FAIL', detail: dirty ? `${detail}; the run had errors` : detail }
}

function ratio(a, b) {
  return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : null
}

function fmt(n) {
  return n === null || n === undefined || !Number.isFinite(n) ? 'n/a' : n.toFixed(2)
}
