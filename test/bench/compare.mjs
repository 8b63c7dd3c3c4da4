// Turns raw results into the comparisons the issue asks for: Parley as a fraction of each
// baseline, and the two pass/fail bars. Pure: results in, data out.

const BASELINES = ['raw-ws', 'socketio', 'ws-sqlite']
const SATURATION_BAR = 0.5
export const P99_BAR_MS = 10

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
 * `fixed`: delivered rate and p99 ack, lower is better for latency), and the bars.
 */
export function compare(results, config) {
  const parley = results.parley ?? {}
  const ratios = { saturation: {}, fixed: {} }
  for (const base of BASELINES) {
    const b = results[base] ?? {}
    ratios.saturation[base] = ratio(parley.saturation?.deliveredPerSecond, b.saturation?.deliveredPerSecond)
    ratios.fixed[base] = {
      delivered: ratio(parley.fixed?.deliveredPerSecond, b.fixed?.deliveredPerSecond),
      p99: ratio(parley.fixed?.ackMs?.p99, b.fixed?.ackMs?.p99),
    }
  }
  const satRatio = ratios.saturation['raw-ws']
  const p99 = parley.fixed?.ackMs?.p99
  const bars = [
    bar(`Parley >= ${SATURATION_BAR * 100}% of raw ws at saturation`,
      [parley.saturation, results['raw-ws']?.saturation], () => satRatio >= SATURATION_BAR, `ratio ${fmt(satRatio)}`),
    bar(`Parley p99 ack <= ${P99_BAR_MS} ms at ${config.rate / 1000}k/s offered`,
      [parley.fixed], () => p99 <= P99_BAR_MS, `p99 ${fmt(p99)} ms`),
  ]
  return { ratios, bars }
}

function bar(name, inputs, passes, detail) {
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
