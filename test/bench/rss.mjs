import { readFileSync } from 'node:fs'

// Resident memory of the relay's processes under load, beside their CPU (cpu.mjs). VmRSS counts a
// process's worker threads too (they share its address space), so Parley's store thread is in
// its figure; a clustered target is the sum of its nodes.

// Often enough for a 5 s window to give 50 samples; a read of /proc/PID/status took about 55 µs on
// the 2-core benchmark VM under load, so the loadgen, which takes the samples, spends about 0.06%
// of a core per relay process on them.
const SAMPLE_INTERVAL_MS = 100

/** The VmRSS line of a /proc/PID/status text, in bytes; null when the text has none (a kernel thread, a zombie). */
export function parseVmRssBytes(statusText) {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(statusText)
  return match ? Number(match[1]) * 1024 : null
}

/** The RSS of every process in `pids`, summed, in bytes; null if any of them cannot be read (gone, or no /proc). */
export function readRssBytes(pids) {
  let sum = 0
  for (const pid of pids) {
    let bytes
    try {
      bytes = parseVmRssBytes(readFileSync(`/proc/${pid}/status`, 'utf8'))
    } catch {
      return null
    }
    if (bytes === null) return null
    sum += bytes
  }
  return sum
}

/** Peak and mean of `samples` (bytes, unreadable ones null); null when none could be read. */
export function summarizeRss(samples) {
  const read = samples.filter(Number.isFinite)
  if (read.length === 0) return null
  let peak = 0
  let sum = 0
  for (const bytes of read) {
    peak = Math.max(peak, bytes)
    sum += bytes
  }
  return { peak, mean: sum / read.length, samples: read.length }
}

/**
 * Samples the summed RSS of `pids` from `start()` until `stop()`, which returns { peak, mean,
 * samples } in bytes (null where /proc cannot be read). Both ends are sampled too, so a short
 * window still has figures.
 */
export function createRssSampler(pids, intervalMs = SAMPLE_INTERVAL_MS) {
  const samples = []
  let timer = null
  const sample = () => samples.push(readRssBytes(pids))
  return {
    start() {
      samples.length = 0
      sample()
      timer = setInterval(sample, intervalMs)
      // The window's end stops it; a loadgen that dies first must not be kept alive by it.
      timer.unref()
    },
    stop() {
      clearInterval(timer)
      sample()
      return summarizeRss(samples)
    },
  }
}
