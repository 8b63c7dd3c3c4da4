import { describe, expect, it } from 'vitest'
import { Cursors } from '../../../../sdk/src/connection/cursors.js'

describe('Cursors', () => {
  it('advances only over contiguous seqs and remembers messages beyond a gap', () => {
    const c = new Cursors()
    expect(c.receive('a', 1)).toEqual({ fresh: true, advanced: true, gap: false })
    expect(c.receive('a', 3)).toEqual({ fresh: true, advanced: false, gap: true })
    expect(c.get('a')).toBe(1)
    expect(c.hasGap('a')).toBe(true)
    expect(c.receive('a', 2)).toEqual({ fresh: true, advanced: true, gap: false })
    expect(c.get('a')).toBe(3)
    expect(c.hasGap('a')).toBe(false)
  })

  it('takes messages that crossed between relay nodes out of order, each once, ending with no gap', () => {
    const c = new Cursors()
    c.reset('a', 3)
    const fresh = [5, 4, 5, 4, 6].map((seq) => c.receive('a', seq).fresh)
    expect(fresh).toEqual([true, true, false, false, true])
    expect(c.get('a')).toBe(6)
    expect(c.hasGap('a')).toBe(false)
  })

  it('reports a replayed message it already holds as not fresh, below or beyond the cursor', () => {
    const c = new Cursors()
    c.receive('a', 1)
    c.receive('a', 4)
    expect(c.receive('a', 1).fresh).toBe(false)
    expect(c.receive('a', 4).fresh).toBe(false)
  })

  it('never moves a restored cursor back', () => {
    const c = new Cursors()
    c.restore('a', 10)
    c.restore('a', 3)
    expect(c.get('a')).toBe(10)
    expect(c.receive('a', 9).fresh).toBe(false)
  })
})
