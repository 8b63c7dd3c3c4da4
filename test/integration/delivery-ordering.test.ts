import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MessageNew, StoredMessage } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand } from '../helpers/brand.js'
import type { TestClient } from '../helpers/ws-client.js'
import { collect, connectAgent, connectVisitor, frameOf, openAndJoin } from '../helpers/delivery-chat.js'
import { storedMessages } from '../helpers/delivery-transcript.js'

// Many writers at once, no one waiting for acks: every conversation still gets seqs 1..N without
// gaps or repeats, each sender's messages keep their order, and every reader gets each message once,
// in seq order. Rate limits are lifted: this is about ordering, not throttling.

const PER_SENDER = 50

/** What a reader saw, reduced to what must match the store exactly. */
const shape = (m: MessageNew | StoredMessage) => `${m.seq}|${m.clientMsgId}|${m.from.kind}:${m.from.id}|${m.text}`

/** The seqs the store gave one sender's messages, in the order the sender sent them. */
function seqsInSendOrder(stored: StoredMessage[], ids: string[]): number[] {
  const byId = new Map(stored.map((m) => [m.clientMsgId, m.seq]))
  return ids.map((id) => byId.get(id) ?? -1)
}

const isIncreasing = (xs: number[]) => xs.every((x, i) => i === 0 || x > xs[i - 1]!)

