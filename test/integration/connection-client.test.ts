import { describe, expect, it, onTestFinished } from 'vitest'
import type { ConversationAssigned, ConversationJoined, QueueListed } from '@parley/sdk/contract'
import { startRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand } from '../helpers/brand.js'
import { liveClient, type LiveClient } from '../helpers/live-client.js'
import { openAndAccept, useLiveRelay } from '../helpers/live-relay.js'
import { until } from '../helpers/until.js'

// The sdk's connection client (the one the widget, the console and Node programs use) against a
// real relay: delivery, outbox replay after a reload, resume after a drop, typed refusals.

const live = useLiveRelay()
const { visitor, agent } = live

describe('connection client', () => {
  it('carries a conversation between a visitor and an agent both ways, in order', async () => {
    const v = visitor()
    const a = await agent('Dana')
    const convId = await openAndAccept(v, a)
    for (let i = 1; i <= 5; i++) await v.conn.send(convId, `v${i}`)
    await until(() => a.texts(convId).length === 6, 'agent got 6')
    expect(a.texts(convId)).toEqual(['hello', 'v1', 'v2', 'v3', 'v4', 'v5'])
    await a.conn.send(convId, 'hi, Dana here')
    await until(() => v.texts(convId).includes('hi, Dana here'), 'visitor got the reply')
    expect(a.messages.at(-1)).toMatchObject({ text: 'hi, Dana here', seq: 7 })
    expect(v.messages.find((m) => m.text === 'hi, Dana here')?.from).toMatchObject({ kind: 'agent', name: 'Dana' })
    expect(await v.conn.outbox()).toEqual([])
  })

  it('replays an outbox left by a stopped client with the same ids: every message stored exactly once', async () => {
    const first = visitor()
    await first.open()
    const convId = first.conn.newConversationId()
    const sent = []
    for (let i = 1; i <= 8; i++) sent.push(await first.conn.send(convId, `m${i}`))
    // Stop at once: some sends were committed with their acks lost, some never left.
    await first.conn.stop()
    const second = visitor({ storage: first.storage, owner: 'after-reload' })
    await until(async () => (await second.conn.outbox()).length === 0, 'outbox drained')
    const res = await fetch(`${live.relay.url}/v1/conversations/${convId}/messages`, { headers: { authorization: `Bearer ${live.brand.apiKey}` } })
    const page = (await res.json()) as { messages: { seq: number; clientMsgId: string; text: string }[] }
    expect(page.messages.map((m) => m.text)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8'])
    expect(page.messages.map((m) => m.clientMsgId)).toEqual(sent.map((e) => e.clientMsgId))
    expect(page.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
  })

  it('after a network drop receives exactly the messages it missed, in order', async () => {
    const v = visitor()
    const a = await agent()
    const convId = await openAndAccept(v, a)
    v.offline = true
    v.sockets.at(-1)!.terminate()
    await until(() => v.conn.state.kind === 'retrying', 'visitor retrying')
    for (let i = 1; i <= 20; i++) await a.conn.send(convId, `a${i}`)
    await until(async () => (await a.conn.outbox()).length === 0, 'agent messages acked')
    v.offline = false
    await until(() => v.texts(convId).length === 21, 'visitor caught up')
    expect(v.texts(convId)).toEqual(['hello', ...Array.from({ length: 20 }, (_, i) => `a${i + 1}`)])
    expect(v.conn.lastSeq(convId)).toBe(21)
  })

  it('sends messages written while offline once the network is back, in order', async () => {
    const v = visitor()
    const a = await agent()
    const convId = await openAndAccept(v, a)
    v.offline = true
    v.sockets.at(-1)!.terminate()
    await until(() => v.conn.state.kind === 'retrying', 'visitor retrying')
    for (let i = 1; i <= 5; i++) await v.conn.send(convId, `offline ${i}`)
    expect(await v.conn.outbox()).toHaveLength(5)
    v.offline = false
    await until(() => a.texts(convId).length === 6, 'agent got all five')
    expect(a.texts(convId)).toEqual(['hello', 'offline 1', 'offline 2', 'offline 3', 'offline 4', 'offline 5'])
  })

  it("leaves another live tab's outbox entries to it and adopts those of a closed tab", async () => {
    const probe = visitor({ start: false, owner: 'tab-a' })
    const convId = probe.conn.newConversationId()
    await probe.conn.send(convId, 'from tab a')
    let tabAlive = true
    const b = visitor({ storage: probe.storage, owner: 'tab-b', isOwnerAlive: async (o) => o === 'tab-a' && tabAlive })
    await b.open()
    const own = await b.conn.send(b.conn.newConversationId(), 'from tab b')
    await until(async () => !(await b.conn.outbox()).some((e) => e.clientMsgId === own.clientMsgId), 'own message acked')
    expect((await b.conn.outbox()).map((e) => e.text)).toEqual(['from tab a'])
    tabAlive = false
    await b.conn.stop()
    b.conn.start()
    await until(async () => (await b.conn.outbox()).length === 0, 'orphan adopted and acked')
    expect(b.texts(convId)).toEqual(['from tab a'])
  })

  it('drops a message the relay refuses for good and reports it with its code', async () => {
    const v = visitor()
    const a = await agent()
    const convId = await openAndAccept(v, a)
    await a.conn.request({ type: 'conversation.close', convId })
    await until(() => v.frames.some((f) => f.type === 'conversation.closed'), 'visitor saw the close')
    const entry = await v.conn.send(convId, 'too late')
    await until(() => v.refused.length === 1, 'refused')
    expect(v.refused[0]).toEqual({ clientMsgId: entry.clientMsgId, code: 'PARLEY_ERR_CONV_CLOSED' })
    expect(await v.conn.outbox()).toEqual([])
  })

  it('rejects a request with the typed error the relay answered', async () => {
    const a = await agent()
    await expect(a.conn.request({ type: 'conversation.join', convId: 'no-such-conversation' }))
      .rejects.toMatchObject({ code: 'PARLEY_ERR_CONV_NOT_FOUND', retryable: false })
  })

  it("sends a request refused for the frame rate again after the relay's retryAfterMs, so a burst of requests all succeed", async () => {
    const slow = await startRelay({ limits: { framesPerSecond: 5 } })
    onTestFinished(() => slow.close())
    const b = await createTestBrand(slow)
    const who = await createTestAgent(slow, b.brandId)
    const a = liveClient({ url: slow.wsUrl, auth: { kind: 'agent', token: who.token } })
    onTestFinished(() => a.conn.stop())
    await a.open()
    // Twice the bucket's burst (2 s of frames at 5 a second), one after another as a console's rejoin sends them.
    const answers: string[] = []
    for (let i = 0; i < 20; i++) answers.push((await a.conn.request<QueueListed>({ type: 'queue.list' })).type)

    expect(answers).toEqual(Array(20).fill('queue.listed'))
    expect(a.frames.filter((f) => f.type === 'error').map((f) => f.type === 'error' && f.code)).toContain('PARLEY_ERR_LIMIT_RATE')
    expect(a.conn.state.kind).toBe('open')
  })

  it('keeps the visitor identity across a reload through the stored token', async () => {
    const first = visitor()
    await first.open()
    const id = first.conn.state.kind === 'open' && first.conn.state.welcome.identity.kind === 'visitor' ? first.conn.state.welcome.identity.visitorId : ''
    const convId = first.conn.newConversationId()
    await first.conn.send(convId, 'remember me')
    await until(() => first.messages.length === 1, 'acked')
    await first.conn.stop()
    const again = visitor({ storage: first.storage })
    await again.open()
    const state = again.conn.state
    expect(state.kind === 'open' && state.welcome.identity.kind === 'visitor' && state.welcome.identity.visitorId).toBe(id)
    expect(state.kind === 'open' && state.welcome.conversations.map((c) => c.convId)).toEqual([convId])
  })
})

/** The agent id a client logged in as. */
function accepted(c: LiveClient): string {
  const s = c.conn.state
  if (s.kind !== 'open' || s.welcome.identity.kind !== 'agent') throw new Error('not an open agent connection')
  return s.welcome.identity.agentId
}

describe('queue, accept and assign', () => {
  it('lists a waiting conversation, lets one agent accept it, and refuses a second', async () => {
    const v = visitor()
    const a = await agent('Ana')
    const b = await agent('Ben')
    await v.open()
    const convId = v.conn.newConversationId()
    await v.conn.send(convId, 'I need help with my order')
    await until(() => b.frames.some((f) => f.type === 'conversation.opened'), 'agents told of the new conversation')
    const queue = await a.conn.request<QueueListed>({ type: 'queue.list' })
    expect(queue.conversations).toEqual([expect.objectContaining({ convId, preview: 'I need help with my order', lastSeq: 1 })])
    const accepted = await a.conn.request<ConversationJoined>({ type: 'conversation.accept', convId })
    expect(accepted.assignedAgentId).toBe(accepted.agent.id)
    await expect(b.conn.request({ type: 'conversation.accept', convId })).rejects.toMatchObject({ code: 'PARLEY_ERR_CONV_ASSIGNED' })
    await until(() => b.frames.some((f) => f.type === 'conversation.assigned'), 'other agents told')
    const seen = v.frames.filter((f): f is ConversationAssigned => f.type === 'conversation.assigned')
    await until(() => v.frames.some((f) => f.type === 'conversation.assigned'), 'visitor told')
    expect(v.frames.find((f) => f.type === 'conversation.assigned')).toMatchObject({ agent: { kind: 'agent', name: 'Ana' } })
    expect(seen.length).toBeLessThanOrEqual(1)
    expect((await b.conn.request<QueueListed>({ type: 'queue.list' })).conversations).toEqual([])
  })

  it('hands a conversation to a colleague, who then receives its messages', async () => {
    const v = visitor()
    const a = await agent('Ana')
    const bAgent = await createTestAgent(live.relay, live.brand.brandId, 'Ben')
    const b = live.track(liveClient({ url: live.relay.wsUrl, auth: { kind: 'agent', token: bAgent.token } }))
    await b.open()
    const convId = await openAndAccept(v, a)
    await a.conn.request({ type: 'conversation.assign', convId, agentId: bAgent.agentId })
    await until(() => b.frames.some((f) => f.type === 'conversation.assigned'), 'Ben told')
    await v.conn.send(convId, 'still there?')
    await until(() => b.texts(convId).includes('still there?'), 'Ben receives the conversation')
    // Handing it on, Ana left it: it no longer comes back to her after a reconnect.
    expect(await live.relay.deps.store.isParticipant(live.brand.brandId, convId, { kind: 'agent', id: accepted(a) })).toBe(false)
    // Whoever joins later (Ben's console after a reload, Ana's) learns who holds it now, and how far they read.
    const benJoin = await b.conn.request<ConversationJoined>({ type: 'conversation.join', convId })
    expect(benJoin).toMatchObject({ assignedAgentId: bAgent.agentId, readSeq: 0 })
    b.conn.read(convId, benJoin.lastSeq)
    await until(async () => (await b.conn.request<ConversationJoined>({ type: 'conversation.join', convId })).readSeq === benJoin.lastSeq, "Ben's read position stored")
    expect((await a.conn.request<ConversationJoined>({ type: 'conversation.join', convId })).assignedAgentId).toBe(bAgent.agentId)
    await expect(a.conn.request({ type: 'conversation.assign', convId, agentId: 'nobody' })).rejects.toMatchObject({ code: 'PARLEY_ERR_AGENT_NOT_FOUND' })
  })

  it("refuses handing a conversation to another brand's agent, or taking one of another brand", async () => {
    const v = visitor()
    const a = await agent('Ana')
    const convId = await openAndAccept(v, a)
    const other = await createTestBrand(live.relay)
    const stranger = await createTestAgent(live.relay, other.brandId, 'Mallory')
    await expect(a.conn.request({ type: 'conversation.assign', convId, agentId: stranger.agentId })).rejects.toMatchObject({ code: 'PARLEY_ERR_AGENT_NOT_FOUND' })
    const m = live.track(liveClient({ url: live.relay.wsUrl, auth: { kind: 'agent', token: stranger.token } }))
    await m.open()
    await expect(m.conn.request({ type: 'conversation.assign', convId, agentId: stranger.agentId })).rejects.toMatchObject({ code: 'PARLEY_ERR_CONV_NOT_FOUND' })
    await expect(m.conn.request({ type: 'conversation.accept', convId })).rejects.toMatchObject({ code: 'PARLEY_ERR_CONV_NOT_FOUND' })
    // Nothing changed: Ana still holds it.
    expect((await a.conn.request<ConversationJoined>({ type: 'conversation.join', convId })).assignedAgentId).toBe(accepted(a))
  })

  it("shows agents the visitor's new page as context.updated", async () => {
    const v = visitor()
    const a = await agent()
    const convId = await openAndAccept(v, a)
    v.conn.updateContext({ url: 'https://shop.example/checkout', title: 'Checkout', tracking: 'not-shared' })
    await until(() => a.frames.some((f) => f.type === 'context.updated'), 'context reached the agent')
    expect(a.frames.find((f) => f.type === 'context.updated')).toMatchObject({ convId, context: { url: 'https://shop.example/checkout' } })
  })

  it('refuses queue frames from visitors with PARLEY_ERR_PROTOCOL_ROLE', async () => {
    const v = visitor()
    await v.open()
    await expect(v.conn.request({ type: 'queue.list' })).rejects.toMatchObject({ code: 'PARLEY_ERR_PROTOCOL_ROLE' })
  })
})
