import { describe, expect, it } from 'vitest'
import { createInProcessBus } from '../../../../server/src/bus/in-process.js'
import { inProcessBuckets } from '../../../../server/src/relay/rate-limiter.js'
import { inProcessLocks } from '../../../../server/src/routing/brand-locks.js'
import type { BusEvent } from '../../../../server/src/bus/bus.js'

// A single node keeps today's behaviour: delivery is a synchronous call, limits answer at once
// (no promise on the hot path), and brand locks cost nothing.

const event: BusEvent = { brandId: 'b', audience: { kind: 'agents' }, frame: { type: 'pong' } as unknown as BusEvent['frame'] }

describe('the in-process defaults', () => {
  it('delivers a published event synchronously and never reports a gap', () => {
    const bus = createInProcessBus()
    const got: BusEvent[] = []
    let gaps = 0
    bus.subscribe((e) => got.push(e))
    bus.onGap(() => { gaps++ })
    bus.publish(event)
    bus.publish({ ...event, localOnly: true })
    expect(got).toHaveLength(2)
    expect(gaps).toBe(0)
  })

  it('answers a bucket take synchronously, refusing past the burst and taking a refund back', () => {
    const buckets = inProcessBuckets('test', 1, 2)
    const first = buckets.take('k', 0)
    expect(first).not.toBeInstanceOf(Promise)
    expect(first).toEqual({ ok: true })
    expect(buckets.take('k', 0)).toEqual({ ok: true })
    expect(buckets.take('k', 0)).toEqual({ ok: false, retryAfterMs: 1000 })
    buckets.refund('k')
    expect(buckets.take('k', 0)).toEqual({ ok: true })
  })

  it('runs a job under the in-process lock at once', async () => {
    expect(await inProcessLocks.hold('b', async () => 42)).toBe(42)
  })
})