describe('ordering under concurrency', () => {
  let relay: TestRelay
  beforeAll(async () => {
    relay = await startRelay({ limits: { messagesPerSecond: 100_000, visitorMessagesPerSecond: 100_000, framesPerSecond: 100_000 } })
  })
  afterAll(async () => { await relay.close() })

  it('gives every conversation gap-free seqs, keeps each sender\'s order and delivers each message once in seq order', async () => {
    const brand = await createTestBrand(relay)
    const agents = [await createTestAgent(relay, brand.brandId, 'Ada'), await createTestAgent(relay, brand.brandId, 'Bo')]
    const agentConns = await Promise.all(agents.map((a) => connectAgent(relay, a)))
    // A second connection per agent only listens: it must see every message of its conversations.
    const agentWatchers = await Promise.all(agents.map((a) => connectAgent(relay, a)))
    const convs: { convId: string; visitor: TestClient; watcher: TestClient; agent: TestClient; agentWatcher: TestClient }[] = []
    for (let i = 0; i < 5; i++) {
      const tab = await connectVisitor(relay, brand)
      const second = await connectVisitor(relay, brand, { token: tab.token })
      const convId = `conc-${i}`
      await openAndJoin(tab.client, agentConns[i % 2]!.client, convId, `first ${i}`)
      convs.push({ convId, visitor: tab.client, watcher: second.client, agent: agentConns[i % 2]!.client, agentWatcher: agentWatchers[i % 2]!.client })
    }

    // Fire everything, interleaving conversations and sides; nobody waits for an ack.
    const visitorIds = (c: string) => Array.from({ length: PER_SENDER }, (_, k) => `${c}-v${k}`)
    const agentIds = (c: string) => Array.from({ length: PER_SENDER }, (_, k) => `${c}-a${k}`)
    for (let k = 0; k < PER_SENDER; k++) {
      for (const c of convs) {
        c.visitor.send({ type: 'message.send', convId: c.convId, clientMsgId: visitorIds(c.convId)[k], text: `visitor ${k} in ${c.convId}` })
        c.agent.send({ type: 'message.send', convId: c.convId, clientMsgId: agentIds(c.convId)[k], text: `agent ${k} in ${c.convId}` })
      }
    }
    const total = 1 + 2 * PER_SENDER
    for (const c of convs) {
      const inConv = (f: { convId: string }) => f.convId === c.convId
      await collect(c.visitor, 'message.ack', inConv, 1 + PER_SENDER, `visitor acks in ${c.convId}`)
      await collect(c.agent, 'message.ack', inConv, PER_SENDER, `agent acks in ${c.convId}`)
      await collect(c.visitor, 'message.new', inConv, PER_SENDER, `agent messages at the visitor in ${c.convId}`)
      await collect(c.agent, 'message.new', inConv, PER_SENDER, `visitor messages at the agent in ${c.convId}`)
      await collect(c.watcher, 'message.new', inConv, total, `all messages at the second tab in ${c.convId}`)
      await collect(c.agentWatcher, 'message.new', inConv, total - 1, `all messages after the join at the agent's second connection in ${c.convId}`)
    }

    for (const c of convs) {
      const stored = await storedMessages(relay, brand.apiKey, c.convId)
      const inConv = (f: { convId: string }) => f.convId === c.convId
      expect(stored.map((m) => m.seq), c.convId).toEqual(Array.from({ length: total }, (_, i) => i + 1))
      expect(isIncreasing(seqsInSendOrder(stored, visitorIds(c.convId))), `visitor order in ${c.convId}`).toBe(true)
      expect(isIncreasing(seqsInSendOrder(stored, agentIds(c.convId))), `agent order in ${c.convId}`).toBe(true)
      // Each ack names the seq the store gave that message.
      const acks = [...c.visitor.all('message.ack', inConv), ...c.agent.all('message.ack', inConv)]
      const storedSeq = new Map(stored.map((m) => [m.clientMsgId, m.seq]))
      expect(acks.filter((a) => storedSeq.get(a.clientMsgId) !== a.seq), `acks in ${c.convId}`).toEqual([])
      // Readers: exactly the stored messages they should get, each once, in seq order.
      const fromAgent = stored.filter((m) => m.from.kind === 'agent')
      const fromVisitor = stored.filter((m) => m.from.kind === 'visitor' && m.seq > 1)
      expect(c.visitor.all('message.new', inConv).map(shape), `visitor in ${c.convId}`).toEqual(fromAgent.map(shape))
      expect(c.agent.all('message.new', inConv).map(shape), `agent in ${c.convId}`).toEqual(fromVisitor.map(shape))
      expect(c.watcher.all('message.new', inConv).map(shape), `second tab in ${c.convId}`).toEqual(stored.map(shape))
      expect(c.agentWatcher.all('message.new', inConv).map(shape), `agent's second connection in ${c.convId}`).toEqual(stored.slice(1).map(shape))
    }
  })

  it('keeps one conversation gap-free when two agents and two visitor tabs write to it at once', async () => {
    const brand = await createTestBrand(relay)
    const ada = await createTestAgent(relay, brand.brandId, 'Ada')
    const bo = await createTestAgent(relay, brand.brandId, 'Bo')
    const a1 = await connectAgent(relay, ada)
    const a2 = await connectAgent(relay, bo)
    const tab1 = await connectVisitor(relay, brand)
    const tab2 = await connectVisitor(relay, brand, { token: tab1.token })
    await openAndJoin(tab1.client, a1.client, 'shared')
    await frameOf(a2.client, 'conversation.opened', (f) => f.convId === 'shared')
    a2.client.send({ type: 'conversation.join', convId: 'shared', ref: 'join-bo' })
    await frameOf(a2.client, 'conversation.joined', (f) => f.ref === 'join-bo')

    const writers = [
      { name: 'tab1', client: tab1.client }, { name: 'tab2', client: tab2.client },
      { name: 'ada', client: a1.client }, { name: 'bo', client: a2.client },
    ]
    for (let k = 0; k < PER_SENDER; k++) {
      for (const w of writers) w.client.send({ type: 'message.send', convId: 'shared', clientMsgId: `${w.name}-${k}`, text: `${w.name} ${k}` })
    }
    const total = 1 + writers.length * PER_SENDER
    for (const w of writers) {
      await collect(w.client, 'message.ack', (a) => a.clientMsgId.startsWith(`${w.name}-`), PER_SENDER, `acks of ${w.name}`)
    }
    // Every writer reads everyone else's messages.
    for (const w of writers) {
      await collect(w.client, 'message.new', (m) => m.seq > 1 && !m.clientMsgId.startsWith(`${w.name}-`), (writers.length - 1) * PER_SENDER, `messages at ${w.name}`)
    }

    const stored = await storedMessages(relay, brand.apiKey, 'shared')
    expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1))
    for (const w of writers) {
      const ids = Array.from({ length: PER_SENDER }, (_, k) => `${w.name}-${k}`)
      expect(isIncreasing(seqsInSendOrder(stored, ids)), `order of ${w.name}`).toBe(true)
      const others = stored.filter((m) => m.seq > 1 && !m.clientMsgId.startsWith(`${w.name}-`))
      expect(w.client.all('message.new', (m) => m.seq > 1).map(shape), `reader ${w.name}`).toEqual(others.map(shape))
    }
  })
})
