// Latency summaries for the benchmark. Nearest-rank percentiles on the full sample set: the runs
// are short enough (at most a few hundred thousand samples) that sorting beats any sketch, and an
// exact max matters more here than a bounded memory footprint.

/** The value at percentile `p` (0–100) of an ascending-sorted array, by nearest rank; NaN if empty. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]
}

/**
 * Count, mean, p50, p90, p99, p99.9 and max of a list of numbers (milliseconds in this bench), and
 * with `over`, the share of values above it (`overShare`: a p99 bar holds while that is <= 1%).
 */
export function summarize(values, { over } = {}) {
  const sorted = Float64Array.from(values).sort()
  let sum = 0
  for (const v of sorted) sum += v
  return {
    count: sorted.length,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    p999: percentile(sorted, 99.9),
    max: sorted.length ? sorted[sorted.length - 1] : Number.NaN,
    ...(over === undefined ? {} : { over, overShare: sorted.length ? countAbove(sorted, over) / sorted.length : Number.NaN }),
  }
}

function countAbove(sorted, limit) {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid] <= limit) lo = mid + 1
    else hi = mid
  }
  return sorted.length - lo
}
