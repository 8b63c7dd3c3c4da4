import { describe, expect, it } from 'vitest'
import type { MessageNew } from '@parley/sdk/contract'
import { INITIAL, isConnectionLost, isReading, reduce, type WidgetState } from '../../../widget/src/consumer/state.js'

const msg = (seq: number, id: string, kind: 'visitor' | 'agent', text = id): MessageNew => ({
  type: 'message.new', convId: 'c', seq, clientMsgId: id, from: kind === 'agent' ? { kind, id: 'a', name: 'Dana' } : { kind, id: 'v' }, text, at: seq,
})
const started: WidgetState = reduce(INITIAL, { type: 'started', convId: 'c' })

describe('consumer widget state', () => {
  it('shows an outbox entry as sending, then the same message as sent when its ack arrives', () => {
    let s = reduce(started, { type: 'outbox', entries: [{ convId: 'c', clientMsgId: 'm1', text: 'hi', createdAt: 5, owner: 'o' }] })
    expect(s.messages).toMatchObject([{ id: 'm1', status: 'sending', seq: null }])
    s = reduce(s, { type: 'message', message: msg(1, 'm1', 'visitor', 'hi'), mine: true })
    expect(s.messages).toMatchObject([{ id: 'm1', status: 'sent', seq: 1, mine: true }])
  })

  it('orders stored messages by seq, keeps waiting ones last, and never shows one twice', () => {
    let s = reduce(started, { type: 'outbox', entries: [{ convId: 'c', clientMsgId: 'w', text: 'waiting', createdAt: 1, owner: 'o' }] })
    s = reduce(s, { type: 'message', message: msg(2, 'b', 'agent'), mine: false })
    s = reduce(s, { type: 'message', message: msg(1, 'a', 'visitor'), mine: false })
    s = reduce(s, { type: 'message', message: msg(2, 'b', 'agent'), mine: false })
    expect(s.messages.map((m) => m.id)).toEqual(['a', 'b', 'w'])
  })

  it('counts unread agent messages only while closed or hidden, and clears them on open', () => {
    let s = reduce(started, { type: 'message', message: msg(1, 'a', 'agent'), mine: false })
    expect(s.unread).toBe(1)
    s = reduce(s, { type: 'open' })
    expect(s.unread).toBe(0)
    s = reduce(s, { type: 'visible', visible: false })
    s = reduce(s, { type: 'message', message: msg(2, 'b', 'agent'), mine: false })
    expect(s.unread).toBe(1)
    s = reduce(s, { type: 'visible', visible: true })
    expect(s.unread).toBe(0)
  })

  it('waits longer after each failed fetch of earlier conversations, 30 s at most, and not at all once one succeeds', () => {
    let s = reduce(started, { type: 'earlier-failed', at: 10_000 })
    expect([s.earlierFailures, s.earlierRetryAt]).toEqual([1, 11_000])
    s = reduce(s, { type: 'earlier-failed', at: 11_000 })
    expect(s.earlierRetryAt).toBe(13_000)
    for (let i = 0; i < 10; i++) s = reduce(s, { type: 'earlier-failed', at: 20_000 })
    expect(s.earlierRetryAt).toBe(50_000)
    s = reduce(s, { type: 'earlier', conversations: [], cursor: null, more: false })
    expect([s.earlierFailures, s.earlierRetryAt]).toEqual([0, 0])
  })

  it("counts agent messages as unread while the page hid the open widget with Parley('hide'), and clears them on show", () => {
    let s = reduce(reduce(started, { type: 'open' }), { type: 'hidden', hidden: true })
    expect(isReading(s)).toBe(false)
    s = reduce(s, { type: 'message', message: msg(1, 'a', 'agent'), mine: false })
    expect(s.unread).toBe(1)
    s = reduce(s, { type: 'hidden', hidden: false })
    expect(s.unread).toBe(0)
    expect(isReading(s)).toBe(true)
  })

  it('marks a refused message failed and takes the agent name from assignment and messages', () => {
    let s = reduce(started, { type: 'outbox', entries: [{ convId: 'c', clientMsgId: 'm', text: 'x', createdAt: 1, owner: 'o' }] })
    s = reduce(s, { type: 'refused', id: 'm' })
    expect(s.messages[0]!.status).toBe('failed')
    expect(reduce(s, { type: 'assigned', name: 'Ana' }).agentName).toBe('Ana')
    expect(reduce(s, { type: 'message', message: msg(1, 'z', 'agent'), mine: false }).agentName).toBe('Dana')
  })

  it('keeps a message of another conversation out of the one on screen (it is listed above it)', () => {
    const other = { ...msg(1, 'q', 'agent'), convId: 'other' }
    const s = reduce(started, { type: 'message', message: other, mine: false })
    expect([s.convId, s.messages, s.unread, s.agentName]).toEqual([started.convId, started.messages, started.unread, started.agentName])
    expect(s.earlier.map((c) => c.convId)).toEqual(['other'])
  })

  it('says "Connection lost" when the link is offline or reconnecting during a conversation, not while first connecting', () => {
    expect(isConnectionLost(reduce(started, { type: 'link', link: 'connecting' }))).toBe(false)
    expect(isConnectionLost(reduce(started, { type: 'link', link: 'offline' }))).toBe(true)
    expect(isConnectionLost(reduce(started, { type: 'link', link: 'reconnecting' }))).toBe(true)
    expect(isConnectionLost(reduce(INITIAL, { type: 'link', link: 'offline' }))).toBe(false)
    const ended = reduce(reduce(started, { type: 'ended' }), { type: 'link', link: 'offline' })
    expect(isConnectionLost(ended)).toBe(false)
    expect(reduce(started, { type: 'link', link: 'connected' }).online).toBe(true)
  })
})
