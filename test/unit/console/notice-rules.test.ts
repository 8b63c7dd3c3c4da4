import { describe, expect, it } from 'vitest'
import type { MessageNew, QueueEntry } from '@parley/sdk/contract'
import { INITIAL, reduce, type Action, type ConsoleState } from '../../../widget/src/console/state.js'
import { noticeBody, noticesBetween } from '../../../widget/src/console/notice-rules.js'

const entry = (convId: string, preview = 'Hi there'): QueueEntry => ({ convId, visitorId: `visitor-${convId}`, createdAt: 1, lastSeq: 1, preview })
const msg = (convId: string, seq: number, text: string): MessageNew => ({ type: 'message.new', convId, seq, clientMsgId: `m-${convId}-${seq}`, text, from: { kind: 'visitor', id: `visitor-${convId}` }, at: seq } as MessageNew)
const run = (s: ConsoleState, ...actions: Action[]) => actions.reduce(reduce, s)

/** Signed in, the queue listed (empty), two chats held: c1 on screen, c2 not. */
function base(): ConsoleState {
  return run(INITIAL, { type: 'welcome', agentId: 'me', agentName: 'Ana' }, { type: 'queue', entries: [], total: 0 },
    { type: 'chat', convId: 'c1', visitorId: 'visitor-c1', context: null, closed: false }, { type: 'chat', convId: 'c2', visitorId: 'visitor-c2', context: null, closed: false },
    { type: 'select', convId: 'c1' })
}

describe('what calls for a sound and a desktop notification', () => {
  it('a chat newly offered to me, in either routing mode', () => {
    const s = base()
    const next = reduce(s, { type: 'desk', action: { type: 'offered', frame: { type: 'conversation.offered', convId: 'o1', entry: entry('o1', 'Need help 🙏'), expiresAt: 9 }, at: 0 } })
    for (const manual of [true, false]) {
      expect(noticesBetween(s, next, manual)).toEqual([{ kind: 'offer', convId: 'o1', title: 'New chat offered: Visitor tor-o1', body: 'Need help 🙏' }])
    }
  })

  it('a new waiting chat only when the brand routes by hand', () => {
    const s = base()
    const next = reduce(s, { type: 'queued', entry: entry('q1') })
    expect(noticesBetween(s, next, true).map((n) => [n.kind, n.convId])).toEqual([['waiting', 'q1']])
    expect(noticesBetween(s, next, false)).toEqual([])
  })

  it('not a chat I hand back to a skill\'s queue myself', () => {
    const s = base()
    const next = reduce(s, { type: 'handed-back', entry: entry('c2') })
    expect(next.queue.map((q) => q.convId)).toEqual(['c2'])
    expect(next.chats.c2).toBeUndefined()
    expect(noticesBetween(s, next, true)).toEqual([])
  })

  it('not the first listing of the queue (a page load or reconnect)', () => {
    const s = run(INITIAL, { type: 'welcome', agentId: 'me', agentName: 'Ana' })
    const next = reduce(s, { type: 'queue', entries: [entry('q1'), entry('q2')], total: 2 })
    expect(noticesBetween(s, next, true)).toEqual([])
  })

  it("a visitor's message in a chat not on screen, not in the chat on screen", () => {
    const s = base()
    const other = reduce(s, { type: 'message', message: msg('c2', 1, 'Hello 👋🏽'), mine: false })
    expect(noticesBetween(s, other, true)).toEqual([{ kind: 'message', convId: 'c2', title: 'New message from Visitor tor-c2', body: 'Hello 👋🏽' }])
    const shown = reduce(s, { type: 'message', message: msg('c1', 1, 'Hello'), mine: false })
    expect(noticesBetween(s, shown, true)).toEqual([])
  })

  it('a message in the chat on screen while the tab is hidden', () => {
    const s = reduce(base(), { type: 'visible', visible: false })
    const next = reduce(s, { type: 'message', message: msg('c1', 1, 'Still there?'), mine: false })
    expect(noticesBetween(s, next, true).map((n) => n.kind)).toEqual(['message'])
  })

  it('cuts a long body between whole emoji, never inside a ZWJ sequence or skin tone', () => {
    const family = '👩‍👩‍👧‍👦'
    const text = `${'a'.repeat(118)}${family}${'b'.repeat(10)}`
    const body = noticeBody(text)
    expect(body).toBe(`${'a'.repeat(118)}…`)
    expect(noticeBody(`${'x'.repeat(100)}${'👍🏽'.repeat(20)}`).endsWith('👍🏽…')).toBe(true)
    expect(noticeBody('short 👍🏽')).toBe('short 👍🏽')
  })
})
