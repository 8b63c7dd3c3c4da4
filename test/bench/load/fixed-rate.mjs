import { performance } from 'node:perf_hooks'
import { summarize } from '../stats.mjs'
import { sleep } from './sleep.mjs'

// Fixed offered load: an open loop that sends on a schedule whether or not acks come back, the
// way real visitors type regardless of how busy the relay is. Message n is due at
// t0 + n * (1000 / rate) ms and goes to conversation n % count, so each sender sends at
// rate / count per second and the senders are spread evenly across each period. When the
// generator falls behind it catches up in a burst and latency is still taken from the due time.

// Timer granularity in Node is ~1 ms; a tick sends everything due so far. The resulting send lag
// (actual send minus due time) is part of the reported latency and reported on its own too.
const TICK_MS = 1
const START_DELAY_MS = 20

/**
 * Fixed-rate mode at `rate` messages per second in total. `run(conversations)` resolves with the
 * meter's summary plus the offered rate and the generator's own send lag.
 */
export function createFixedRate({ meter, rate, warmupMs, measureMs, drainMs, nextNumber }) {
  return {
    onAck() {},
    async run(conversations) {
      const intervalMs = 1000 / rate
      const t0 = performance.now() + START_DELAY_MS
      const windowStart = t0 + warmupMs
      const windowEnd = windowStart + measureMs
      const lags = []
      let n = 0
      let timer = null

      const tick = () => {
        const now = performance.now()
        for (let due = t0 + n * intervalMs; due <= now && due < windowEnd; due = t0 + n * intervalMs) {
          const i = n % conversations.length
          const m = nextNumber(i)
          if (due >= windowStart) lags.push(performance.now() - due)
          meter.sent(i, m, due)
          conversations[i].send(m)
          n++
        }
        timer = setTimeout(tick, TICK_MS)
      }
      timer = setTimeout(tick, START_DELAY_MS)

      await sleep(windowStart - performance.now())
      meter.openWindow(windowStart)
      await sleep(windowEnd - performance.now())
      meter.closeWindow(windowEnd)
      clearTimeout(timer)
      const drained = await meter.drain(drainMs)
      return meter.summary({ offeredPerSecond: rate, sendLagMs: summarize(lags), ...drained })
    },
  }
}
