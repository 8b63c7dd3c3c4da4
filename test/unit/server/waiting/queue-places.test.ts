import { describe, expect, it } from 'vitest'
import { atLeastWaited, changedPlaces, estimateWaitSec, queuePlaces, roundWait } from '../../../../server/src/waiting/queue-places.js'

const MIN = 60_000
const chat = (convId: string, skill: string | null = null) => ({ convId, visitorId: `v-${convId}`, skill })
const none = { waitsMs: [], windowMs: 30 * MIN }

describe('queuePlaces', () => {
  it('numbers a queue without skills 1, 2, 3 in order', () => {
    const places = queuePlaces([chat('a'), chat('b'), chat('c')], none)
    expect([...places.values()].map((p) => p.position)).toEqual([1, 2, 3])
    expect(places.get('b')).toEqual({ visitorId: 'v-b', position: 2 })
  })

  it.each([
    // [queue, expected positions]: a chat ahead counts when it needs the same skill or none.
    [[chat('a', 'billing'), chat('b', 'sales'), chat('c', 'billing')], [1, 1, 2]],
    [[chat('a'), chat('b', 'sales'), chat('c', 'billing')], [1, 2, 2]],
    [[chat('a', 'sales'), chat('b'), chat('c', 'sales')], [1, 1, 3]],
    [[chat('a', 'sales'), chat('b', 'sales'), chat('c')], [1, 2, 1]],
  ] as const)('counts %j as %j', (queue, positions) => {
    expect([...queuePlaces(queue, none).values()].map((p) => p.position)).toEqual(positions)
  })
})

describe('estimateWaitSec', () => {
  it('gives no estimate from fewer than three acceptances', () => {
    expect(estimateWaitSec(1, { waitsMs: [MIN, MIN], windowMs: 30 * MIN })).toBeNull()
  })

  it('uses throughput when agents are busy: 10 accepted in 30 minutes puts the 4th about 12 minutes off', () => {
    const waits = Array.from({ length: 10 }, () => 20 * MIN)
    expect(estimateWaitSec(4, { waitsMs: waits, windowMs: 30 * MIN })).toBe(12 * 60)
  })

  it('uses the median wait when agents were idle: few visitors, each taken in 20 s', () => {
    const waits = [20_000, 25_000, 15_000]
    expect(estimateWaitSec(1, { waitsMs: waits, windowMs: 30 * MIN })).toBe(15)
    expect(estimateWaitSec(3, { waitsMs: waits, windowMs: 30 * MIN })).toBe(60)
  })

  it('rounds to 15 s under two minutes and to the minute after, never below 15 s', () => {
    expect([roundWait(0), roundWait(22), roundWait(23), roundWait(119), roundWait(150), roundWait(151)]).toEqual([15, 15, 30, 120, 180, 180])
  })
})

describe('atLeastWaited', () => {
  it('never tells a visitor less than they have waited already; no history stays no estimate', () => {
    expect(atLeastWaited(15, 4 * MIN)).toBe(240)
    expect(atLeastWaited(600, 4 * MIN)).toBe(600)
    expect(atLeastWaited(null, 4 * MIN)).toBeNull()
    expect(atLeastWaited(45, undefined)).toBe(45)
  })
})

describe('changedPlaces', () => {
  it('sends only new places and changed positions or estimates', () => {
    const sent = new Map([['a', { visitorId: 'v-a', position: 1 }], ['b', { visitorId: 'v-b', position: 2, estimatedWaitSec: 60 }]])
    const next = new Map([
      ['a', { visitorId: 'v-a', position: 1 }],
      ['b', { visitorId: 'v-b', position: 2, estimatedWaitSec: 45 }],
      ['c', { visitorId: 'v-c', position: 3 }],
    ])
    expect(changedPlaces(sent, next).map(([id]) => id)).toEqual(['b', 'c'])
  })
})
