import { describe, expect, it } from 'vitest'
import { INITIAL, reduce } from '../../../widget/src/console/state.js'

// What the console knows of the visitor's reading and of the relay's limits. Pure reducer cases.

describe('console read state and limits', () => {
  it("moves the visitor's read position forward only, per chat", () => {
    let s = reduce(INITIAL, { type: 'chat', convId: 'a', visitorId: 'v', context: null, closed: false })
    s = reduce(s, { type: 'read', convId: 'a', seq: 3 })
    s = reduce(s, { type: 'read', convId: 'a', seq: 2 })
    s = reduce(s, { type: 'read', convId: 'unknown', seq: 9 })
    expect(s.chats.a!.visitorReadSeq).toBe(3)
    expect(s.chats.unknown).toBeUndefined()
  })

  it("starts a rejoined chat at the visitor's read position from conversation.joined, and never moves it back", () => {
    let s = reduce(INITIAL, { type: 'chat', convId: 'a', visitorId: 'v', context: null, closed: false, visitorReadSeq: 4 })
    const rejoined = s.chats.a!.visitorReadSeq
    s = reduce(s, { type: 'read', convId: 'a', seq: 6 })
    s = reduce(s, { type: 'chat', convId: 'a', visitorId: 'v', context: null, closed: false, visitorReadSeq: 5 })
    expect(rejoined).toBe(4)
    expect(s.chats.a!.visitorReadSeq).toBe(6)
  })

  it("takes the text limit from the relay's welcome", () => {
    expect(reduce(INITIAL, { type: 'limits', maxText: 500 }).maxText).toBe(500)
  })
})
