import { describe, expect, it } from 'vitest'
import { PairMap } from '../../../server/src/pair-map.js'

describe('PairMap', () => {
  it('keeps (a, b) pairs apart that a joined string key would confuse', () => {
    const m = new PairMap<string, string, number>()
    m.set('a\u0000b', 'c', 1)
    m.set('a', 'b\u0000c', 2)
    expect([m.get('a\u0000b', 'c'), m.get('a', 'b\u0000c'), m.size]).toEqual([1, 2, 2])
  })

  it('counts each pair once, however often it is set, and forgets it on delete', () => {
    const m = new PairMap<number, string, string>()
    m.set(1, 'x', 'first')
    m.set(1, 'x', 'second')
    m.set(1, 'y', 'other')
    expect([m.get(1, 'x'), m.size]).toEqual(['second', 2])
    expect([m.delete(1, 'x'), m.delete(1, 'x'), m.delete(2, 'x'), m.size]).toEqual([true, false, false, 1])
    m.delete(1, 'y')
    expect([m.get(1, 'y'), m.size]).toEqual([undefined, 0])
    m.set(2, 'z', 'again')
    m.clear()
    expect([m.get(2, 'z'), m.size]).toEqual([undefined, 0])
  })
})
