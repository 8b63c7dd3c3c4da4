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

// A sender with tabs on two nodes: what they wrote through the other node reaches this node's tail
// through the bus (message.new), so a card number split across the two tabs is still seen.
describe('SenderTails.stored', () => {
  const from = { kind: 'visitor' as const, id: 'v1' }

  it("moves a kept tail on to the sender's message stored through another node", () => {
    const tails = new SenderTails()
    tails.set('c1', 'visitor:v1', { brandId: 'b1', tail: 'hello', seq: 3 })
    tails.stored('b1', { convId: 'c1', seq: 4, text: 'my card is 4111 1111', from })
    expect(tails.peek('b1', 'c1', 'visitor:v1')).toEqual({ brandId: 'b1', tail: 'my card is 4111 1111', seq: 4 })
  })

  it('keeps a newer tail, one still waiting for its commit, and adds none for a sender not kept', () => {
    const tails = new SenderTails()
    tails.set('c1', 'visitor:v1', { brandId: 'b1', tail: 'newer', seq: 6 })
    tails.set('c2', 'visitor:v1', { brandId: 'b1', tail: 'pending', seq: null })
    tails.stored('b1', { convId: 'c1', seq: 5, text: 'older', from })
    tails.stored('b1', { convId: 'c2', seq: 9, text: 'other node', from })
    tails.stored('b1', { convId: 'c3', seq: 1, text: 'not kept', from })
    tails.stored('b2', { convId: 'c1', seq: 7, text: 'other brand', from })
    expect(tails.peek('b1', 'c1', 'visitor:v1')?.tail).toBe('newer')
    expect(tails.peek('b1', 'c2', 'visitor:v1')?.tail).toBe('pending')
    expect(tails.peek('b1', 'c3', 'visitor:v1')).toBeUndefined()
  })
})

// An erased conversation's text may not stay in any node's memory.
describe('SenderTails.forget', () => {
  it("drops every sender's tail of the erased conversations of that brand only", () => {
    const tails = new SenderTails()
    tails.set('c1', 'visitor:v1', { brandId: 'b1', tail: 'my address', seq: 2 })
    tails.set('c1', 'agent:a1', { brandId: 'b1', tail: 'noted', seq: 3 })
    tails.set('c2', 'visitor:v1', { brandId: 'b1', tail: 'other chat', seq: 1 })
    tails.set('c3', 'visitor:v9', { brandId: 'b2', tail: 'another brand', seq: 1 })
    tails.forget('b1', ['c1', 'c3'])
    expect(tails.peek('b1', 'c1', 'visitor:v1')).toBeUndefined()
    expect(tails.peek('b1', 'c1', 'agent:a1')).toBeUndefined()
    expect(tails.peek('b1', 'c2', 'visitor:v1')?.tail).toBe('other chat')
    expect(tails.peek('b2', 'c3', 'visitor:v9')?.tail).toBe('another brand')
  })
})
