import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import type { MessageNew, StoredMessage } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestAgent, type TestBrand } from '../helpers/brand.js'
import type { TestClient } from '../helpers/ws-client.js'
import { until } from '../helpers/until.js'
import {
  collect, connectAgent, connectVisitor, finishResume, frameOf, openAndJoin, receivedSeqs, sendAndAck, seqRange, type VisitorTab,
} from '../helpers/delivery-chat.js'
import { storedMessages } from '../helpers/delivery-transcript.js'
import { roundTrip } from '../helpers/delivery-round-trip.js'
import { holdStoreCall } from '../helpers/delivery-store-gate.js'

// A client that was away says where it stands (`resume`); the relay replays what it missed, in
// order, then lets live messages through, so the client ends up with every message exactly once.

/** What must match between a delivered message and the stored one. */
const shape = (m: MessageNew | StoredMessage) => `${m.seq}|${m.clientMsgId}|${m.from.kind}:${m.from.id}|${m.text}`

/** The types of the frames `client` got for `convId` that matter to a resume, in arrival order. */
const resumeTrace = (client: TestClient, convId: string) => client.frames
  .filter((f) => (f.type === 'message.new' || f.type === 'conversation.resumed') && f.convId === convId)
  .map((f) => (f.type === 'message.new' ? f.seq : `resumed@${(f as { lastSeq: number }).lastSeq}`))

/** Lifts rate limits: these tests are about delivery, not throttling. */
const UNTHROTTLED = { messagesPerSecond: 100_000, visitorMessagesPerSecond: 100_000, framesPerSecond: 100_000 }

/** A visitor who opened `convId` (seq 1) with the agent joined, then went away. */
async function visitorWentAway(relay: TestRelay, convId: string): Promise<{ brand: TestBrand; agent: TestAgent; a: TestClient; gone: VisitorTab }> {
  const brand = await createTestBrand(relay)
  const agent = await createTestAgent(relay, brand.brandId, 'Ada')
  const a = (await connectAgent(relay, agent)).client
  const gone = await connectVisitor(relay, brand)
  await openAndJoin(gone.client, a, convId)
  gone.client.close()
  await gone.client.closed()
  return { brand, agent, a, gone }
}

/** The agent sends `n` messages to `convId`, one after another, each acked. */
async function agentSends(a: TestClient, convId: string, n: number, prefix = 'away'): Promise<void> {
  for (let i = 0; i < n; i++) await sendAndAck(a, convId, `${prefix}-${i}`, `${prefix} message ${i}`)
}

/**
 * Keeps the agent sending (bursts of three, each burst acked) until `stop()` or the end of the test;
 * `sent()` counts the acked messages so far.
 */
function keepSending(a: TestClient, convId: string): { sent: () => number; stop: () => Promise<void> } {
  let running = true
  let acked = 0
  const loop = (async () => {
    for (let burst = 0; running; burst++) {
      const ids = [0, 1, 2].map((k) => `live-${burst}-${k}`)
      for (const id of ids) a.send({ type: 'message.send', convId, clientMsgId: id, text: `live ${id}` })
      for (const id of ids) await frameOf(a, 'message.ack', (f) => f.clientMsgId === id, `ack of ${id}`)
      acked += ids.length
    }
  })()
  // A failed test must not leave the loop sending into a relay that is shutting down.
  const settled = loop.catch((err: unknown) => { if (running) throw err })
  onTestFinished(async () => { running = false; await settled.catch(() => {}) })
  return { sent: () => acked, stop: async () => { running = false; await settled } }
}

