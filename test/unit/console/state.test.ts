import { describe, expect, it } from 'vitest'
import type { MessageNew } from '@parley/sdk/contract'
import { consoleTitle, handedOff, INITIAL, reduce, type ConsoleState } from '../../../widget/src/console/state.js'

const entry = (convId: string, createdAt: number) => ({ convId, visitorId: `v-${convId}`, createdAt, lastSeq: 1, preview: `from ${convId}` })
const msg = (convId: string, seq: number, kind: 'visitor' | 'agent'): MessageNew => ({
  type: 'message.new', convId, seq, clientMsgId: `${convId}-${seq}`, from: kind === 'agent' ? { kind, id: 'a', name: 'Dana' } : { kind, id: 'v' }, text: `t${seq}`, at: seq,
})

describe('console state', () => {
  it('keeps the queue oldest first and drops conversations when assigned or closed', () => {
    let s: ConsoleState = reduce(INITIAL, { type: 'queue', entries: [entry('b', 2), entry('a', 1)] })
    s = reduce(s, { type: 'queued', entry: entry('c', 3) })
    s = reduce(s, { type: 'queued', entry: entry('c', 3) })
    expect(s.queue.map((q) => q.convId)).toEqual(['a', 'b', 'c'])
    s = reduce(s, { type: 'dequeued', convId: 'a' })
    s = reduce(s, { type: 'closed', convId: 'b' })
    expect(s.queue.map((q) => q.convId)).toEqual(['c'])
  })

  it('fills in the preview of a waiting chat opened without one, and of no other', () => {
    let s: ConsoleState = reduce(INITIAL, { type: 'queue', entries: [{ ...entry('a', 1), preview: '' }, entry('b', 2)] })
    s = reduce(s, { type: 'previewed', convId: 'a', preview: 'Where is my refund?' })
    s = reduce(s, { type: 'previewed', convId: 'b', preview: 'not this' })
    s = reduce(s, { type: 'previewed', convId: 'gone', preview: 'nor this' })
    expect(s.queue.map((q) => [q.convId, q.preview])).toEqual([['a', 'Where is my refund?'], ['b', 'from b']])
  })

  it('opens an accepted chat, out of the queue, and orders its lines by seq without duplicates', () => {
    let s = reduce(INITIAL, { type: 'queue', entries: [entry('a', 1)] })
    s = reduce(s, { type: 'chat', convId: 'a', visitorId: 'v-a', context: null, closed: false })
    expect(s.queue).toEqual([])
    expect(s.active).toBe('a')
    for (const m of [msg('a', 2, 'agent'), msg('a', 1, 'visitor'), msg('a', 2, 'agent')]) s = reduce(s, { type: 'message', message: m, mine: false })
    expect(s.chats.a!.lines.map((l) => l.seq)).toEqual([1, 2])
  })

  it('counts unread visitor lines in chats not on screen, and clears them when selected', () => {
    let s = reduce(INITIAL, { type: 'chat', convId: 'a', visitorId: 'v', context: null, closed: false })
    s = reduce(s, { type: 'chat', convId: 'b', visitorId: 'w', context: null, closed: false })
    s = reduce(s, { type: 'message', message: msg('b', 1, 'visitor'), mine: false })
    expect(s.chats.b!.unread).toBe(1)
    s = reduce(s, { type: 'select', convId: 'b' })
    expect(s.chats.b!.unread).toBe(0)
  })

  it('shows an unsent reply as pending until the same id is stored', () => {
    let s = reduce(INITIAL, { type: 'chat', convId: 'a', visitorId: 'v', context: null, closed: false })
    s = reduce(s, { type: 'outbox', entries: [{ convId: 'a', clientMsgId: 'a-1', text: 't1', createdAt: 9, owner: 'o' }] })
    expect(s.chats.a!.lines).toMatchObject([{ pending: true }])
    s = reduce(s, { type: 'message', message: msg('a', 1, 'agent'), mine: true })
    expect(s.chats.a!.lines).toMatchObject([{ pending: false, seq: 1 }])
  })

  it('marks a chat handed to a colleague, and not one handed to me or held by me', () => {
    let s = reduce(INITIAL, { type: 'welcome', agentId: 'me', agentName: 'Ana' })
    s = reduce(s, { type: 'queue', entries: [entry('b', 1)] })
    s = reduce(s, { type: 'chat', convId: 'a', visitorId: 'v', context: null, closed: false, assignedAgentId: 'me' })
    expect(handedOff(s, s.chats.a!)).toBe(false)
    s = reduce(s, { type: 'assigned', convId: 'a', agentId: 'ben' })
    expect(handedOff(s, s.chats.a!)).toBe(true)
    s = reduce(s, { type: 'chat', convId: 'c', visitorId: 'w', context: null, closed: false })
    expect(handedOff(s, s.chats.c!)).toBe(false)
    // Someone took a waiting conversation: it leaves my queue.
    s = reduce(s, { type: 'assigned', convId: 'b', agentId: 'ben' })
    expect(s.queue).toEqual([])
    expect(s.chats.b).toBeUndefined()
  })

  it('puts waiting visitors and unread lines of my open chats in the title', () => {
    let s = reduce(INITIAL, { type: 'welcome', agentId: 'me', agentName: 'Ana' })
    expect(consoleTitle(s)).toBe('Parley console')
    s = reduce(s, { type: 'queue', entries: [entry('q', 1)] })
    s = reduce(s, { type: 'chat', convId: 'a', visitorId: 'v', context: null, closed: false })
    s = reduce(s, { type: 'chat', convId: 'b', visitorId: 'w', context: null, closed: false })
    s = reduce(s, { type: 'message', message: msg('b', 1, 'visitor'), mine: false })
    s = reduce(s, { type: 'message', message: msg('b', 2, 'visitor'), mine: false })
    expect(consoleTitle(s)).toBe('(3) Parley console')
    // A chat handed on or ended no longer calls for me.
    s = reduce(s, { type: 'assigned', convId: 'b', agentId: 'ben' })
    expect(consoleTitle(s)).toBe('(1) Parley console')
    s = reduce(s, { type: 'dequeued', convId: 'q' })
    expect(consoleTitle(s)).toBe('Parley console')
  })

  it('counts every waiting visitor in the title, not just the page of the queue listed', () => {
    const page = Array.from({ length: 200 }, (_, i) => entry(`q${i}`, i))
    const s = reduce(INITIAL, { type: 'queue', entries: page, total: 223, next: 'q199' })
    expect(consoleTitle(s)).toBe('(223) Parley console')
  })

  it('knows the queue only once a listing has arrived, even an empty one', () => {
    expect(INITIAL.queueListed).toBe(false)
    expect(reduce(INITIAL, { type: 'queue', entries: [], total: 0 }).queueListed).toBe(true)
  })

  it('does not count the history of a chat rejoined after a reload as unread, only what comes after', () => {
    let s = reduce(INITIAL, { type: 'chat', convId: 'a', visitorId: 'v', context: null, closed: false })
    s = reduce(s, { type: 'chat', convId: 'b', visitorId: 'w', context: null, closed: false, seenSeq: 2 })
    for (const seq of [1, 2, 3]) s = reduce(s, { type: 'message', message: msg('b', seq, 'visitor'), mine: false })
    expect(s.chats.b!.unread).toBe(1)
  })

  it('counts lines of the chat on screen as unread while the tab is hidden, and clears them when it is back', () => {
    let s = reduce(INITIAL, { type: 'chat', convId: 'a', visitorId: 'v', context: null, closed: false })
    s = reduce(s, { type: 'visible', visible: false })
    s = reduce(s, { type: 'message', message: msg('a', 1, 'visitor'), mine: false })
    expect(s.chats.a!.unread).toBe(1)
    expect(consoleTitle(s)).toBe('(1) Parley console')
    s = reduce(s, { type: 'visible', visible: true })
    expect(s.chats.a!.unread).toBe(0)
    s = reduce(s, { type: 'message', message: msg('a', 2, 'visitor'), mine: false })
    expect(s.chats.a!.unread).toBe(0)
  })
})

