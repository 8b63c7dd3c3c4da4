import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand } from '../helpers/brand.js'
import { connectAgent, connectVisitor, frameOf, openAndJoin, receivedSeqs, sendAndAck } from '../helpers/delivery-chat.js'
import { holdStoreCall } from '../helpers/delivery-store-gate.js'
import { until } from '../helpers/until.js'

// A conversation.resume that names several conversations is answered one conversation at a time.
// hello.resume marks every listed conversation as resuming before it reads anything; the frame
// handler marks each one only when it reaches it, so a later conversation's live messages go out
// before its replay, and the replay then sends them again.

const UNTHROTTLED = { messagesPerSecond: 100_000, visitorMessagesPerSecond: 100_000, framesPerSecond: 100_000 }

describe('conversation.resume with several conversations', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay({ limits: UNTHROTTLED }) })
  afterAll(async () => { await relay.close() })

  it('replays the second conversation before any of its live messages, each once and in order', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId, 'Ada')
    const a = (await connectAgent(relay, agent)).client
    const first = await connectVisitor(relay, brand)
    await openAndJoin(first.client, a, 'ro-a')
    await openAndJoin(first.client, a, 'ro-b')
    first.client.close()
    await first.client.closed()
    await sendAndAck(a, 'ro-b', 'missed', 'sent while the visitor was away') // ro-b seq 2

    // Back without resume in hello, then one conversation.resume for both conversations.
    const back = await connectVisitor(relay, brand, { token: first.token })
    const reads = holdStoreCall(relay, 'readMessages', 'before')
    back.client.send({ type: 'conversation.resume', convs: [{ convId: 'ro-a', afterSeq: 1 }, { convId: 'ro-b', afterSeq: 1 }], ref: 'r' })
    await until(() => reads.held() === 1, 'the relay to be replaying ro-a')
    // The relay is answering the resume (it is on ro-a) when the agent writes to ro-b.
    await sendAndAck(a, 'ro-b', 'during', 'sent during the resume') // ro-b seq 3
    reads.release()
    await frameOf(back.client, 'conversation.resumed', (r) => r.convId === 'ro-b', 'ro-b resumed')
    await frameOf(back.client, 'message.new', (m) => m.clientMsgId === 'during', 'the live message')

    expect(receivedSeqs(back.client, 'ro-b')).toEqual([2, 3])
  })
})
