import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestAgent, type TestBrand } from '../helpers/brand.js'
import type { TestClient } from '../helpers/ws-client.js'
import { connectAgent, connectVisitor, frameOf, openAndJoin, sendAndAck, type VisitorTab } from '../helpers/delivery-chat.js'
import { roundTrip } from '../helpers/delivery-round-trip.js'
import { until } from '../helpers/until.js'

// Typing indicators (relayed, not stored) and read cursors (stored, monotonic): who hears them.

/** A joined conversation with two visitor tabs and two connections of the agent. */
interface Room {
  brand: TestBrand
  agent: TestAgent
  convId: string
  tab1: VisitorTab
  tab2: VisitorTab
  a1: TestClient
  a2: TestClient
}

async function openRoom(relay: TestRelay, convId: string): Promise<Room> {
  const brand = await createTestBrand(relay)
  const agent = await createTestAgent(relay, brand.brandId, 'Ada')
  const a1 = (await connectAgent(relay, agent)).client
  const a2 = (await connectAgent(relay, agent)).client
  const tab1 = await connectVisitor(relay, brand)
  const tab2 = await connectVisitor(relay, brand, { token: tab1.token })
  await openAndJoin(tab1.client, a1, convId)
  // The join reaches every connection of the agent; wait until the second one has heard of it.
  await frameOf(a2, 'conversation.joined', (f) => f.convId === convId)
  return { brand, agent, convId, tab1, tab2, a1, a2 }
}

const kinds = (c: TestClient) => c.frames.map((f) => f.type).filter((t) => t === 'typing.start' || t === 'typing.stop' || t === 'message.new')

describe('typing indicators', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  it('relays typing.start and typing.stop from a visitor tab to the agent, before the message that follows them', async () => {
    const r = await openRoom(relay, 'typing-v')
    r.tab1.client.send({ type: 'typing.start', convId: r.convId })
    r.tab1.client.send({ type: 'typing.stop', convId: r.convId })
    await sendAndAck(r.tab1.client, r.convId, 'after-typing', 'typed this')
    await frameOf(r.a1, 'message.new', (m) => m.clientMsgId === 'after-typing')
    await frameOf(r.a2, 'message.new', (m) => m.clientMsgId === 'after-typing')

    const from = { kind: 'visitor', id: r.tab1.visitorId }
    expect(r.a1.all('typing.start')).toEqual([{ type: 'typing.start', convId: r.convId, from }])
    expect(r.a1.all('typing.stop')).toEqual([{ type: 'typing.stop', convId: r.convId, from }])
    expect(kinds(r.a1)).toEqual(['typing.start', 'typing.stop', 'message.new'])
    expect(kinds(r.a2)).toEqual(['typing.start', 'typing.stop', 'message.new'])
  })

  it('accepts typing.start sent right after the message that opens the conversation', async () => {
    const brand = await createTestBrand(relay)
    const v = await connectVisitor(relay, brand)
    // The visitor keeps typing after sending: both frames leave together, in this order.
    v.client.send({ type: 'message.send', convId: 'typing-first', clientMsgId: 'm1', text: 'hi' })
    v.client.send({ type: 'typing.start', convId: 'typing-first', ref: 'typing-1' })
    await frameOf(v.client, 'message.ack', (f) => f.clientMsgId === 'm1')
    await roundTrip(v.client)

    expect(v.client.all('error', (e) => e.ref === 'typing-1')).toEqual([])
  })

  it("does not echo a visitor's typing to the visitor's own tabs", async () => {
    const r = await openRoom(relay, 'typing-v-self')
    r.tab1.client.send({ type: 'typing.start', convId: r.convId })
    r.tab1.client.send({ type: 'typing.stop', convId: r.convId })
    // The message is committed after the typing frames were relayed, so once it is everywhere, so is typing.
    await sendAndAck(r.tab1.client, r.convId, 'after-typing', 'typed this')
    await frameOf(r.tab2.client, 'message.new', (m) => m.clientMsgId === 'after-typing')
    await frameOf(r.a1, 'typing.stop')

    expect(r.tab1.client.all('typing.start')).toEqual([])
    expect(r.tab1.client.all('typing.stop')).toEqual([])
    expect(r.tab2.client.all('typing.start')).toEqual([])
    expect(r.tab2.client.all('typing.stop')).toEqual([])
  })

  it("relays an agent's typing to every visitor tab but not to the agent's own connections", async () => {
    const r = await openRoom(relay, 'typing-a')
    r.a1.send({ type: 'typing.start', convId: r.convId })
    await sendAndAck(r.a1, r.convId, 'agent-after-typing', 'here is the answer')
    await frameOf(r.a2, 'message.new', (m) => m.clientMsgId === 'agent-after-typing')
    await frameOf(r.tab1.client, 'message.new', (m) => m.clientMsgId === 'agent-after-typing')
    await frameOf(r.tab2.client, 'message.new', (m) => m.clientMsgId === 'agent-after-typing')

    const from = { kind: 'agent', id: r.agent.agentId, name: 'Ada' }
    expect(r.tab1.client.all('typing.start')).toEqual([{ type: 'typing.start', convId: r.convId, from }])
    expect(r.tab2.client.all('typing.start')).toEqual([{ type: 'typing.start', convId: r.convId, from }])
    expect(r.a1.all('typing.start')).toEqual([])
    expect(r.a2.all('typing.start')).toEqual([])
  })
})

