import { describe, expect, it } from 'vitest'
import { INITIAL, reduce, type ConsoleState } from '../../../widget/src/console/state.js'

// Accepting a waiting conversation: it is on screen, loading, before the relay answers. Pure cases.

const waiting = (convId: string) => ({ convId, visitorId: `visitor-${convId}`, createdAt: 1, lastSeq: 1, preview: `from ${convId}`, context: { title: 'Shop' } })

function withChatOnScreen(): ConsoleState {
  let s = reduce(INITIAL, { type: 'queue', entries: [waiting('a'), waiting('b')] })
  s = reduce(s, { type: 'chat', convId: 'a', visitorId: 'visitor-a', context: null, closed: false })
  return reduce(s, { type: 'select', convId: 'a' })
}

describe('console state while accepting', () => {
  it('puts the accepted chat on screen at once, loading, and takes it out of the queue', () => {
    const s = reduce(withChatOnScreen(), { type: 'opening', convId: 'b' })
    expect(s.active).toBe('b')
    expect(s.chats.b).toMatchObject({ visitorId: 'visitor-b', loading: true, context: { title: 'Shop' } })
    expect(s.queue.map((q) => q.convId)).toEqual([])
  })

  it('keeps it loading when the relay hands it over, until its history is in', () => {
    let s = reduce(withChatOnScreen(), { type: 'opening', convId: 'b' })
    s = reduce(s, { type: 'chat', convId: 'b', visitorId: 'visitor-b', context: null, closed: false })
    expect(s.chats.b!.loading).toBe(true)
    expect(s.active).toBe('b')
    expect(reduce(s, { type: 'loaded', convId: 'b' }).chats.b!.loading).toBe(false)
  })

  it('opens nothing for a conversation no longer waiting', () => {
    const s = withChatOnScreen()
    expect(reduce(s, { type: 'opening', convId: 'gone' })).toBe(s)
  })
})
