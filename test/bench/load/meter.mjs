import { writeFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { summarize } from '../stats.mjs'
import { P99_BAR_MS } from '../compare.mjs'
import { readMachineCpuSeconds, readOwnCpuSeconds, readProcessCpuSeconds } from '../cpu.mjs'

// Bookkeeping shared by both load modes. Latency is taken from each message's *intended* send
// time (the schedule in fixed-rate mode, the actual send in saturation mode), so a generator that
// falls behind reports the queueing instead of hiding it (no coordinated omission).

const MAX_ERROR_SAMPLES = 10
// BENCH_TRACE=<file>: every measured message's intended send time (Unix ms) and ack latency, one
// pair per line, so a latency tail can be lined up against a relay's own timestamps afterwards.
const TRACE_FILE = process.env.BENCH_TRACE || null

/**
 * A meter for one run. `sent(id, intendedMs)` before each send; `acked(id)` and `delivered()`
 * from the socket events; `openWindow()` / `closeWindow()` bracket the measured interval; only
 * messages intended inside it count towards latency. `serverPid` lets it sample the relay's CPU.
 */
export function createMeter({ serverPid }) {
  const pending = new Map()
  const latencies = []
  const trace = TRACE_FILE ? [] : null
  const errorSamples = []
  const counts = { sent: 0, acked: 0, delivered: 0, foreign: 0, errors: 0, unknownAcks: 0 }
  // start/end bound intended send times (latency); openedAt and the close are the wall-clock times
  // the delivered count and CPU were sampled (rate). They differ by timer slack only.
  const measured = { start: Infinity, end: Infinity, openedAt: 0, deliveredAtStart: 0, cpuAtStart: null }
  let result = null

  return {
    counts,
    sent(id, intendedMs) {
      counts.sent++
      pending.set(id, intendedMs)
    },
    acked(id) {
      const now = performance.now()
      const intended = pending.get(id)
      if (intended === undefined) {
        counts.unknownAcks++
        return
      }
      pending.delete(id)
      counts.acked++
      if (intended >= measured.start && intended < measured.end) {
        latencies.push(now - intended)
        trace?.push(intended)
      }
    },
    delivered() {
      counts.delivered++
    },
    foreign() {
      counts.foreign++
    },
    error(detail) {
      counts.errors++
      if (errorSamples.length < MAX_ERROR_SAMPLES) errorSamples.push(detail)
    },
    openWindow(latencyFrom = performance.now()) {
      measured.start = latencyFrom
      measured.openedAt = performance.now()
      measured.deliveredAtStart = counts.delivered
      measured.cpuAtStart = { own: readOwnCpuSeconds(), server: readProcessCpuSeconds(serverPid), machine: readMachineCpuSeconds() }
    },
    closeWindow(latencyUntil = performance.now()) {
      measured.end = latencyUntil
      const delivered = counts.delivered - measured.deliveredAtStart
      const seconds = (performance.now() - measured.openedAt) / 1000
      const start = measured.cpuAtStart
      const perSecond = (now, then) => (now === null || then === null ? null : (now - then) / seconds)
      const loadgen = perSecond(readOwnCpuSeconds(), start.own)
      const server = perSecond(readProcessCpuSeconds(serverPid), start.server)
      const machine = perSecond(readMachineCpuSeconds(), start.machine)
      result = {
        windowSeconds: seconds,
        deliveredInWindow: delivered,
        deliveredPerSecond: delivered / seconds,
        // Fractions of one core; on 2 cores, either side near 1.0 is the bottleneck.
        cpu: {
          loadgen,
          server,
          // Everything else on the machine (builds, other tests): when high, the figures are disturbed.
          others: machine === null || server === null ? null : Math.max(0, machine - server - loadgen),
        },
      }
    },
    /** Waits until every sent message is acked and delivered, or `timeoutMs` passes. */
    async drain(timeoutMs) {
      const deadline = performance.now() + timeoutMs
      while (performance.now() < deadline && (pending.size > 0 || counts.delivered < counts.sent)) {
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      // Unacked messages from the window still count, as lower bounds, so a stall shows in the tail.
      const now = performance.now()
      let unackedInWindow = 0
      for (const intended of pending.values()) {
        if (intended >= measured.start && intended < measured.end) {
          latencies.push(now - intended)
          unackedInWindow++
        }
      }
      return { unacked: pending.size, unackedInWindow, undelivered: Math.max(0, counts.sent - counts.delivered) }
    },
    /** Everything measured, as plain JSON. */
    summary(extra = {}) {
      if (trace) writeTrace(trace, latencies)
      return { ...result, ackMs: summarize(latencies, { over: P99_BAR_MS }), ...counts, errorSamples, ...extra }
    },
  }
}

// Unacked messages added to `latencies` by drain() have no trace entry: they come last, so the two
// arrays pair up index by index.
function writeTrace(intended, latencies) {
  const lines = intended.map((t, i) => `${(t + performance.timeOrigin).toFixed(3)} ${latencies[i].toFixed(3)}`)
  writeFileSync(TRACE_FILE, `${lines.join('\n')}\n`)
}
