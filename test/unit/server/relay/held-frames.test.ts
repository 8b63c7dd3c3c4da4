import { describe, expect, it } from 'vitest'
import { HeldFrames } from '../../../../server/src/relay/held-frames.js'

describe('HeldFrames', () => {
  it('gives frames back oldest first and counts their bytes', () => {
    const held = new HeldFrames()
    held.push('a', 1)
    held.push('bb', 2)
    expect(held.bytes).toBe(3)
    expect(held.take()).toBe('a')
    expect(held.bytes).toBe(2)
    expect(held.take()).toBe('bb')
    expect(held.isEmpty).toBe(true)
    expect(held.take()).toBeUndefined()
  })

  it('does not grow on a connection that always has frames waiting', () => {
    const held = new HeldFrames()
    for (let i = 0; i < 10; i++) held.push(`f${i}`, 2)
    let next = 0
    let most = 0
    // A socket that drains one frame for every frame written, never catching up completely.
    for (let i = 10; i < 100_000; i++) {
      held.push(`f${i}`, 2)
      expect(held.take()).toBe(`f${next++}`)
      most = Math.max(most, held.slots)
    }
    expect(held.bytes).toBe(20)
    expect(most).toBeLessThanOrEqual(2 * 11)
  })

  it('forgets everything on clear', () => {
    const held = new HeldFrames()
    held.push('a', 1)
    held.clear()
    expect([held.isEmpty, held.bytes, held.slots]).toEqual([true, 0, 0])
  })
})