describe('resume', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay({ limits: UNTHROTTLED }) })
  afterAll(async () => { await relay.close() })

  it('replays exactly the messages missed while away when hello carries resume, then sends conversation.resumed', async () => {
    const { brand, a, gone } = await visitorWentAway(relay, 'away')
    await agentSends(a, 'away', 20)

    const back = await connectVisitor(relay, brand, { token: gone.token, resume: [{ convId: 'away', afterSeq: 1 }] })
    const [resumed] = await finishResume(back.client, 'away')
    // One live message afterwards: it must follow the replay, and nothing may come twice.
    await sendAndAck(a, 'away', 'after', 'welcome back')
    await frameOf(back.client, 'message.new', (m) => m.clientMsgId === 'after')

    const stored = await storedMessages(relay, brand.apiKey, 'away')
    expect(resumed).toEqual({ type: 'conversation.resumed', convId: 'away', lastSeq: 21, more: false, status: 'open' })
    expect(resumeTrace(back.client, 'away')).toEqual([...seqRange(1, 21), 'resumed@21', 22])
    expect(back.client.all('message.new').map(shape)).toEqual(stored.slice(1).map(shape))
  })

  it('replays the missed messages in answer to a conversation.resume frame sent after welcome', async () => {
    const { brand, a, gone } = await visitorWentAway(relay, 'later')
    await agentSends(a, 'later', 20)

    const back = await connectVisitor(relay, brand, { token: gone.token })
    back.client.send({ type: 'conversation.resume', convs: [{ convId: 'later', afterSeq: 1 }], ref: 'r1' })
    const [resumed] = await finishResume(back.client, 'later')

    const stored = await storedMessages(relay, brand.apiKey, 'later')
    expect(resumed).toEqual({ type: 'conversation.resumed', convId: 'later', lastSeq: 21, more: false, status: 'open', ref: 'r1' })
    expect(resumeTrace(back.client, 'later')).toEqual([...seqRange(1, 21), 'resumed@21'])
    expect(back.client.all('message.new').map(shape)).toEqual(stored.slice(1).map(shape))
  })

  it('resumes several conversations of an agent in one hello, each in order and each closed by its own conversation.resumed', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const first = await connectAgent(relay, agent)
    const visitors = [await connectVisitor(relay, brand), await connectVisitor(relay, brand), await connectVisitor(relay, brand)]
    const convIds = ['multi-0', 'multi-1', 'multi-2']
    for (let i = 0; i < 3; i++) await openAndJoin(visitors[i]!.client, first.client, convIds[i]!)
    first.client.close()
    await first.client.closed()
    // While the agent is away: 7, 0 and 4 new messages.
    const missed = [7, 0, 4]
    for (let i = 0; i < 3; i++) for (let k = 0; k < missed[i]!; k++) await sendAndAck(visitors[i]!.client, convIds[i]!, `q${i}-${k}`, `question ${k}`)

    const back = await connectAgent(relay, agent, { resume: convIds.map((convId) => ({ convId, afterSeq: 1 })) })
    for (const convId of convIds) await finishResume(back.client, convId)

    for (let i = 0; i < 3; i++) {
      const stored = await storedMessages(relay, brand.apiKey, convIds[i]!)
      expect(resumeTrace(back.client, convIds[i]!), convIds[i]).toEqual([...seqRange(1, 1 + missed[i]!), `resumed@${1 + missed[i]!}`])
      expect(back.client.all('message.new', (m) => m.convId === convIds[i]).map(shape), convIds[i]).toEqual(stored.slice(1).map(shape))
    }
  })

  it('neither loses nor repeats messages the agent keeps sending while the visitor reconnects with resume in hello', async () => {
    // The race needs messages committed while the resume runs. A loaded machine can run a whole
    // resume between two of the agent's bursts, so the reconnect is tried on up to three
    // conversations until one overlapped; each must lose and repeat nothing either way.
    let overlapped = false
    for (let attempt = 0; attempt < 3 && !overlapped; attempt++) {
      const convId = `busy-${attempt}`
      const { brand, a, gone } = await visitorWentAway(relay, convId)
      await agentSends(a, convId, 20)

      const pump = keepSending(a, convId)
      await until(() => pump.sent() >= 6, 'live traffic under way')
      const sentBeforeHello = pump.sent()
      const back = await connectVisitor(relay, brand, { token: gone.token, resume: [{ convId, afterSeq: 1 }] })
      await finishResume(back.client, convId)
      const sentAfterResume = pump.sent()
      await until(() => pump.sent() >= sentAfterResume + 9, 'live traffic after the resume')
      await pump.stop()

      const stored = await storedMessages(relay, brand.apiKey, convId)
      await collect(back.client, 'message.new', () => true, stored.length - 1, 'every stored message after seq 1')
      expect(receivedSeqs(back.client, convId)).toEqual(seqRange(1, stored.length))
      expect(back.client.all('message.new').map(shape)).toEqual(stored.slice(1).map(shape))
      overlapped = sentAfterResume > sentBeforeHello
    }
    expect(overlapped, 'messages acked while a resume ran, in one of three tries').toBe(true)
  }, 90_000)

  it.each([
    ['answers with what it read before they were committed', 'after'],
    ['reads only after they were committed', 'before'],
  ] as const)('neither loses nor repeats live messages committed while the replay read is in flight, when the store %s', async (_, when) => {
    const convId = `slow-read-${when}`
    const { brand, a, gone } = await visitorWentAway(relay, convId)
    await agentSends(a, convId, 5) // seqs 2..6
    const gate = holdStoreCall(relay, 'readMessages', when)
    onTestFinished(() => { gate.release(); gate.restore() })

    const back = await connectVisitor(relay, brand, { token: gone.token, resume: [{ convId, afterSeq: 1 }] })
    await until(() => gate.held() > 0, 'the replay read waiting at the gate')
    await agentSends(a, convId, 3, 'during') // seqs 7..9, committed and fanned out during the read
    gate.release()
    const [resumed] = await finishResume(back.client, convId)
    await sendAndAck(a, convId, 'after', 'and one more') // seq 10, live
    await frameOf(back.client, 'message.new', (m) => m.clientMsgId === 'after')
    gate.restore()

    const stored = await storedMessages(relay, brand.apiKey, convId)
    expect(resumed).toMatchObject({ lastSeq: 9, more: false })
    expect(resumeTrace(back.client, convId)).toEqual([...seqRange(1, 9), 'resumed@9', 10])
    expect(back.client.all('message.new').map(shape)).toEqual(stored.slice(1).map(shape))
  })

  it('replays a closed conversation and reports it closed in conversation.resumed', async () => {
    const { brand, a, gone } = await visitorWentAway(relay, 'ended')
    await agentSends(a, 'ended', 3)
    a.send({ type: 'conversation.close', convId: 'ended', ref: 'end' })
    await frameOf(a, 'conversation.closed', (f) => f.ref === 'end')

    const back = await connectVisitor(relay, brand, { token: gone.token, resume: [{ convId: 'ended', afterSeq: 1 }] })
    const [resumed] = await finishResume(back.client, 'ended')

    expect(resumed).toMatchObject({ convId: 'ended', lastSeq: 4, more: false, status: 'closed' })
    expect(back.welcome.conversations).toEqual([{ convId: 'ended', lastSeq: 4, status: 'closed' }])
    expect(receivedSeqs(back.client, 'ended')).toEqual([2, 3, 4])
  })

  it('still delivers later messages live after a client resumed from beyond the last seq the relay holds', async () => {
    const { brand, a, gone } = await visitorWentAway(relay, 'ahead')
    await agentSends(a, 'ahead', 2) // seqs 2 and 3
    // A client whose local copy claims more than the relay has (e.g. the relay was restored from a backup).
    const back = await connectVisitor(relay, brand, { token: gone.token, resume: [{ convId: 'ahead', afterSeq: 10 }] })
    const [resumed] = await finishResume(back.client, 'ahead')

    await sendAndAck(a, 'ahead', 'next', 'are you there?') // seq 4
    await roundTrip(back.client)

    expect(receivedSeqs(back.client, 'ahead')).toEqual([4])
    expect(resumed).toMatchObject({ convId: 'ahead', lastSeq: 3, more: false })
  })

  it('lists the visitor\'s conversations with their lastSeq and status in welcome', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const a = (await connectAgent(relay, agent)).client
    const v = await connectVisitor(relay, brand)
    await openAndJoin(v.client, a, 'first-topic')
    await agentSends(a, 'first-topic', 3)
    a.send({ type: 'conversation.close', convId: 'first-topic' })
    await frameOf(v.client, 'conversation.closed')
    await sendAndAck(v.client, 'second-topic', 's1', 'one more question')

    const back = await connectVisitor(relay, brand, { token: v.token })

    expect(back.welcome.conversations).toEqual([
      { convId: 'second-topic', lastSeq: 1, status: 'open' },
      { convId: 'first-topic', lastSeq: 4, status: 'closed' },
    ])
  })

  it('lists the open conversations an agent joined with their lastSeq in welcome', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const a = (await connectAgent(relay, agent)).client
    const v1 = await connectVisitor(relay, brand)
    const v2 = await connectVisitor(relay, brand)
    const v3 = await connectVisitor(relay, brand)
    await openAndJoin(v1.client, a, 'joined-a')
    await openAndJoin(v2.client, a, 'joined-b')
    await sendAndAck(v3.client, 'not-joined', 'n1', 'nobody here?')
    await sendAndAck(v2.client, 'joined-b', 'b2', 'more')
    await sendAndAck(v1.client, 'joined-a', 'a2', 'more')
    await sendAndAck(v1.client, 'joined-a', 'a3', 'and more')

    const back = await connectAgent(relay, agent)

    expect([...back.welcome.conversations].sort((x, y) => x.convId.localeCompare(y.convId))).toEqual([
      { convId: 'joined-a', lastSeq: 3, status: 'open' },
      { convId: 'joined-b', lastSeq: 2, status: 'open' },
    ])
  })
})

