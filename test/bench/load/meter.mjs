import { writeFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { summarize } from '../stats.mjs'
import { P99_BAR_MS } from '../compare.mjs'
import { readMachineCpuSeconds, readOwnCpuSeconds, readProcessCpuSeconds } from '../cpu.mjs'
import { createPendingSends } from './pending-sends.mjs'
import { createServiceCpu } from '../service-cpu.mjs'
import { createRssSampler } from '../rss.mjs'

// Bookkeeping shared by both load modes. Latency is taken from each message's *intended* send
// time (the schedule in fixed-rate mode, the actual send in saturation mode), so a generator that
// falls behind reports the queueing instead of hiding it (no coordinated omission).

const MAX_ERROR_SAMPLES = 10
// BENCH_TRACE=<file>: every measured message's intended send time (Unix ms) and ack latency, one
// pair per line, so a latency tail can be lined up against a relay's own timestamps afterwards.
const TRACE_FILE = process.env.BENCH_TRACE || null

/**
 * A meter for one run. `sent(i, n, intendedMs)` before sending message `n` of conversation `i`;
 * `acked(i, n)` and `delivered()` from the socket events; `openWindow()` / `closeWindow()` bracket
 * the measured interval; only messages intended inside it count towards latency. `serverPids` lets
 * it sample the relay's CPU and RSS (every node's, summed), `services` ({ postgresDatabase, redisPid })
 * that of the PostgreSQL and Redis processes the relay uses (service-cpu.mjs). With
 * `delivers: false` (the null relay, which only acks) nothing is expected to reach an agent, and
 * the rate is the ack rate.
 */
export function createMeter({ serverPids, services = null, conversations, delivers = true }) {
  const serviceCpu = services ? createServiceCpu(services) : null
  const relayRss = createRssSampler(serverPids)
  const pending = createPendingSends(conversations)
  const latencies = []
  const trace = TRACE_FILE ? [] : null
  const errorSamples = []
  const counts = { sent: 0, acked: 0, delivered: 0, foreign: 0, errors: 0, unknownAcks: 0 }
  // start/end bound intended send times (latency); openedAt and the close are the wall-clock times
  // the delivered count and CPU were sampled (rate). They differ by timer slack only.
  const measured = { start: Infinity, end: Infinity, openedAt: 0, deliveredAtStart: 0, ackedAtStart: 0, cpuAtStart: null }
  let result = null

  return {
    counts,
    sent(i, n, intendedMs) {
      counts.sent++
      pending.add(i, n, intendedMs)
    },
    acked(i, n) {
      const now = performance.now()
      const intended = pending.take(i, n)
      if (intended < 0) {
        counts.unknownAcks++
        return
      }
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
      measured.ackedAtStart = counts.acked
      measured.cpuAtStart = { own: readOwnCpuSeconds(), server: readServersCpuSeconds(serverPids), machine: readMachineCpuSeconds(), services: serviceCpu?.sample() }
      relayRss.start()
    },
    closeWindow(latencyUntil = performance.now()) {
      measured.end = latencyUntil
      const delivered = counts.delivered - measured.deliveredAtStart
      const acked = counts.acked - measured.ackedAtStart
      const seconds = (performance.now() - measured.openedAt) / 1000
      const start = measured.cpuAtStart
      const perSecond = (now, then) => (now === null || then === null ? null : (now - then) / seconds)
      const loadgen = perSecond(readOwnCpuSeconds(), start.own)
      const server = perSecond(readServersCpuSeconds(serverPids), start.server)
      const machine = perSecond(readMachineCpuSeconds(), start.machine)
      const servicesUsed = serviceCpu ? serviceCpu.used(start.services, serviceCpu.sample()) : null
      const rssBytes = relayRss.stop()
      // Messages relayed: delivered ones, or acked ones where the relay delivers nothing.
      const relayed = delivers ? delivered : acked
      result = {
        windowSeconds: seconds,
        deliveredInWindow: delivered,
        deliveredPerSecond: delivered / seconds,
        ackedInWindow: acked,
        ackedPerSecond: acked / seconds,
        // Efficiency, which holds even when the loadgen and not the relay set the pace: messages
        // relayed per CPU-second the relay used, and the loadgen's own CPU time per message.
        perRelayCpuSecond: server ? relayed / (server * seconds) : null,
        // PostgreSQL's and Redis's CPU per message relayed, in µs; not part of the relay's figures.
        serviceCpuMicrosPerMessage: servicesUsed && relayed > 0 ? perMessage(servicesUsed, relayed) : null,
        loadgenCpuMicrosPerMessage: loadgen !== null && relayed > 0 ? (loadgen * seconds * 1e6) / relayed : null,
        // The relay's resident memory during the window, every node's summed: { peak, mean, samples }
        // in bytes, or null where /proc cannot be read.
        relayRssBytes: rssBytes,
        relayProcesses: serverPids.length,
        // Fractions of one core; on 2 cores, either side near 1.0 is the bottleneck.
        cpu: {
          loadgen,
          server,
          // The database and Redis this relay uses (null when it uses neither), in cores.
          services: servicesUsed ? perSecondEach(servicesUsed, seconds) : null,
          // Everything else on the machine (builds, other tests): when high, the figures are disturbed.
          others: machine === null || server === null ? null : Math.max(0, machine - server - loadgen - sumOf(servicesUsed) / seconds),
        },
      }
    },
    /** Waits until every sent message is acked and delivered, or `timeoutMs` passes. */
    async drain(timeoutMs) {
      const deadline = performance.now() + timeoutMs
      const undelivered = () => (delivers ? Math.max(0, counts.sent - counts.delivered) : 0)
      while (performance.now() < deadline && (pending.size > 0 || undelivered() > 0)) {
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      // Unacked messages from the window still count, as lower bounds, so a stall shows in the tail.
      const now = performance.now()
      let unackedInWindow = 0
      pending.forEach((intended) => {
        if (intended >= measured.start && intended < measured.end) {
          latencies.push(now - intended)
          unackedInWindow++
        }
      })
      return { unacked: pending.size, unackedInWindow, undelivered: undelivered() }
    },
    /** Everything measured, as plain JSON. */
    summary(extra = {}) {
      if (trace) writeTrace(trace, latencies)
      return { ...result, ackMs: summarize(latencies, { over: P99_BAR_MS }), ...counts, errorSamples, ...extra }
    },
  }
}

// The relay's CPU seconds: every node's process summed; null if any cannot be read.
function readServersCpuSeconds(pids) {
  let sum = 0
  for (const pid of pids) {
    const s = readProcessCpuSeconds(pid)
    if (s === null) return null
    sum += s
  }
  return sum
}

function perMessage(used, relayed) {
  return Object.fromEntries(Object.entries(used).map(([k, s]) => [k, s === null ? null : (s * 1e6) / relayed]))
}

function perSecondEach(used, seconds) {
  return Object.fromEntries(Object.entries(used).map(([k, s]) => [k, s === null ? null : s / seconds]))
}

function sumOf(used) {
  return used ? Object.values(used).reduce((sum, s) => sum + (s ?? 0), 0) : 0
}

// Unacked messages added to `latencies` by drain() have no trace entry: they come last, so the two
// arrays pair up index by index.
function writeTrace(intended, latencies) {
  const lines = intended.map((t, i) => `${(t + performance.timeOrigin).toFixed(3)} ${latencies[i].toFixed(3)}`)
  writeFileSync(TRACE_FILE, `${lines.join('\n')}\n`)
}