describe('read cursors', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  /** The visitor's stored cursor. markRead never moves it back, so asking with 0 only reads it. */
  const visitorCursor = (r: Room) => relay.deps.store.markRead(r.brand.brandId, r.convId, { kind: 'visitor', id: r.tab1.visitorId }, 0)

  it('moves the read cursor forward only: a lower seq after a higher one leaves it where it was', async () => {
    const r = await openRoom(relay, 'read-forward')
    for (let i = 0; i < 4; i++) await sendAndAck(r.a1, r.convId, `a${i}`, `answer ${i}`) // seqs 2..5

    r.tab1.client.send({ type: 'message.read', convId: r.convId, seq: 4 })
    r.tab1.client.send({ type: 'message.read', convId: r.convId, seq: 2 })
    // Frames of one connection run in order, so this message follows both reads everywhere.
    await sendAndAck(r.tab1.client, r.convId, 'after-reads', 'ok')
    await frameOf(r.a1, 'message.new', (m) => m.clientMsgId === 'after-reads')
    const cursorAfterLower = await visitorCursor(r)
    r.tab1.client.send({ type: 'message.read', convId: r.convId, seq: 5 })
    await frameOf(r.a1, 'message.read', (e) => e.seq === 5)

    expect(cursorAfterLower).toBe(4)
    expect(await visitorCursor(r)).toBe(5)
    const seen = r.a1.all('message.read').map((e) => e.seq)
    expect(seen[0]).toBe(4)
    expect(seen.filter((s) => s < 4)).toEqual([])
    expect(seen[seen.length - 1]).toBe(5)
  })

  it("fans a visitor's read out to the agent and the visitor's other tabs, not back to the reading tab", async () => {
    const r = await openRoom(relay, 'read-visitor')
    await sendAndAck(r.a1, r.convId, 'a1', 'answer') // seq 2
    await frameOf(r.tab1.client, 'message.new', (m) => m.clientMsgId === 'a1')

    r.tab1.client.send({ type: 'message.read', convId: r.convId, seq: 2 })
    const by = { kind: 'visitor', id: r.tab1.visitorId }
    const toAgent = await frameOf(r.a1, 'message.read')
    const toAgentTab = await frameOf(r.a2, 'message.read')
    const toTab2 = await frameOf(r.tab2.client, 'message.read')
    await roundTrip(r.tab1.client)

    const event = { type: 'message.read', convId: r.convId, seq: 2, by }
    expect([toAgent, toAgentTab, toTab2]).toEqual([event, event, event])
    expect(r.tab1.client.all('message.read')).toEqual([])
    expect(await visitorCursor(r)).toBe(2)
  })

  it("fans an agent's read out to the visitor's tabs and the agent's other connections, not back to the reader", async () => {
    const r = await openRoom(relay, 'read-agent')
    await sendAndAck(r.tab1.client, r.convId, 'v2', 'question') // seq 2

    r.a1.send({ type: 'message.read', convId: r.convId, seq: 2 })
    const by = { kind: 'agent', id: r.agent.agentId, name: 'Ada' }
    const seen = [await frameOf(r.tab1.client, 'message.read'), await frameOf(r.tab2.client, 'message.read'), await frameOf(r.a2, 'message.read')]
    await roundTrip(r.a1)

    const event = { type: 'message.read', convId: r.convId, seq: 2, by }
    expect(seen).toEqual([event, event, event])
    expect(r.a1.all('message.read')).toEqual([])
    expect(await relay.deps.store.markRead(r.brand.brandId, r.convId, { kind: 'agent', id: r.agent.agentId }, 0)).toBe(2)
  })

  it("gives an agent who rejoins (after a reload) how far the visitor has read, in conversation.joined", async () => {
    const r = await openRoom(relay, 'read-rejoin')
    await sendAndAck(r.a1, r.convId, 'a1', 'answer') // seq 2
    await sendAndAck(r.a1, r.convId, 'a2', 'more') // seq 3
    r.tab1.client.send({ type: 'message.read', convId: r.convId, seq: 2 })
    await frameOf(r.a1, 'message.read', (e) => e.seq === 2)
    r.a1.close()

    const again = (await connectAgent(relay, r.agent)).client
    again.send({ type: 'conversation.join', convId: r.convId, ref: 'rejoin' })
    const joined = await frameOf(again, 'conversation.joined', (f) => f.ref === 'rejoin')
    // The visitor's tabs hear that the agent joined again, without the joiner's read positions.
    await until(() => r.tab1.client.all('conversation.joined').length === 2, 'the rejoin told to the visitor')

    expect(joined).toMatchObject({ convId: r.convId, lastSeq: 3, readSeq: 0, visitorReadSeq: 2 })
    for (const told of r.tab1.client.all('conversation.joined')) expect(Object.keys(told)).not.toContain('visitorReadSeq')
  })
})
