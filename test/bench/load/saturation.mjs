import { performance } from 'node:perf_hooks'
import { sleep } from './sleep.mjs'

// Saturation: a closed loop where each sender keeps `inflight` messages unacked and sends the next
// one on every ack, so the relay, not a timer, sets the pace. The figure is the rate at which
// messages reach the agents while every sender is busy.

/**
 * Saturation mode. The loadgen calls `onAck(i)` after each ack on conversation `i`, and
 * `run(conversations)` resolves with the meter's summary once the window has closed and drained.
 */
export function createSaturation({ meter, inflight, warmupMs, measureMs, drainMs, nextNumber }) {
  let conversations = []
  let stopped = false
  const sendNext = (i) => {
    const n = nextNumber(i)
    meter.sent(i, n, performance.now())
    conversations[i].send(n)
  }
  return {
    onAck(i) {
      if (!stopped) sendNext(i)
    },
    async run(opened) {
      conversations = opened
      for (let i = 0; i < conversations.length; i++) {
        for (let k = 0; k < inflight; k++) sendNext(i)
      }
      await sleep(warmupMs)
      meter.openWindow()
      await sleep(measureMs)
      meter.closeWindow()
      stopped = true
      const drained = await meter.drain(drainMs)
      return meter.summary({ inflightPerSender: inflight, ...drained })
    },
  }
}
