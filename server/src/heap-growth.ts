import { setFlagsFromString } from 'node:v8'

// How far V8 lets its old generation grow past what the last full collection left alive before it
// collects again. By default V8 picks a factor of up to 4 from how fast it collects, and a relay under
// load promotes a steady trickle of short-lived objects (the frames and acks of messages that waited
// across two scavenges): at 37k msgs/s the old space went from 46 to 104 MiB of mostly garbage in a
// 6 s window, and the relay's RSS with it. A growth of 20% keeps it near the live size (peak RSS
// 234 -> 168 MiB) for a full collection every second or so under load, which cost about a tenth of
// the messages per CPU-second at saturation in the runs measured. CPU is what most relays run short
// of, so the default is V8's own, and a memory-bound deployment (a small container) sets a growth
// (test/bench/README.md, "The old generation's growth").

/** The relay's default: 0, V8 picks the old generation's growth itself. */
export const DEFAULT_HEAP_GROWTH_PERCENT = 0

/** The growth that docs/operations.md suggests for a relay short of memory. */
export const LEAN_HEAP_GROWTH_PERCENT = 20

/** The largest growth accepted: 300%, a factor of 4, V8's own largest. */
const MAX_HEAP_GROWTH_PERCENT = 300

/**
 * The heap growth from PARLEY_HEAP_GROWTH (`0` or unset: V8's own choice). Throws on anything but
 * a whole number from 0 to 300.
 */
export function readHeapGrowth(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_HEAP_GROWTH_PERCENT
  const n = Number(raw)
  if (!/^\d+$/.test(raw) || n > MAX_HEAP_GROWTH_PERCENT) throw new Error(`PARLEY_HEAP_GROWTH must be a whole number of percent from 0 to ${MAX_HEAP_GROWTH_PERCENT} (0: V8's own choice), got ${JSON.stringify(raw)}`)
  return n
}

/**
 * Sets V8's old-generation growth to `percent` for the rest of the process (0 leaves V8's own).
 * V8 reads it each time a full collection sets the next limit, so setting it at start-up is enough.
 */
export function applyHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`)
}
