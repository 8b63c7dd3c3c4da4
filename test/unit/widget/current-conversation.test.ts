import { describe, expect, it } from 'vitest'
import type { MessageNew } from '@parley/sdk/contract'
import { isNewCurrent } from '../../../widget/src/consumer/current-conversation.js'
import { INITIAL, reduce, type WidgetState } from '../../../widget/src/consumer/state.js'

// Which conversation a tab shows as current when it hears of one it does not show (another tab
// opened it, or a reload listed it). Every tab must pick the same one, whatever order it heard in.

const msg = (convId: string, seq: number, at: number, text: string, kind: 'visitor' | 'agent' = 'visitor'): MessageNew => ({
  type: 'message.new', convId, seq, clientMsgId: `${convId}-${seq}`, from: kind === 'agent' ? { kind, id: 'a', name: 'Dana' } : { kind, id: 'v' }, text, at,
})
const hear = (s: WidgetState, m: MessageNew, ended = false) => reduce(s, { type: 'message', message: m, mine: false, ended })
const view = (s: WidgetState) => ({ current: s.convId, texts: s.messages.map((m) => m.text), earlier: s.earlier.map((c) => [c.convId, c.messages.map((m) => m.text)]) })

describe('the current conversation', () => {
  it('is any open conversation when the tab shows none', () => {
    expect(isNewCurrent(null, { convId: 'a', startedAt: 1, ended: false })).toBe(true)
  })

  it('replaces an ended one with an open one', () => {
    expect(isNewCurrent({ convId: 'z', startedAt: 9, ended: true }, { convId: 'a', startedAt: 1, ended: false })).toBe(true)
  })

  it('is never an ended one', () => {
    expect(isNewCurrent(null, { convId: 'a', startedAt: 1, ended: true })).toBe(false)
  })

  it('is the later-started of two open ones, ties broken by id', () => {
    expect(isNewCurrent({ convId: 'a', startedAt: 1, ended: false }, { convId: 'b', startedAt: 2, ended: false })).toBe(true)
    expect(isNewCurrent({ convId: 'b', startedAt: 2, ended: false }, { convId: 'a', startedAt: 1, ended: false })).toBe(false)
    expect(isNewCurrent({ convId: 'a', startedAt: 1, ended: false }, { convId: 'b', startedAt: 1, ended: false })).toBe(true)
    expect(isNewCurrent({ convId: 'b', startedAt: 1, ended: false }, { convId: 'a', startedAt: 1, ended: false })).toBe(false)
  })

  it('stays the one being opened (nothing stored yet) over an open one heard of meanwhile', () => {
    expect(isNewCurrent({ convId: 'b', startedAt: Infinity, ended: false }, { convId: 'a', startedAt: 5, ended: false })).toBe(false)
  })
})

describe('a tab hearing of a conversation it does not show', () => {
  it('takes it as current when it shows none', () => {
    expect(view(hear(INITIAL, msg('a', 1, 10, 'from the other tab')))).toEqual({ current: 'a', texts: ['from the other tab'], earlier: [] })
  })

  it('moves the ended conversation above it and takes it as current', () => {
    let s = hear(INITIAL, msg('a', 1, 10, 'first'))
    s = reduce(s, { type: 'ended', at: 20 })
    s = hear(s, msg('b', 1, 30, 'again'))
    expect(view(s)).toEqual({ current: 'b', texts: ['again'], earlier: [['a', ['first']]] })
    expect(s.ended).toBe(false)
  })

  it('ends in the same place whichever of two racing conversations it hears of first', () => {
    const ab = hear(hear(INITIAL, msg('a', 1, 10, 'A')), msg('b', 1, 11, 'B'))
    const ba = hear(hear(INITIAL, msg('b', 1, 11, 'B')), msg('a', 1, 10, 'A'))
    expect(view(ab)).toEqual({ current: 'b', texts: ['B'], earlier: [['a', ['A']]] })
    expect(view(ba)).toEqual(view(ab))
  })

  it('adds later messages of the earlier racing conversation to it, once', () => {
    let s = hear(hear(INITIAL, msg('a', 1, 10, 'A')), msg('b', 1, 11, 'B'))
    s = hear(s, msg('a', 2, 12, 'reply in A', 'agent'))
    s = hear(s, msg('a', 2, 12, 'reply in A', 'agent'))
    expect(view(s)).toEqual({ current: 'b', texts: ['B'], earlier: [['a', ['A', 'reply in A']]] })
  })

  it('marks the racing conversation that moved up as still open, so it gets no "Chat ended", in either order', () => {
    const ab = hear(hear(INITIAL, msg('a', 1, 10, 'A')), msg('b', 1, 11, 'B'))
    const ba = hear(hear(INITIAL, msg('b', 1, 11, 'B')), msg('a', 1, 10, 'A'))
    for (const s of [ab, ba]) expect(s.earlier.map((c) => [c.convId, c.open])).toEqual([['a', true]])
  })

  it('marks an open earlier conversation ended when the relay closes it, or lists it closed on welcome', () => {
    const s = hear(hear(INITIAL, msg('a', 1, 10, 'A')), msg('b', 1, 11, 'B'))
    const closed = reduce(s, { type: 'ended', convId: 'a', at: 50 })
    expect(closed.earlier.map((c) => [c.convId, c.open, c.endedAt])).toEqual([['a', undefined, 50]])
    expect([closed.convId, closed.ended]).toEqual(['b', false])
    expect(reduce(s, { type: 'listed', convIds: ['a'] }).earlier.map((c) => [c.convId, c.open])).toEqual([['a', undefined]])
  })

  it('lists a closed conversation it hears of as earlier, never as current', () => {
    expect(view(hear(INITIAL, msg('old', 1, 1, 'long ago'), true))).toEqual({ current: null, texts: [], earlier: [['old', ['long ago']]] })
  })

  it('keeps the conversation it is opening, with its waiting message, over an older one heard of meanwhile', () => {
    let s = reduce(INITIAL, { type: 'started', convId: 'b' })
    s = reduce(s, { type: 'outbox', entries: [{ clientMsgId: 'w1', convId: 'b', text: 'waiting', createdAt: 20, owner: 't' }] })
    s = hear(s, msg('a', 1, 10, 'A'))
    expect(view(s)).toEqual({ current: 'b', texts: ['waiting'], earlier: [['a', ['A']]] })
  })
})
