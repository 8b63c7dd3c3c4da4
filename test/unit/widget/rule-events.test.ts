import { describe, expect, it } from 'vitest'
import type { RuleEvent, RuleEventBatch } from '@parley/sdk/contract'
import { BATCH_DELAY_MS, MAX_BATCH, RuleEventQueue } from '../../../widget/src/consumer/rule-events.js'

// Counted rule events leave in batches: one request for what happens together, at most 50 events
// each, and whatever waits when the page is hidden or leaves.

function harness() {
  const sent: RuleEventBatch[] = []
  const timers: { fn: () => void; ms: number }[] = []
  const queue = new RuleEventQueue({ send: (b) => sent.push(b), schedule: (fn, ms) => timers.push({ fn, ms }) })
  return { sent, timers, queue }
}
const ev = (n: number): RuleEvent => ({ ruleId: `r${n}`, arm: 'treatment', event: 'impression' })

describe('RuleEventQueue', () => {
  it('gathers events for one delay and sends them as one batch', () => {
    const { sent, timers, queue } = harness()
    queue.add(ev(1))
    queue.add(ev(2))
    expect(sent).toEqual([])
    expect(timers.map((t) => t.ms)).toEqual([BATCH_DELAY_MS])
    timers[0]!.fn()
    expect(sent).toEqual([{ events: [ev(1), ev(2)] }])
  })

  it('sends at once when a batch is full, and never more than 50 in one', () => {
    const { sent, queue } = harness()
    for (let i = 0; i < MAX_BATCH + 3; i++) queue.add(ev(i))
    expect(sent).toHaveLength(1)
    expect(sent[0]!.events).toHaveLength(MAX_BATCH)
    queue.flush()
    expect(sent.map((b) => b.events.length)).toEqual([MAX_BATCH, 3])
  })

  it('sends what waits on flush (the page hides or goes), and nothing when nothing waits', () => {
    const { sent, timers, queue } = harness()
    queue.add(ev(1))
    queue.flush()
    queue.flush()
    timers[0]!.fn()
    expect(sent).toEqual([{ events: [ev(1)] }])
  })

  it('starts a new delay for events after a batch went', () => {
    const { timers, queue } = harness()
    queue.add(ev(1))
    timers[0]!.fn()
    queue.add(ev(2))
    expect(timers).toHaveLength(2)
  })
})
