import { execFileSync } from 'node:child_process'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { DEFAULT_HEAP_GROWTH_PERCENT, readHeapGrowth } from '../../../server/src/heap-growth.js'

// The module as built (npm test builds first): V8's heap settings need a process of their own.
const BUILT = pathToFileURL(fileURLToPath(new URL('../../../server/dist/heap-growth.js', import.meta.url))).href

// Each workload below starts by applying the relay's settings for the growth passed as its argument.
const APPLY = `const growth = Number(process.argv[1])
if (growth > 0) (await import(${JSON.stringify(BUILT)})).applyHeapGrowth(growth)`

/** Runs `script` (an ES module) in a Node of its own with `nodeFlags` and `growth`; returns what it prints, as a number. */
const inChild = (script: string, nodeFlags: string[], growth: number): number =>
  // A fixed heap limit: V8's own growth factor depends on it, and Node sizes it from the host's memory.
  Number(execFileSync(process.execPath, [...nodeFlags, '--max-old-space-size=4096', '--input-type=module', '-e', script, String(growth)], { encoding: 'utf8' }))

// A workload shaped like a relay's under load: a live set, then objects that live long enough to be
// promoted to the old generation and then die. Prints the old space's peak use in bytes.
const CHURN = `
import { getHeapSpaceStatistics } from 'node:v8'
${APPLY}
const old = () => getHeapSpaceStatistics().find((s) => s.space_name === 'old_space').space_used_size
const live = Array.from({ length: 24 }, (_, k) => Array.from({ length: 16384 }, (_, i) => ({ k, i })))
globalThis.gc()
const ring = new Array(100000).fill(null)
let peak = 0
for (let n = 0; n < 3000000; n++) {
  ring[n % ring.length] = { n, t: 'x'.repeat(40) + n }
  if (n % 2000 === 0) peak = Math.max(peak, old())
}
// The live set is still alive here, as a relay's is.
process.stdout.write(String(live.length === 24 ? peak : -1))
`

// V8's own growth factor is up to 4 from a 2 GB heap limit on: the fixed limit makes it so on any host.
const oldSpacePeak = (growth: number): number => inChild(CHURN, ['--expose-gc'], growth)

// Batches of small objects that outlive a young collection, as a relay's messages do while their
// batch waits for its commit. Prints the bytes V8 allocated straight into the old generation
// (pretenured) between collections: the old space's use before each collection less its use after
// the one before.
const BATCHES = `
import v8 from 'node:v8'
${APPLY}
const profiler = new v8.GCProfiler()
profiler.start()
const waiting = []
for (let n = 0; n < 4000; n++) {
  const batch = []
  for (let i = 0; i < 200; i++) batch.push({ n, i, text: 'message ' + n + '.' + i })
  waiting.push(batch)
  if (waiting.length > 400) waiting.shift()
}
const { statistics } = profiler.stop()
const old = (spaces) => spaces.heapSpaceStatistics.find((s) => s.spaceName === 'old_space').spaceUsedSize
let pretenured = 0
for (let i = 1; i < statistics.length; i++) pretenured += old(statistics[i].beforeGC) - old(statistics[i - 1].afterGC)
process.stdout.write(String(waiting.length === 400 ? pretenured : -1))
`

// V8 decides to pretenure only once its young generation has grown to its largest, and the batches
// alive here (about 15 MB) must outgrow it early for the decision to come before the loop's code is
// optimised: a small fixed young generation makes that so on any host.
const pretenuredBytes = (growth: number): number => inChild(BATCHES, ['--max-semi-space-size=4'], growth)

describe('readHeapGrowth', () => {
  it('takes the default unless set, 0 for V8 choosing itself, and a whole percent up to 300', () => {
    expect(DEFAULT_HEAP_GROWTH_PERCENT).toBe(20)
    expect(readHeapGrowth(undefined)).toBe(DEFAULT_HEAP_GROWTH_PERCENT)
    expect(readHeapGrowth('')).toBe(DEFAULT_HEAP_GROWTH_PERCENT)
    expect(readHeapGrowth('0')).toBe(0)
    expect(readHeapGrowth('20')).toBe(20)
    expect(readHeapGrowth('35')).toBe(35)
    expect(readHeapGrowth('300')).toBe(300)
  })

  it.each(['-5', '1.5', '20%', 'lots', '301', ' 20'])('refuses %j, naming the setting', (raw) => {
    expect(() => readHeapGrowth(raw)).toThrow(/^PARLEY_HEAP_GROWTH must be a whole number of percent from 0 to 300/)
  })
})

describe('applyHeapGrowth', () => {
  it('keeps the old generation near its live size where V8 on its own lets garbage pile up', () => {
    const own = oldSpacePeak(0)
    const capped = oldSpacePeak(DEFAULT_HEAP_GROWTH_PERCENT)
    // On the benchmark VM: 181-190 MB on V8's own, 64-73 MB at 20 percent (about 30 MB alive).
    expect(capped).toBeLessThan(own / 2)
  })

  it('stops V8 allocating objects that outlive a young collection straight into the old generation', () => {
    // On the benchmark VM: 27-34 MB pretenured on V8's own, none with the relay's settings.
    expect(pretenuredBytes(0)).toBeGreaterThan(5 * 1024 * 1024)
    expect(pretenuredBytes(DEFAULT_HEAP_GROWTH_PERCENT)).toBeLessThan(1024 * 1024)
  })
})
