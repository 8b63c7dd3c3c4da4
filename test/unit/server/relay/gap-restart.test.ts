import { describe, expect, it } from 'vitest'
import type { Bus, GapBrands } from '../../../../server/src/bus/bus.js'
import type { OpenSession } from '../../../../server/src/relay/context.js'
import { restartSessionsOnGap } from '../../../../server/src/relay/gap-restart.js'
import { createFakeClock } from '../../../helpers/fake-clock.js'
import { createFakeScheduler } from '../../../helpers/fake-scheduler.js'

// Which connections a fan-out gap closes, and over how long.

function gapBus(): Bus & { gap(brands: GapBrands): void } {
  const handlers = new Set<(brands: GapBrands) => void>()
  return {
    publish() {}, subscribe: () => () => {}, publishToNodes() {}, subscribeNodes: () => () => {}, async close() {},
    onGap(h) { handlers.add(h); return () => { handlers.delete(h) } },
    gap(brands) { for (const h of handlers) h(brands) },
  }
}

function session(brandId: string): OpenSession & { failed: number } {
  const s = {
    brandId, failed: 0, ws: null as unknown as OpenSession['ws'],
    checkAlive: () => true, quiesce() {}, fail() { s.failed++ },
    isAuthenticated: true, principal: { kind: 'visitor' as const, brandId, visitorId: 'v_1' }, sessionId: null, setRole() {},
  }
  return s
}

function setup(sessions: OpenSession[], random = () => 0.999, ratePerSec = 500) {
  const clock = createFakeClock(0)
  const scheduler = createFakeScheduler(clock)
  const bus = gapBus()
  const set = new Set(sessions)
  const gaps: number[] = []
  const stop = restartSessionsOnGap(bus, set, { clock, scheduler, random, ratePerSec, minSpreadMs: 2000, onGap: (n) => gaps.push(n) })
  return { clock, scheduler, bus, set, gaps, stop }
}

describe('restartSessionsOnGap', () => {
  it('closes only the connections of the brands the gap names', () => {
    const a = session('a')
    const b = session('b')
    const { bus, scheduler } = setup([a, b])
    bus.gap(new Set(['a']))
    scheduler.advance(2000)
    expect(a.failed).toBe(1)
    expect(b.failed).toBe(0)
  })

  it('closes every connection on a gap of all brands', () => {
    const a = session('a')
    const b = session('b')
    const { bus, scheduler } = setup([a, b])
    bus.gap('all')
    scheduler.advance(2000)
    expect([a.failed, b.failed]).toEqual([1, 1])
  })

  it('spreads the closes over at least the minimum, at the random moment the source gives', () => {
    const a = session('a')
    const { bus, scheduler } = setup([a], () => 0.5)
    bus.gap('all')
    scheduler.advance(999)
    expect(a.failed).toBe(0)
    scheduler.advance(1)
    expect(a.failed).toBe(1)
  })

  it('widens the spread to the number of connections over the rate', () => {
    const many = Array.from({ length: 50 }, () => session('a'))
    // 50 connections at 10/s: 5 s, past the 2 s minimum.
    const { bus, scheduler } = setup(many, () => 0.999, 10)
    bus.gap('all')
    scheduler.advance(2000)
    expect(many.filter((s) => s.failed > 0)).toHaveLength(0)
    scheduler.advance(3000)
    expect(many.every((s) => s.failed === 1)).toBe(true)
  })

  it('merges a gap arriving during a wave into it: each connection closes once, within that spread', () => {
    const a = session('a')
    const b = session('b')
    const { bus, scheduler, gaps } = setup([a, b])
    bus.gap(new Set(['a']))
    scheduler.advance(1000)
    bus.gap(new Set(['a', 'b']))
    expect(gaps).toEqual([1, 1])
    scheduler.advance(1000)
    expect([a.failed, b.failed]).toEqual([1, 1])
    expect(scheduler.pending).toBe(0)
  })

  it('leaves the connections alone once stopped', () => {
    const a = session('a')
    const { bus, scheduler, stop } = setup([a])
    bus.gap('all')
    stop()
    scheduler.advance(5000)
    expect(a.failed).toBe(0)
  })
})
