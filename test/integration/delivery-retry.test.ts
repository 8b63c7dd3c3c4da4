import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand } from '../helpers/brand.js'
import { collect, connectAgent, connectVisitor, frameOf, openAndJoin, sendAndAck } from '../helpers/delivery-chat.js'
import { storedConversation, storedConversationsOf, storedMessages } from '../helpers/delivery-transcript.js'
import { roundTrip } from '../helpers/delivery-round-trip.js'

// A client resends a message until it is acked, always with the same clientMsgId. The relay must
// store it once and answer every copy with the same ack, whichever connection the copy comes on.

describe('retries', () => {
  let relay: TestRelay
  beforeAll(async () => {
    relay = await startRelay({ limits: { messagesPerSecond: 1000, visitorMessagesPerSecond: 1000, framesPerSecond: 1000 } })
  })
  afterAll(async () => { await relay.close() })

  it('stores a message sent five times at once with one clientMsgId once, and acks every copy identically', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const a = await connectAgent(relay, agent)
    const v = await connectVisitor(relay, brand)
    await openAndJoin(v.client, a.client, 'retry-burst')

    for (let i = 0; i < 5; i++) v.client.send({ type: 'message.send', convId: 'retry-burst', clientMsgId: 'same', text: 'only once please' })
    const acks = await collect(v.client, 'message.ack', (f) => f.clientMsgId === 'same', 5)
    // A message committed after all copies reaches the agent after any copy would have.
    await sendAndAck(v.client, 'retry-burst', 'next', 'next one')
    await frameOf(a.client, 'message.new', (m) => m.clientMsgId === 'next')

    expect(acks).toEqual(Array.from({ length: 5 }, () => ({ type: 'message.ack', convId: 'retry-burst', clientMsgId: 'same', seq: 2, at: acks[0]!.at })))
    expect(a.client.all('message.new', (m) => m.clientMsgId === 'same').map((m) => m.seq)).toEqual([2])
    expect((await storedMessages(relay, brand.apiKey, 'retry-burst')).map((m) => `${m.seq}:${m.clientMsgId}`))
      .toEqual(['1:retry-burst-first', '2:same', '3:next'])
  })

  it('answers copies sent one after another, each after the previous ack, with the first ack and stores nothing new', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const a = await connectAgent(relay, agent)
    const v = await connectVisitor(relay, brand)
    await openAndJoin(v.client, a.client, 'retry-serial')

    const acks = []
    for (let i = 0; i < 5; i++) {
      v.client.send({ type: 'message.send', convId: 'retry-serial', clientMsgId: 'same', text: 'again and again' })
      acks.push((await collect(v.client, 'message.ack', (f) => f.clientMsgId === 'same', i + 1))[i]!)
    }
    await sendAndAck(v.client, 'retry-serial', 'next', 'next one')
    await frameOf(a.client, 'message.new', (m) => m.clientMsgId === 'next')

    expect(new Set(acks.map((x) => JSON.stringify(x))).size).toBe(1)
    expect(acks[0]).toMatchObject({ seq: 2 })
    expect(a.client.all('message.new', (m) => m.clientMsgId === 'same')).toHaveLength(1)
    expect((await storedMessages(relay, brand.apiKey, 'retry-serial')).map((m) => m.clientMsgId)).toEqual(['retry-serial-first', 'same', 'next'])
  })

  it('opens one conversation with one message when the first message is retried, also from a new connection with the same token', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const a = await connectAgent(relay, agent)
    const first = await connectVisitor(relay, brand)
    for (let i = 0; i < 3; i++) first.client.send({ type: 'message.send', convId: 'fresh', clientMsgId: 'opening', text: 'anyone there?' })
    const early = await collect(first.client, 'message.ack', (f) => f.clientMsgId === 'opening', 3)
    first.client.close()
    await first.client.closed()

    const again = await connectVisitor(relay, brand, { token: first.token })
    for (let i = 0; i < 2; i++) again.client.send({ type: 'message.send', convId: 'fresh', clientMsgId: 'opening', text: 'anyone there?' })
    const late = await collect(again.client, 'message.ack', (f) => f.clientMsgId === 'opening', 2)
    // Opening a second conversation is announced after any second announcement of the first would be.
    await sendAndAck(again.client, 'other', 'other-1', 'another topic')
    await frameOf(a.client, 'conversation.opened', (f) => f.convId === 'other')

    const acks = [...early, ...late]
    expect(acks).toEqual(Array.from({ length: 5 }, () => ({ type: 'message.ack', convId: 'fresh', clientMsgId: 'opening', seq: 1, at: acks[0]!.at })))
    expect(again.visitorId).toBe(first.visitorId)
    expect(a.client.all('conversation.opened', (f) => f.convId === 'fresh')).toHaveLength(1)
    expect((await storedConversationsOf(relay, brand.apiKey, first.visitorId)).map((c) => c.convId).sort()).toEqual(['fresh', 'other'])
    expect((await storedMessages(relay, brand.apiKey, 'fresh')).map((m) => `${m.seq}:${m.clientMsgId}`)).toEqual(['1:opening'])
  })

  it('stores the first message once when the connection dropped before its ack and the retry comes on a new connection', async () => {
    const brand = await createTestBrand(relay)
    const first = await connectVisitor(relay, brand)
    // The copy may or may not reach the relay before the socket dies; either way one message results.
    first.client.send({ type: 'message.send', convId: 'dropped', clientMsgId: 'lost-ack', text: 'did this arrive?' })
    first.client.ws.terminate()

    const again = await connectVisitor(relay, brand, { token: first.token })
    const ack = await sendAndAck(again.client, 'dropped', 'lost-ack', 'did this arrive?')

    expect(ack).toMatchObject({ convId: 'dropped', seq: 1 })
    expect((await storedConversationsOf(relay, brand.apiKey, first.visitorId)).map((c) => c.convId)).toEqual(['dropped'])
    expect((await storedMessages(relay, brand.apiKey, 'dropped')).map((m) => m.clientMsgId)).toEqual(['lost-ack'])
  })

  it('refuses a visitor clientMsgId reused for a different conversation with PARLEY_ERR_MESSAGE_ID_REUSED and opens nothing', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const a = await connectAgent(relay, agent)
    const v = await connectVisitor(relay, brand)
    await sendAndAck(v.client, 'conv-one', 'reused', 'first use')

    v.client.send({ type: 'message.send', convId: 'conv-two', clientMsgId: 'reused', text: 'second use' })
    const err = await frameOf(v.client, 'error', (e) => e.ref === 'reused')
    await roundTrip(a.client)

    expect(err).toMatchObject({ code: 'PARLEY_ERR_MESSAGE_ID_REUSED', retryable: false })
    expect(v.client.all('message.ack', (f) => f.convId === 'conv-two')).toEqual([])
    expect(a.client.all('conversation.opened').map((f) => f.convId)).toEqual(['conv-one'])
    expect(await storedConversation(relay, brand.apiKey, 'conv-two')).toEqual({ status: 404 })
    expect((await storedMessages(relay, brand.apiKey, 'conv-one')).map((m) => m.text)).toEqual(['first use'])
  })

  it('refuses an agent clientMsgId reused for a different conversation with PARLEY_ERR_MESSAGE_ID_REUSED', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const a = await connectAgent(relay, agent)
    const v1 = await connectVisitor(relay, brand)
    const v2 = await connectVisitor(relay, brand)
    await openAndJoin(v1.client, a.client, 'conv-one')
    await openAndJoin(v2.client, a.client, 'conv-two')
    await sendAndAck(a.client, 'conv-one', 'agent-id', 'answer one')

    a.client.send({ type: 'message.send', convId: 'conv-two', clientMsgId: 'agent-id', text: 'answer two' })
    const err = await frameOf(a.client, 'error', (e) => e.ref === 'agent-id')
    await roundTrip(v2.client)

    expect(err).toMatchObject({ code: 'PARLEY_ERR_MESSAGE_ID_REUSED' })
    expect(v2.client.all('message.new')).toEqual([])
    expect((await storedMessages(relay, brand.apiKey, 'conv-two')).map((m) => m.clientMsgId)).toEqual(['conv-two-first'])
  })

  it('acks the text the relay stored when the pipeline changed it, identically for every retry', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const a = await connectAgent(relay, agent)
    const v = await connectVisitor(relay, brand)
    await openAndJoin(v.client, a.client, 'cleaned')
    const sent = 'Hi\u0007 there\r\nsecond line\rthird'
    const kept = 'Hi there\nsecond line\nthird'

    const firstAck = await sendAndAck(v.client, 'cleaned', 'dirty', sent)
    for (let i = 0; i < 4; i++) v.client.send({ type: 'message.send', convId: 'cleaned', clientMsgId: 'dirty', text: sent })
    const acks = await collect(v.client, 'message.ack', (f) => f.clientMsgId === 'dirty', 5)
    const delivered = await frameOf(a.client, 'message.new', (m) => m.clientMsgId === 'dirty')

    expect(firstAck).toEqual({ type: 'message.ack', convId: 'cleaned', clientMsgId: 'dirty', seq: 2, at: firstAck.at, text: kept })
    expect(acks).toEqual(Array.from({ length: 5 }, () => firstAck))
    expect(delivered.text).toBe(kept)
    expect((await storedMessages(relay, brand.apiKey, 'cleaned')).map((m) => m.text)).toEqual(['hello', kept])
  })

  it('answers a retry whose text differs with the ack of the message stored first, text included', async () => {
    const brand = await createTestBrand(relay)
    const v = await connectVisitor(relay, brand)
    const firstAck = await sendAndAck(v.client, 'edited', 'm1', 'original words')

    v.client.send({ type: 'message.send', convId: 'edited', clientMsgId: 'm1', text: 'edited words' })
    const retryAck = (await collect(v.client, 'message.ack', (f) => f.clientMsgId === 'm1', 2))[1]!

    expect(retryAck).toEqual({ ...firstAck, text: 'original words' })
    expect((await storedMessages(relay, brand.apiKey, 'edited')).map((m) => m.text)).toEqual(['original words'])
  })
})
