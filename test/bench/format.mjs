// How the benchmark's printed tables write a figure. A figure that is missing (a run that failed,
// a reading /proc could not give) prints as `n/a`, never as 0 or NaN.

/** A whole number with thousands separators. */
export function int(n) {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a'
}

/** Milliseconds, two decimals below 10 ms. */
export function ms(n) {
  return Number.isFinite(n) ? `${n < 10 ? n.toFixed(2) : n.toFixed(1)} ms` : 'n/a'
}

/** Microseconds, one decimal. */
export function micros(n) {
  return Number.isFinite(n) ? `${n.toFixed(1)} µs` : 'n/a'
}

/** Bytes as MiB, one decimal (the kernel's kB in /proc are KiB). */
export function mebibytes(n) {
  return Number.isFinite(n) ? `${(n / 2 ** 20).toFixed(1)} MiB` : 'n/a'
}

/** A fraction as a percentage, two decimals below 10%. */
export function share(n) {
  return Number.isFinite(n) ? `${(n * 100).toFixed(n < 0.1 ? 2 : 1)}%` : 'n/a'
}

/** A fraction (of a core) as a whole percentage. */
export function pct(n) {
  return Number.isFinite(n) ? `${Math.round(n * 100)}%` : 'n/a'
}

/** A ratio, two decimals. */
export function fixed(n) {
  return Number.isFinite(n) ? n.toFixed(2) : 'n/a'
}

/** A run's rate: delivered/s, or acked/s for the ceiling, whose relay delivers nothing. */
export function relayed(r) {
  return r?.delivers === false ? `${int(r?.ackedPerSecond)} acked` : int(r?.deliveredPerSecond)
}

/** A target's label without its parenthesised detail: `Socket.IO 4 (no storage)` → `Socket.IO 4`. */
export function short(label) {
  return label.replace(/ \(.*\)$/, '')
}

/** A PASS / FAIL / NOT RUN line of the report: `{ name, status, detail }`. */
export function barLine(bar) {
  return `  ${bar.status.padEnd(7)} ${bar.name} (${bar.detail})`
}
