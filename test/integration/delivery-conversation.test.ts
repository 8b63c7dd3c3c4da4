import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import type { ServerFrame } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand } from '../helpers/brand.js'
import { collect, connectAgent, connectVisitor, frameOf, openAndJoin, receivedSeqs, sendAndAck, seqRange } from '../helpers/delivery-chat.js'
import { storedConversation, storedMessages } from '../helpers/delivery-transcript.js'
import { openCommittedRows, type CommittedMessage } from '../helpers/delivery-committed-rows.js'
import { roundTrip, socketRoundTrip } from '../helpers/delivery-round-trip.js'
import { holdCommits, holdStoreCall } from '../helpers/delivery-store-gate.js'
import { until } from '../helpers/until.js'

// A conversation from the visitor's first message to its close: who hears about it, what reaches
// whom as message.new, when acks leave, and what a closed conversation refuses.

describe('conversation round trip', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  it('tells online agents about the conversation a first message opens, with the visitor context', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const a = await connectAgent(relay, agent)
    const context = { url: 'https://shop.example/cart', title: 'Cart', language: 'de-CH', timezone: 'Europe/Zurich' }
    const v = await connectVisitor(relay, brand, { context })

    const ack = await sendAndAck(v.client, 'conv-open', 'm1', 'Is shipping free?')
    const opened = await frameOf(a.client, 'conversation.opened', (f) => f.convId === 'conv-open')

    expect(ack.seq).toBe(1)
    expect(opened).toMatchObject({ convId: 'conv-open', visitorId: v.visitorId, context })
    const stored = await storedConversation(relay, brand.apiKey, 'conv-open')
    expect(stored).toMatchObject({ visitorId: v.visitorId, status: 'open', lastSeq: 1, context })
    expect((await storedMessages(relay, brand.apiKey, 'conv-open')).map((m) => [m.seq, m.text, m.from])).toEqual([
      [1, 'Is shipping free?', { kind: 'visitor', id: v.visitorId }],
    ])
  })

  it('opens a conversation with the context of the last context.update, not the one hello carried', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const a = await connectAgent(relay, agent)
    const v = await connectVisitor(relay, brand, { context: { url: 'https://shop.example/', tracking: 'not-shared' } })
    const later = { url: 'https://shop.example/checkout', title: 'Checkout', tracking: 'shared' as const, pagesViewed: 3 }

    v.client.send({ type: 'context.update', context: later })
    await sendAndAck(v.client, 'conv-later', 'm1', 'At the checkout now')
    const opened = await frameOf(a.client, 'conversation.opened', (f) => f.convId === 'conv-later')

    expect(opened.context).toEqual(later)
    expect(await storedConversation(relay, brand.apiKey, 'conv-later')).toMatchObject({ context: later })
  })

  it('gives the joining agent the conversation state and tells the visitor who joined', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId, 'Ada')
    const a = await connectAgent(relay, agent)
    const context = { url: 'https://shop.example/help' }
    const v = await connectVisitor(relay, brand, { context })
    await sendAndAck(v.client, 'conv-join', 'm1', 'hello')
    await frameOf(a.client, 'conversation.opened', (f) => f.convId === 'conv-join')

    a.client.send({ type: 'conversation.join', convId: 'conv-join', ref: 'j1' })
    const joined = await frameOf(a.client, 'conversation.joined', (f) => f.ref === 'j1')
    const told = await frameOf(v.client, 'conversation.joined')

    const agentP = { kind: 'agent', id: agent.agentId, name: 'Ada' }
    expect(joined).toMatchObject({ convId: 'conv-join', agent: agentP, visitorId: v.visitorId, lastSeq: 1, status: 'open', context })
    expect(told).toMatchObject({ convId: 'conv-join', agent: agentP, visitorId: v.visitorId })
  })

  it('lets a joining agent hold every message committed while its join was being stored', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const a = await connectAgent(relay, agent)
    const v = await connectVisitor(relay, brand)
    await sendAndAck(v.client, 'conv-slow-join', 'm1', 'hello')
    await frameOf(a.client, 'conversation.opened', (f) => f.convId === 'conv-slow-join')
    // The store has recorded the join but its answer is still on the way (as with a network store).
    const gate = holdStoreCall(relay, 'joinConversation', 'after')
    onTestFinished(() => { gate.release(); gate.restore() })

    a.client.send({ type: 'conversation.join', convId: 'conv-slow-join', ref: 'slow' })
    await until(() => gate.held() > 0, 'the join waiting at the gate')
    await sendAndAck(v.client, 'conv-slow-join', 'm2', 'is anyone joining?')
    gate.release()
    const joined = await frameOf(a.client, 'conversation.joined', (f) => f.ref === 'slow')
    await sendAndAck(v.client, 'conv-slow-join', 'm3', 'hello?')
    await frameOf(a.client, 'message.new', (m) => m.clientMsgId === 'm3')

    // No gap: what the joined frame counts (history), then live, must cover every seq up to 3.
    expect(receivedSeqs(a.client, 'conv-slow-join'), `live after joined.lastSeq ${joined.lastSeq}`).toEqual(seqRange(joined.lastSeq, 3))
  })

  it('lets a connecting agent hold every message committed while its hello was being answered', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const first = await connectAgent(relay, agent)
    const v = await connectVisitor(relay, brand)
    await openAndJoin(v.client, first.client, 'conv-slow-hello')
    // The listing for the welcome has been read, its answer is still on the way.
    const gate = holdStoreCall(relay, 'listParticipantConversations', 'after')
    onTestFinished(() => { gate.release(); gate.restore() })

    const pending = connectAgent(relay, agent)
    await until(() => gate.held() > 0, 'the hello waiting at the gate')
    await sendAndAck(v.client, 'conv-slow-hello', 'm2', 'anyone?')
    gate.release()
    const second = await pending
    await sendAndAck(v.client, 'conv-slow-hello', 'm3', 'hello?')
    await frameOf(second.client, 'message.new', (m) => m.clientMsgId === 'm3')

    // No gap: what the welcome lists, then live, must cover every seq up to 3.
    const listed = second.welcome.conversations.find((c) => c.convId === 'conv-slow-hello')?.lastSeq ?? 0
    expect(receivedSeqs(second.client, 'conv-slow-hello'), `live after welcome lastSeq ${listed}`).toEqual(seqRange(listed, 3))
  })

  it('delivers messages both ways as message.new with the seq, sender and text the store holds', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId, 'Ada')
    const a = await connectAgent(relay, agent)
    const v = await connectVisitor(relay, brand)
    await openAndJoin(v.client, a.client, 'conv-rt')

    const agentAck = await sendAndAck(a.client, 'conv-rt', 'a1', 'Yes, above 50 CHF.')
    const toVisitor = await frameOf(v.client, 'message.new', (m) => m.clientMsgId === 'a1')
    const visitorAck = await sendAndAck(v.client, 'conv-rt', 'm2', 'Great, thanks!')
    const toAgent = await frameOf(a.client, 'message.new', (m) => m.clientMsgId === 'm2')

    expect(agentAck).toMatchObject({ seq: 2 })
    expect(visitorAck).toMatchObject({ seq: 3 })
    // The text is only echoed when the relay stored something else.
    expect(agentAck).not.toHaveProperty('text')
    expect(toVisitor).toEqual({
      type: 'message.new', convId: 'conv-rt', seq: 2, clientMsgId: 'a1', text: 'Yes, above 50 CHF.', at: agentAck.at,
      from: { kind: 'agent', id: agent.agentId, name: 'Ada' },
    })
    expect(toAgent).toEqual({
      type: 'message.new', convId: 'conv-rt', seq: 3, clientMsgId: 'm2', text: 'Great, thanks!', at: visitorAck.at,
      from: { kind: 'visitor', id: v.visitorId },
    })
    const transcript = await storedMessages(relay, brand.apiKey, 'conv-rt')
    expect(transcript.map((m) => ({ seq: m.seq, clientMsgId: m.clientMsgId, from: m.from.kind, text: m.text }))).toEqual([
      { seq: 1, clientMsgId: 'conv-rt-first', from: 'visitor', text: 'hello' },
      { seq: 2, clientMsgId: 'a1', from: 'agent', text: 'Yes, above 50 CHF.' },
      { seq: 3, clientMsgId: 'm2', from: 'visitor', text: 'Great, thanks!' },
    ])
  })

  it('sends no ack while the message waits for its commit, and each ack once the row is committed', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const a = await connectAgent(relay, agent)
    const v = await connectVisitor(relay, brand)
    await openAndJoin(v.client, a.client, 'conv-ack')
    const rows = openCommittedRows(relay)
    onTestFinished(() => rows.close())
    // Look at the database from a second connection at the instant each ack arrives.
    const atAck = new Map<string, { seq: number; rows: CommittedMessage[] }>()
    for (const c of [v.client, a.client]) {
      c.ws.on('message', (data) => {
        const f = JSON.parse(String(data)) as ServerFrame
        if (f.type === 'message.ack') atAck.set(f.clientMsgId, { seq: f.seq, rows: rows.byClientMsgId(brand.brandId, f.convId, f.clientMsgId) })
      })
    }
    const gate = holdCommits(relay)
    onTestFinished(() => { gate.release(); gate.restore() })

    for (let i = 0; i < 5; i++) v.client.send({ type: 'message.send', convId: 'conv-ack', clientMsgId: `v${i}`, text: `visitor ${i}` })
    for (let i = 0; i < 5; i++) a.client.send({ type: 'message.send', convId: 'conv-ack', clientMsgId: `a${i}`, text: `agent ${i}` })
    await until(() => gate.held() > 0, 'a commit waiting at the gate')
    await socketRoundTrip(v.client)
    await socketRoundTrip(a.client)
    const acksWhileHeld = atAck.size
    const committedWhileHeld = rows.byClientMsgId(brand.brandId, 'conv-ack', 'v0').length
    gate.release()
    await collect(v.client, 'message.ack', () => true, 6, 'visitor acks')
    await collect(a.client, 'message.ack', () => true, 5, 'agent acks')

    expect(acksWhileHeld).toBe(0)
    expect(committedWhileHeld).toBe(0)
    expect(atAck.size).toBe(10)
    for (const [clientMsgId, { seq, rows: found }] of atAck) {
      expect(found, clientMsgId).toEqual([{ seq, clientMsgId, text: expect.any(String) }])
    }
  })

  it('answers a ping at once while a commit and the frames after it wait on the store', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const a = await connectAgent(relay, agent)
    const v = await connectVisitor(relay, brand)
    await openAndJoin(v.client, a.client, 'conv-ping')
    const gate = holdCommits(relay)
    onTestFinished(() => { gate.release(); gate.restore() })

    v.client.send({ type: 'message.send', convId: 'conv-ping', clientMsgId: 'held', text: 'slow disk' })
    await until(() => gate.held() > 0, 'the commit waiting at the gate')
    // A read after the message waits for its commit, and holds the frames behind it.
    v.client.send({ type: 'message.read', convId: 'conv-ping', seq: 1 })
    v.client.send({ type: 'ping', ref: 'probe' })
    const pong = await frameOf(v.client, 'pong', (f) => f.ref === 'probe')
    const heldAckedBeforePong = v.client.all('message.ack', (f) => f.clientMsgId === 'held').length
    gate.release()
    await frameOf(v.client, 'message.ack', (f) => f.clientMsgId === 'held')

    expect(pong.ref).toBe('probe')
    expect(heldAckedBeforePong).toBe(0)
  })

  it("delivers to a visitor's second tab what the first tab and the agent send, and to no tab its own messages", async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const a = await connectAgent(relay, agent)
    const tab1 = await connectVisitor(relay, brand)
    await openAndJoin(tab1.client, a.client, 'conv-tabs')
    const tab2 = await connectVisitor(relay, brand, { token: tab1.token })
    expect(tab2.visitorId).toBe(tab1.visitorId)

    await sendAndAck(a.client, 'conv-tabs', 'a1', 'agent says')
    await sendAndAck(tab1.client, 'conv-tabs', 't1', 'tab one says')
    await sendAndAck(tab2.client, 'conv-tabs', 't2', 'tab two says')
    await sendAndAck(a.client, 'conv-tabs', 'a2', 'agent again')
    await collect(tab1.client, 'message.new', (m) => m.clientMsgId === 'a2', 1)
    await collect(tab2.client, 'message.new', (m) => m.clientMsgId === 'a2', 1)
    await collect(a.client, 'message.new', (m) => m.clientMsgId === 't2', 1)

    const got = (c: typeof a.client) => c.all('message.new').map((m) => `${m.seq}:${m.clientMsgId}`)
    expect(got(tab1.client)).toEqual(['2:a1', '4:t2', '5:a2'])
    expect(got(tab2.client)).toEqual(['2:a1', '3:t1', '5:a2'])
    expect(got(a.client)).toEqual(['3:t1', '4:t2'])
  })

  it('fans conversation.closed out to the agent and to the other tabs when the visitor closes', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const a = await connectAgent(relay, agent)
    const tab1 = await connectVisitor(relay, brand)
    await openAndJoin(tab1.client, a.client, 'conv-vclose')
    const tab2 = await connectVisitor(relay, brand, { token: tab1.token })

    tab1.client.send({ type: 'conversation.close', convId: 'conv-vclose', ref: 'close-1' })
    const own = await frameOf(tab1.client, 'conversation.closed')
    const toAgent = await frameOf(a.client, 'conversation.closed')
    const toTab2 = await frameOf(tab2.client, 'conversation.closed')

    const by = { kind: 'visitor', id: tab1.visitorId }
    expect(own).toMatchObject({ convId: 'conv-vclose', by, ref: 'close-1' })
    expect(toAgent).toMatchObject({ convId: 'conv-vclose', by, at: own.at })
    expect(toTab2).toMatchObject({ convId: 'conv-vclose', by, at: own.at })
    expect(await storedConversation(relay, brand.apiKey, 'conv-vclose')).toMatchObject({ status: 'closed', closedAt: own.at })
  })

  it('fans conversation.closed out to the visitor when the agent closes', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId, 'Ada')
    const a = await connectAgent(relay, agent)
    const v = await connectVisitor(relay, brand)
    await openAndJoin(v.client, a.client, 'conv-aclose')

    a.client.send({ type: 'conversation.close', convId: 'conv-aclose', ref: 'close-a' })
    const own = await frameOf(a.client, 'conversation.closed')
    const toVisitor = await frameOf(v.client, 'conversation.closed')

    expect(own).toMatchObject({ convId: 'conv-aclose', ref: 'close-a' })
    expect(toVisitor).toMatchObject({ convId: 'conv-aclose', by: { kind: 'agent', id: agent.agentId, name: 'Ada' }, at: own.at })
    expect(await storedConversation(relay, brand.apiKey, 'conv-aclose')).toMatchObject({ status: 'closed' })
  })

  it('refuses a visitor message to a closed conversation with PARLEY_ERR_CONV_CLOSED and stores nothing', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const a = await connectAgent(relay, agent)
    const v = await connectVisitor(relay, brand)
    await openAndJoin(v.client, a.client, 'conv-closed-v')
    a.client.send({ type: 'conversation.close', convId: 'conv-closed-v' })
    await frameOf(v.client, 'conversation.closed')

    v.client.send({ type: 'message.send', convId: 'conv-closed-v', clientMsgId: 'late', text: 'wait, one more thing' })
    const err = await frameOf(v.client, 'error', (e) => e.ref === 'late')
    await roundTrip(v.client)
    await roundTrip(a.client)

    expect(err).toMatchObject({ code: 'PARLEY_ERR_CONV_CLOSED', retryable: false })
    expect(v.client.all('message.ack', (f) => f.clientMsgId === 'late')).toEqual([])
    expect(a.client.all('message.new', (f) => f.clientMsgId === 'late')).toEqual([])
    expect((await storedMessages(relay, brand.apiKey, 'conv-closed-v')).map((m) => m.clientMsgId)).toEqual(['conv-closed-v-first'])
    expect(await storedConversation(relay, brand.apiKey, 'conv-closed-v')).toMatchObject({ lastSeq: 1 })
  })

  it('refuses an agent message to a closed conversation with PARLEY_ERR_CONV_CLOSED and stores nothing', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const a = await connectAgent(relay, agent)
    const v = await connectVisitor(relay, brand)
    await openAndJoin(v.client, a.client, 'conv-closed-a')
    v.client.send({ type: 'conversation.close', convId: 'conv-closed-a' })
    await frameOf(a.client, 'conversation.closed')

    a.client.send({ type: 'message.send', convId: 'conv-closed-a', clientMsgId: 'late', text: 'are you still there?' })
    const err = await frameOf(a.client, 'error', (e) => e.ref === 'late')
    await roundTrip(v.client)

    expect(err).toMatchObject({ code: 'PARLEY_ERR_CONV_CLOSED' })
    expect(v.client.all('message.new', (f) => f.clientMsgId === 'late')).toEqual([])
    expect((await storedMessages(relay, brand.apiKey, 'conv-closed-a')).map((m) => m.clientMsgId)).toEqual(['conv-closed-a-first'])
  })

  it('stores a message sent right before conversation.close on the same connection', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const a = await connectAgent(relay, agent)
    const v = await connectVisitor(relay, brand)
    await openAndJoin(v.client, a.client, 'conv-bye')

    // Frames on one connection take effect in the order sent: "bye" first, then the close.
    v.client.send({ type: 'message.send', convId: 'conv-bye', clientMsgId: 'bye', text: 'Thanks, bye!' })
    v.client.send({ type: 'conversation.close', convId: 'conv-bye', ref: 'close-bye' })
    await frameOf(v.client, 'conversation.closed')
    const answer = await Promise.race([
      frameOf(v.client, 'message.ack', (f) => f.clientMsgId === 'bye'),
      frameOf(v.client, 'error', (f) => f.ref === 'bye'),
    ])

    expect(answer).toEqual(expect.objectContaining({ type: 'message.ack', clientMsgId: 'bye', seq: 2 }))
    expect((await storedMessages(relay, brand.apiKey, 'conv-bye')).map((m) => m.text)).toEqual(['hello', 'Thanks, bye!'])
  })
})
