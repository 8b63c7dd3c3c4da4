import { describe, expect, it } from 'vitest'
import type { MessageNew } from '@parley/sdk/contract'
import { INITIAL, reduce, type PastConversation, type WidgetState } from '../../../widget/src/consumer/state.js'
import { keptEarlier, KEEP_EARLIER } from '../../../widget/src/consumer/earlier-conversations.js'

// The widget's view of the visitor's earlier conversations, the agent's read position, the relay's
// text limit and Parley('hide'). Pure reducer cases.

const msg = (convId: string, seq: number, kind: 'visitor' | 'agent', text: string, at = seq): MessageNew => ({
  type: 'message.new', convId, seq, clientMsgId: `${convId}-${seq}`, from: kind === 'agent' ? { kind, id: 'a', name: 'Dana' } : { kind, id: 'v' }, text, at,
})
const past = (convId: string, at: number, texts: string[]): PastConversation => ({
  convId, endedAt: at + 100,
  messages: texts.map((text, i) => ({ id: `${convId}-${i + 1}`, seq: i + 1, text, mine: i % 2 === 0, status: 'sent', at: at + i })),
})

/** A chat the agent answered and closed. */
function endedChat(): WidgetState {
  let s = reduce(INITIAL, { type: 'started', convId: 'c1' })
  s = reduce(s, { type: 'message', message: msg('c1', 1, 'visitor', 'Is my order on its way?'), mine: true })
  s = reduce(s, { type: 'message', message: msg('c1', 2, 'agent', 'It ships today!'), mine: false })
  return reduce(s, { type: 'ended', at: 500 })
}

describe('consumer widget history', () => {
  it('keeps the ended conversation, with the agent\'s answer, above the new one when the visitor writes again', () => {
    let s = reduce(endedChat(), { type: 'new-chat' })
    s = reduce(s, { type: 'started', convId: 'c2' })
    s = reduce(s, { type: 'message', message: msg('c2', 1, 'visitor', 'One more question'), mine: true })
    expect(s.earlier.map((c) => [c.convId, c.endedAt, c.messages.map((m) => m.text)])).toEqual([['c1', 500, ['Is my order on its way?', 'It ships today!']]])
    expect(s.messages.map((m) => m.text)).toEqual(['One more question'])
  })

  it('merges conversations fetched from the relay oldest first, once each, never the one on screen', () => {
    let s = reduce(endedChat(), { type: 'new-chat' })
    s = reduce(s, { type: 'started', convId: 'c2' })
    s = reduce(s, { type: 'earlier', conversations: [past('c0', 0, ['first ever']), past('c1', 0, ['dup']), past('c2', 900, ['current'])], cursor: '10.c0', more: true })
    expect(s.earlier.map((c) => c.convId)).toEqual(['c0', 'c1'])
    expect(s.earlier[1]!.messages.map((m) => m.text)).toEqual(['Is my order on its way?', 'It ships today!'])
    expect([s.earlierCursor, s.earlierMore]).toEqual(['10.c0', true])
  })

  it('knows there is more history when the relay lists a closed conversation the browser does not show', () => {
    const s = reduce(endedChat(), { type: 'listed', convIds: ['c1'] })
    expect(s.earlierMore).toBe(false)
    expect(reduce(s, { type: 'listed', convIds: ['c1', 'old'] }).earlierMore).toBe(true)
  })

  it('completes an earlier conversation from a replay instead of dropping the message', () => {
    let s = reduce(endedChat(), { type: 'new-chat' })
    s = reduce(s, { type: 'message', message: msg('c1', 3, 'agent', 'late line'), mine: false })
    expect(s.earlier[0]!.messages.map((m) => m.text)).toEqual(['Is my order on its way?', 'It ships today!', 'late line'])
  })

  it("moves the agent's read position forward only, in the conversation on screen", () => {
    let s = endedChat()
    s = reduce(s, { type: 'read', convId: 'c1', seq: 1 })
    s = reduce(s, { type: 'read', convId: 'c1', seq: 0 })
    s = reduce(s, { type: 'read', convId: 'other', seq: 9 })
    expect(s.agentReadSeq).toBe(1)
    expect(reduce(s, { type: 'new-chat' }).agentReadSeq).toBe(0)
  })

  it("takes the text limit from the relay's welcome", () => {
    expect(reduce(INITIAL, { type: 'limits', maxText: 1234 }).maxText).toBe(1234)
  })

  it("hides and shows on the page's command", () => {
    const hidden = reduce(INITIAL, { type: 'hidden', hidden: true })
    expect(hidden.hidden).toBe(true)
    expect(reduce(hidden, { type: 'hidden', hidden: false }).hidden).toBe(false)
  })
})

describe('what the browser keeps of earlier conversations', () => {
  const convs = (sizes: number[]) => sizes.map((n, i) => past(`c${i}`, i * 1000, Array.from({ length: n }, (_, j) => `m${j}`)))

  it('keeps the newest whole conversations that fit in the message budget', () => {
    expect(keptEarlier(convs([50, 120, 60, 100]), 200).map((c) => c.convId)).toEqual(['c2', 'c3'])
  })

  it('keeps none of a conversation rather than part of it', () => {
    expect(keptEarlier(convs([10, 300]), 200)).toEqual([])
  })

  it(`keeps at most ${KEEP_EARLIER} conversations`, () => {
    expect(keptEarlier(convs(Array.from({ length: 15 }, () => 1)), 200).map((c) => c.convId)).toEqual(Array.from({ length: 10 }, (_, i) => `c${i + 5}`))
  })
})