describe('resume in pages', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay({ limits: { ...UNTHROTTLED, replayBatch: 10 } }) })
  afterAll(async () => { await relay.close() })

  it('pages a resume larger than the replay batch with more: true until the client holds every message once', async () => {
    const { brand, a, gone } = await visitorWentAway(relay, 'long')
    await agentSends(a, 'long', 25)

    const back = await connectVisitor(relay, brand, { token: gone.token, resume: [{ convId: 'long', afterSeq: 1 }] })
    const pages = await finishResume(back.client, 'long')

    const stored = await storedMessages(relay, brand.apiKey, 'long')
    expect(pages.map((p) => [p.lastSeq, p.more])).toEqual([[11, true], [21, true], [26, false]])
    expect(resumeTrace(back.client, 'long')).toEqual([...seqRange(1, 11), 'resumed@11', ...seqRange(11, 21), 'resumed@21', ...seqRange(21, 26), 'resumed@26'])
    expect(back.client.all('message.new').map(shape)).toEqual(stored.slice(1).map(shape))
  })

  it('neither loses nor repeats messages the agent keeps sending while the visitor pages through a resume', async () => {
    const { brand, a, gone } = await visitorWentAway(relay, 'paged-busy')
    await agentSends(a, 'paged-busy', 25)

    const pump = keepSending(a, 'paged-busy')
    await until(() => pump.sent() >= 6, 'live traffic under way')
    const sentBeforeHello = pump.sent()
    const back = await connectVisitor(relay, brand, { token: gone.token, resume: [{ convId: 'paged-busy', afterSeq: 1 }] })
    const pages = await finishResume(back.client, 'paged-busy')
    const sentAfterResume = pump.sent()
    await until(() => pump.sent() >= sentAfterResume + 9, 'live traffic after the resume')
    await pump.stop()

    const stored = await storedMessages(relay, brand.apiKey, 'paged-busy')
    await collect(back.client, 'message.new', () => true, stored.length - 1, 'every stored message after seq 1')
    expect(pages.length).toBeGreaterThan(1)
    expect(sentAfterResume).toBeGreaterThan(sentBeforeHello)
    expect(receivedSeqs(back.client, 'paged-busy')).toEqual(seqRange(1, stored.length))
    expect(back.client.all('message.new').map(shape)).toEqual(stored.slice(1).map(shape))
  })

  it('pages an agent resuming several long conversations in one conversation.resume frame', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const first = await connectAgent(relay, agent)
    const v1 = await connectVisitor(relay, brand)
    const v2 = await connectVisitor(relay, brand)
    await openAndJoin(v1.client, first.client, 'p-a')
    await openAndJoin(v2.client, first.client, 'p-b')
    first.client.close()
    await first.client.closed()
    for (let k = 0; k < 15; k++) await sendAndAck(v1.client, 'p-a', `a${k}`, `a ${k}`)
    for (let k = 0; k < 12; k++) await sendAndAck(v2.client, 'p-b', `b${k}`, `b ${k}`)

    const back = await connectAgent(relay, agent)
    back.client.send({ type: 'conversation.resume', convs: [{ convId: 'p-a', afterSeq: 1 }, { convId: 'p-b', afterSeq: 1 }] })
    const [pa, pb] = [await finishResume(back.client, 'p-a'), await finishResume(back.client, 'p-b')]

    expect(pa.map((p) => [p.lastSeq, p.more])).toEqual([[11, true], [16, false]])
    expect(pb.map((p) => [p.lastSeq, p.more])).toEqual([[11, true], [13, false]])
    for (const convId of ['p-a', 'p-b']) {
      const stored = await storedMessages(relay, brand.apiKey, convId)
      expect(back.client.all('message.new', (m) => m.convId === convId).map(shape), convId).toEqual(stored.slice(1).map(shape))
    }
  })
})
