import { describe, expect, it } from 'vitest'
import { TAIL_CHARS } from '@parley/sdk/masking'
import { SenderTails } from '../../../../server/src/relay/sender-tails.js'

// The relay's in-memory tails of each sender's last message follow a masking run's rewrites, so the
// next message is checked against the text as stored, not against the original.

describe('SenderTails.rewritten', () => {
  it("replaces the tail when the rewritten message is its sender's last one", () => {
    const tails = new SenderTails()
    tails.set('c1', 'visitor:v1', { brandId: 'b1', tail: 'card 4111 1111 1111 1111', seq: 4 })
    tails.rewritten('b1', { convId: 'c1', seq: 4, text: `${'x'.repeat(100)} card [card]`, identity: 'visitor:v1' })
    expect(tails.peek('b1', 'c1', 'visitor:v1')).toEqual({ brandId: 'b1', tail: `${'x'.repeat(100)} card [card]`.slice(-TAIL_CHARS), seq: 4 })
  })

  it("leaves the tail of a later message, another sender's and another brand's", () => {
    const tails = new SenderTails()
    tails.set('c1', 'visitor:v1', { brandId: 'b1', tail: 'newer', seq: 5 })
    tails.set('c1', 'agent:a1', { brandId: 'b1', tail: 'agent', seq: 4 })
    tails.rewritten('b1', { convId: 'c1', seq: 4, text: 'masked', identity: 'visitor:v1' })
    tails.rewritten('b2', { convId: 'c1', seq: 4, text: 'masked', identity: 'agent:a1' })
    expect(tails.peek('b1', 'c1', 'visitor:v1')?.tail).toBe('newer')
    expect(tails.peek('b1', 'c1', 'agent:a1')?.tail).toBe('agent')
  })
})
