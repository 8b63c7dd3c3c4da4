import { describe, expect, it } from 'vitest'
import { createPendingSends } from '../../bench/load/pending-sends.mjs'

describe('the loadgen pending-send table', () => {
  it('gives a message its intended time once, then -1 (a repeated ack counts as unknown)', () => {
    const pending = createPendingSends(2)
    pending.add(1, 5, 12.5)
    expect([pending.take(1, 5), pending.take(1, 5), pending.size]).toEqual([12.5, -1, 0])
  })

  it('keeps conversations apart', () => {
    const pending = createPendingSends(2)
    pending.add(0, 1, 3)
    expect([pending.take(1, 1), pending.take(0, 1)]).toEqual([-1, 3])
  })

  it('grows past its first slots and keeps what it held', () => {
    const pending = createPendingSends(1)
    pending.add(0, 1, 1)
    pending.add(0, 100_000, 2)
    expect([pending.size, pending.take(0, 1), pending.take(0, 100_000)]).toEqual([2, 1, 2])
  })

  it('lists every message still pending', () => {
    const pending = createPendingSends(3)
    pending.add(0, 1, 10)
    pending.add(2, 7, 30)
    pending.add(1, 2, 20)
    pending.take(1, 2)
    const left: number[] = []
    pending.forEach((t) => left.push(t))
    expect(left.sort((a, b) => a - b)).toEqual([10, 30])
  })

  it('gives -1 for a number it never saw, however large', () => {
    expect(createPendingSends(1).take(0, 5_000_000)).toBe(-1)
  })
})
