import { setFlagsFromString } from 'node:v8'

// The relay's heap settings: how far V8 lets its old generation grow past what the last full
// collection left alive, and whether it pretenures.
//
// A relay under load keeps each message's objects (the parsed frame, the append request, the ack)
// until its batch commits: tens of milliseconds, across a young collection or two. V8's
// allocation-site pretenuring sees most objects of such a site survive and from then on allocates
// them straight into the old generation, where they die; dead there, they would still hold their
// young referents through the remembered set, which would explain why far more is promoted with
// pretenuring on than off. V8 then lets the old generation grow to up to 4 times what its last full
// collection left alive before collecting again, so the relay's RSS under load was mostly garbage.
//
// The growth alone keeps the RSS down but collects often, for a good share of the CPU. With
// pretenuring off as well, little reaches the old generation and the same growth collects every few
// seconds, at the CPU per message of V8's own settings (test/bench/README.md, "Pretenuring"). That
// pair is the default; `0` gives V8 back both choices.

/** The relay's default growth, applied with pretenuring off. */
export const DEFAULT_HEAP_GROWTH_PERCENT = 20

/** The largest growth accepted: 300%, a factor of 4, V8's own largest. */
const MAX_HEAP_GROWTH_PERCENT = 300

/**
 * The heap growth from PARLEY_HEAP_GROWTH (unset: the default; `0`: V8's own choices). Throws on
 * anything but a whole number from 0 to 300.
 */
export function readHeapGrowth(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_HEAP_GROWTH_PERCENT
  const n = Number(raw)
  if (!/^\d+$/.test(raw) || n > MAX_HEAP_GROWTH_PERCENT) throw new Error(`PARLEY_HEAP_GROWTH must be a whole number of percent from 0 to ${MAX_HEAP_GROWTH_PERCENT} (0: V8's own choices), got ${JSON.stringify(raw)}`)
  return n
}

/**
 * Sets V8's old-generation growth to `percent` and turns pretenuring off, for the rest of the
 * process; 0 leaves V8 both. V8 reads the growth each time a full collection sets the next limit,
 * and the pretenuring flag whenever it would track an allocation site or decide for one (a site
 * decided before stays so): set them at start-up, before any of the relay's sites is decided.
 */
export function applyHeapGrowth(percent: number): void {
  if (percent === 0) return
  setFlagsFromString('--no-allocation-site-pretenuring')
  setFlagsFromString(`--heap-growing-percent=${percent}`)
}