describe('console queue pages', () => {
  const waiting = (id: string, at: number) => ({ convId: id, visitorId: `v-${id}`, createdAt: at, lastSeq: 1, preview: id })

  it('shows the relay\'s total and where the next page starts when the list holds fewer than wait', () => {
    const s = reduce(INITIAL, { type: 'queue', entries: [waiting('a', 1), waiting('b', 2)], total: 250, next: 'cur' })
    expect([s.queue.length, s.queueTotal, s.queueNext]).toEqual([2, 250, 'cur'])
  })

  it('adds the next page after the first, once each, and forgets the cursor at the last page', () => {
    let s = reduce(INITIAL, { type: 'queue', entries: [waiting('a', 1), waiting('b', 2)], total: 3, next: 'cur' })
    s = reduce(s, { type: 'queue', entries: [waiting('b', 2), waiting('c', 3)], total: 3, next: null, more: true })
    expect(s.queue.map((q) => q.convId)).toEqual(['a', 'b', 'c'])
    expect([s.queueTotal, s.queueNext]).toEqual([3, null])
  })

  it('keeps the total up as conversations arrive and are taken', () => {
    let s = reduce(INITIAL, { type: 'queue', entries: [waiting('a', 1)], total: 40, next: 'cur' })
    s = reduce(s, { type: 'queued', entry: waiting('n', 9) })
    expect(s.queueTotal).toBe(41)
    s = reduce(s, { type: 'dequeued', convId: 'a' })
    expect(s.queueTotal).toBe(40)
  })

  it('counts down a conversation accepted from a page not loaded here, once, and not one I hold', () => {
    let s = reduce(INITIAL, { type: 'queue', entries: [waiting('a', 1), waiting('b', 2)], total: 500, next: 'cur' })
    s = reduce(s, { type: 'dequeued', convId: 'unlisted', waiting: true })
    expect([s.queue.length, s.queueTotal]).toEqual([2, 499])
    s = reduce(s, { type: 'assigned', convId: 'unlisted', agentId: 'other' })
    expect(s.queueTotal).toBe(499)
    s = reduce(s, { type: 'chat', convId: 'mine', visitorId: 'v', context: null, closed: false })
    s = reduce(s, { type: 'dequeued', convId: 'mine', waiting: true })
    expect(s.queueTotal).toBe(499)
  })

  it("takes the relay's count when it is asked again", () => {
    let s = reduce(INITIAL, { type: 'queue', entries: [waiting('a', 1)], total: 500, next: 'cur' })
    s = reduce(s, { type: 'queue-total', total: 498 })
    expect(s.queueTotal).toBe(498)
  })

  it('lists the newest first when the agent asks, and keeps arrivals and next pages in that order', () => {
    let s = reduce(INITIAL, { type: 'queue', entries: [waiting('y', 8), waiting('z', 9)], total: 5, next: 'cur', newest: true })
    expect(s.queue.map((q) => q.convId)).toEqual(['z', 'y'])
    s = reduce(s, { type: 'queued', entry: waiting('new', 10) })
    s = reduce(s, { type: 'queue', entries: [waiting('x', 7), waiting('w', 6)], total: 6, next: null, more: true })
    expect(s.queue.map((q) => q.convId)).toEqual(['new', 'z', 'y', 'x', 'w'])
    expect(s.queueNewest).toBe(true)
    s = reduce(s, { type: 'queue', entries: [waiting('w', 6)], total: 6, next: 'c2' })
    expect(s.queueNewest).toBe(false)
  })
})

describe('the console on a quiet close', () => {
  it('marks the chat closed with the minutes the relay gave', () => {
    const chat = { type: 'chat', convId: 'c', visitorId: 'v', context: null, closed: false } as const
    let s = reduce(INITIAL, chat)
    s = reduce(s, { type: 'closed', convId: 'c', inactiveMin: 30 })
    expect(s.chats['c']).toMatchObject({ closed: true, inactiveMin: 30 })
  })
})

describe('the console on an erasure', () => {
  it('drops the transcript and marks the chat closed with the erasure time', () => {
    let s = reduce(INITIAL, { type: 'chat', convId: 'c', visitorId: 'v', context: null, closed: false })
    s = reduce(s, { type: 'message', message: msg('c', 1, 'visitor'), mine: false })
    s = reduce(s, { type: 'erased', convId: 'c', erasedAt: 1234 })
    expect(s.chats['c']).toMatchObject({ closed: true, erasedAt: 1234, lines: [] })
  })

  it('takes a waiting conversation off the queue', () => {
    let s = reduce(INITIAL, { type: 'queued', entry: entry('w', 1) })
    s = reduce(s, { type: 'erased', convId: 'w', erasedAt: 5 })
    expect(s.queue).toEqual([])
  })
})
