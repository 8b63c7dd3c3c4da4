import { describe, expect, it } from 'vitest'
import type { MessageNew } from '@parley/sdk/contract'
import { INITIAL, reduce, type WidgetState } from '../../../widget/src/consumer/state.js'
import { reduce as reduceConsole, INITIAL as CONSOLE_INITIAL } from '../../../widget/src/console/state.js'

// What the widget and the console show when masking hid something: a notice for the visitor, and
// the relay's further masking (message.redacted) replacing the text they hold.

const msg = (convId: string, seq: number, text: string): MessageNew => ({
  type: 'message.new', convId, seq, clientMsgId: `${convId}-${seq}`, from: { kind: 'visitor', id: 'v' }, text, at: seq,
})

describe('masking in the widget state', () => {
  it('shows the notice the last message called for, and none after a message with nothing hidden', () => {
    let s = reduce(INITIAL, { type: 'masked', notice: 'card' })
    expect(s.masked).toBe('card')
    s = reduce(s, { type: 'masked', notice: 'other' })
    expect(s.masked).toBe('other')
    s = reduce(s, { type: 'masked', notice: null })
    expect(s.masked).toBeNull()
  })

  it('replaces the text of the redacted message on screen and in an earlier conversation, and only that one', () => {
    let s: WidgetState = reduce(INITIAL, { type: 'started', convId: 'old' })
    s = reduce(s, { type: 'message', message: msg('old', 1, 'card 4111 1111'), mine: true })
    s = reduce(s, { type: 'new-chat' })
    s = reduce(s, { type: 'started', convId: 'c' })
    s = reduce(s, { type: 'message', message: msg('c', 1, 'my card 4111 1111'), mine: true })
    s = reduce(s, { type: 'message', message: msg('c', 2, '1111 1111 thanks'), mine: true })
    s = reduce(s, { type: 'redacted', convId: 'c', seq: 1, text: 'my card [card]' })
    expect(s.messages.map((m) => m.text)).toEqual(['my card [card]', '1111 1111 thanks'])
    s = reduce(s, { type: 'redacted', convId: 'old', seq: 1, text: 'card [card]' })
    expect(s.earlier[0]!.messages.map((m) => m.text)).toEqual(['card [card]'])
    expect(reduce(s, { type: 'redacted', convId: 'c', seq: 1, text: 'my card [card]' })).toBe(s)
  })
})

describe('masking in the console state', () => {
  it("replaces the redacted line's text in the chat that holds it", () => {
    let s = reduceConsole(CONSOLE_INITIAL, { type: 'chat', convId: 'c', visitorId: 'v', context: null, closed: false })
    s = reduceConsole(s, { type: 'message', message: msg('c', 1, 'my card 4111 1111'), mine: false })
    s = reduceConsole(s, { type: 'message', message: msg('c', 2, '1111 1111'), mine: false })
    s = reduceConsole(s, { type: 'redacted', convId: 'c', seq: 1, text: 'my card [card]' })
    expect(s.chats['c']!.lines.map((l) => l.text)).toEqual(['my card [card]', '1111 1111'])
    expect(reduceConsole(s, { type: 'redacted', convId: 'other', seq: 1, text: 'x' })).toBe(s)
  })

  it('shows a quiet notice for what masking hid from my last reply, once', () => {
    let s = reduceConsole(CONSOLE_INITIAL, { type: 'welcome', agentId: 'a1', agentName: 'Ann' })
    s = reduceConsole(s, { type: 'chat', convId: 'c', visitorId: 'v', context: null, closed: false })
    s = reduceConsole(s, { type: 'masked', convId: 'c', notice: 'card' })
    expect(s.chats['c']!.masked).toBe('card')
    expect(reduceConsole(s, { type: 'masked', convId: 'c', notice: 'card' })).toBe(s)
    expect(reduceConsole(s, { type: 'masked', convId: 'c', notice: null }).chats['c']!.masked).toBeNull()
  })
})
