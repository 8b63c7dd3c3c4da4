import { queryObjects } from 'node:v8'
import { afterEach, describe, expect, it } from 'vitest'
import { LiveSession } from '../../server/src/relay/session.js'
import type { Store } from '../../server/src/store/store.js'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestAgent } from '../helpers/brand.js'
import { TestClient } from '../helpers/ws-client.js'
import { until } from '../helpers/until.js'
import { holdCommits, holdStoreCall } from '../helpers/delivery-store-gate.js'
import { connectAgent, connectVisitor, openAndJoin } from '../helpers/delivery-chat.js'

// An agent connection that closes while one of its frames is still waiting on the store must be
// forgotten like any other closed connection. Fan-out's follow() after the session's close has
// already run Fanout.remove() puts the dead session back into the routing table for good: every
// later message of that conversation is routed to it, and it (with its socket) is never freed.

/** Live LiveSession objects in this process, after a full garbage collection. */
const liveSessions = () => queryObjects(LiveSession as unknown as new () => unknown, { format: 'count' }) as number

/** Counts finished calls of one store method (installed under any gate, so it sees the real answer). */
function countCalls(relay: TestRelay, method: keyof Store): () => number {
  const store = relay.deps.store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>
  const original = store[method]!
  let done = 0
  store[method] = async (...args: unknown[]) => {
    try { return await original.apply(store, args) } finally { done++ }
  }
  return () => done
}

/** Waits until the relay has seen every socket close (its WebSocket server holds none). */
async function relayHasNoSockets(relay: TestRelay): Promise<void> {
  await until(() => relay.app.websocketServer.clients.size === 0, 'relay to see every socket close')
}

/** A brand with a visitor conversation `convId` that `agent` has joined; every client closed again. */
async function joinedConversation(relay: TestRelay, convId: string): Promise<TestAgent> {
  const brand = await createTestBrand(relay)
  const agent = await createTestAgent(relay, brand.brandId, 'Ada')
  const a = (await connectAgent(relay, agent)).client
  const v = await connectVisitor(relay, brand)
  await openAndJoin(v.client, a, convId)
  // The relay announces the agent going offline after the close, with store reads that keep the
  // closed session reachable until they finish: a baseline taken before then counts it.
  const offline = new Promise<void>((resolve) => {
    const off = relay.deps.bus.subscribe((e) => {
      if (e.frame.type === 'agent.status' && e.frame.agent.agentId === agent.agentId && e.frame.agent.status === 'offline') {
        off()
        resolve()
      }
    })
  })
  v.client.close()
  a.close()
  await offline
  return agent
}

describe('closed agent connections leave fan-out', () => {
  let relay: TestRelay | null = null
  afterEach(async () => { await relay?.close(); relay = null })

  it('frees an agent connection that closes while its hello waits for the conversation list', async () => {
    relay = await startRelay()
    const agent = await joinedConversation(relay, 'leak-hello')
    await relayHasNoSockets(relay)
    const baseline = liveSessions()

    const listed = countCalls(relay, 'listParticipantConversations')
    const gate = holdStoreCall(relay, 'listParticipantConversations', 'before')
    const a2 = await TestClient.connect(relay.wsUrl)
    a2.send({ type: 'hello', protocol: 1, auth: { kind: 'agent', token: agent.token } })
    await until(() => gate.held() === 1, 'hello to reach the conversation list')
    a2.close()
    await a2.closed()
    await relayHasNoSockets(relay)
    gate.release()
    // An agent's hello reads the list twice; after the second read it follows and sends welcome.
    await until(() => listed() >= 2, 'hello to finish')
    await until(() => relay!.deps.store.ping().then(() => true), 'one more store round trip')

    expect(liveSessions()).toBe(baseline)
  })

  it('drops a join queued behind a pending message when the connection closes, and frees the connection', async () => {
    relay = await startRelay()
    const agent = await joinedConversation(relay, 'leak-join')
    const a2 = (await connectAgent(relay, agent)).client
    const joins = countCalls(relay, 'joinConversation')
    const appends = countCalls(relay, 'appendMessages')
    const commits = holdCommits(relay)
    a2.send({ type: 'message.send', convId: 'leak-join', clientMsgId: 'held', text: 'held at the store' })
    // The join waits for the message's commit (frames take effect in the order sent).
    a2.send({ type: 'conversation.join', convId: 'leak-join', ref: 'j' })
    await until(() => commits.held() === 1, 'the message to reach the store')
    a2.close()
    await a2.closed()
    await relayHasNoSockets(relay)
    const baseline = liveSessions()
    commits.release()
    // The held batch commits, then a probe batch behind it: once the probe is through, the relay
    // has answered the held one and run (or dropped) the join queued behind it.
    const probe = await relay.deps.store.appendMessages([])
    expect(probe).toEqual([])
    await until(() => appends() >= 2, 'the held commit and the probe to finish')
    await until(() => relay!.deps.store.ping().then(() => true), 'one more store round trip')

    // The session closed before the join could run: the join is dropped (the client is gone) and
    // nothing may keep the session alive now.
    expect(joins()).toBe(0)
    expect(liveSessions()).toBe(baseline - 1)
  })

  it('frees an agent connection that closes while a conversation.resume is being answered', async () => {
    relay = await startRelay()
    const agent = await joinedConversation(relay, 'leak-resume')
    const a2 = (await connectAgent(relay, agent)).client
    const reads = countCalls(relay, 'readMessages')
    const gate = holdStoreCall(relay, 'getConversation', 'before')
    a2.send({ type: 'conversation.resume', convs: [{ convId: 'leak-resume', afterSeq: 0 }] })
    await until(() => gate.held() === 1, 'the resume to reach the store')
    a2.close()
    await a2.closed()
    await relayHasNoSockets(relay)
    const baseline = liveSessions()
    gate.release()
    await until(() => reads() >= 1, 'the resume to read the conversation')
    await until(() => relay!.deps.store.ping().then(() => true), 'one more store round trip')

    expect(liveSessions()).toBe(baseline - 1)
  })
})
