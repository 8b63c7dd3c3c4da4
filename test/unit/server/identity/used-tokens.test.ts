import { describe, expect, it } from 'vitest'
import { MAX_USED, usedDigests, withUsed } from '../../../../server/src/identity/used-tokens.js'

describe('used identity tokens', () => {
  it('keeps the newest first, once each, at most MAX_USED', () => {
    let idt: string | null = null
    for (const d of ['a', 'b', 'a', 'c', 'd', 'e']) idt = withUsed(idt, d)
    expect(usedDigests(idt)).toEqual(['e', 'd', 'c', 'a'].slice(0, MAX_USED))
    expect(usedDigests(null)).toEqual([])
    expect(usedDigests('')).toEqual([])
  })
})
