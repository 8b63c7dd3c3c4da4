import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestBrand } from '../helpers/brand.js'
import { TestClient } from '../helpers/ws-client.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorFrame, expectErrorStatusAndBody, expectOpen, expectRefusal } from '../helpers/expect-error.js'
import { createFakeClock } from '../helpers/fake-clock.js'
import { openClient, refusedUpgrade } from '../helpers/open-client.js'
import { closeAfterTest, sendAndAck, visitorOf } from '../helpers/tracked-clients.js'
import { expectServing, readTranscript } from '../helpers/transcript.js'
import { until } from '../helpers/until.js'
import { randomIds } from '../../server/src/deps.js'

// Limits that protect the relay and other brands from one client: rates (with a clock that stands
// still, so token buckets refill only when the test says), floods and connections per IP. Slow
// readers and dead peers are in slow-peers.test.ts.

describe('rate limits', () => {
  const clock = createFakeClock()
  let relay: TestRelay
  beforeAll(async () => {
    relay = await startRelay({
      clock,
      limits: { messagesPerSecond: 2, visitorMessagesPerSecond: 3, framesPerSecond: 10, floodCloseAfter: 5 },
    })
  })
  afterAll(async () => { await relay.close() })

  /** Sends `n` messages at once to `convId` with ids `${prefix}1..n`. */
  function burst(client: TestClient, convId: string, prefix: string, n: number): void {
    for (let i = 1; i <= n; i++) client.send({ type: 'message.send', convId, clientMsgId: `${prefix}${i}`, text: `${prefix} ${i}` })
  }

  /** Waits until `n` acks or errors answered the messages of `prefix`. */
  async function answers(client: TestClient, prefix: string, n: number) {
    await until(() => client.frames.filter((f) => (f.type === 'message.ack' || f.type === 'error') && (f.type === 'message.ack' ? f.clientMsgId : f.ref)?.startsWith(prefix)).length >= n, `${n} answers`)
    return {
      acked: client.all('message.ack', (a) => a.clientMsgId.startsWith(prefix)).map((a) => a.clientMsgId),
      refused: client.all('error', (e) => e.ref?.startsWith(prefix) ?? false),
    }
  }

  it('answers messages past messagesPerSecond with PARLEY_ERR_LIMIT_RATE and a retryAfterMs', async () => {
    const brand = await createTestBrand(relay)
    const { client } = await visitorOf(relay, brand)
    burst(client, 'rate', 'm', 6)
    const { acked, refused } = await answers(client, 'm', 6)
    expect(acked).toEqual(['m1', 'm2', 'm3', 'm4'])
    expect(refused.map((e) => e.ref)).toEqual(['m5', 'm6'])
    for (const e of refused) {
      expectErrorFrame(e, 'PARLEY_ERR_LIMIT_RATE')
      expect(e.retryAfterMs).toBeGreaterThan(0)
    }
    await expectOpen(client)
  })

  it('stores none of the messages refused by the rate limit', async () => {
    const brand = await createTestBrand(relay)
    const { client } = await visitorOf(relay, brand)
    burst(client, 'rate', 'm', 6)
    await answers(client, 'm', 6)
    expect((await readTranscript(relay, brand, 'rate')).map((m) => m.clientMsgId)).toEqual(['m1', 'm2', 'm3', 'm4'])
  })

  it('accepts messages again once retryAfterMs has passed', async () => {
    const brand = await createTestBrand(relay)
    const { client } = await visitorOf(relay, brand)
    burst(client, 'rate', 'm', 5)
    const { refused } = await answers(client, 'm', 5)
    client.send({ type: 'message.send', convId: 'rate', clientMsgId: 'early', text: 'too soon' })
    expectErrorFrame(await client.next('error', (e) => e.ref === 'early'), 'PARLEY_ERR_LIMIT_RATE')
    clock.advance(refused[0]!.retryAfterMs!)
    expect(await sendAndAck(client, 'rate', 'later', 'in time')).toBe(5)
  })

  it("limits one visitor's messages across two tabs with visitorMessagesPerSecond", async () => {
    const brand = await createTestBrand(relay)
    const tab1 = await visitorOf(relay, brand)
    const tab2 = await visitorOf(relay, brand, tab1.token)
    expect(tab2.visitorId).toBe(tab1.visitorId)
    burst(tab1.client, 'two-tabs', 'a', 4)
    expect((await answers(tab1.client, 'a', 4)).acked).toHaveLength(4)
    burst(tab2.client, 'two-tabs', 'b', 3)
    const { acked, refused } = await answers(tab2.client, 'b', 3)
    expect(acked).toEqual(['b1', 'b2'])
    expect(refused.map((e) => e.ref)).toEqual(['b3'])
    expectErrorFrame(refused[0], 'PARLEY_ERR_LIMIT_RATE')
    expect(refused[0]!.message).toContain('3 per second')
    expect(await readTranscript(relay, brand, 'two-tabs')).toHaveLength(6)
  })

  it("does not count one visitor's messages against another visitor", async () => {
    const brand = await createTestBrand(relay)
    const x = await visitorOf(relay, brand)
    const y = await visitorOf(relay, brand)
    burst(x.client, 'x-conv', 'x', 6)
    await answers(x.client, 'x', 6)
    burst(y.client, 'y-conv', 'y', 4)
    expect((await answers(y.client, 'y', 4)).acked).toEqual(['y1', 'y2', 'y3', 'y4'])
  })

  it('answers frames past framesPerSecond with PARLEY_ERR_LIMIT_RATE echoing their ref', async () => {
    const brand = await createTestBrand(relay)
    const { client } = await visitorOf(relay, brand)
    // The bucket holds 2 x 10 frames and hello took one.
    for (let i = 1; i <= 22; i++) client.send({ type: 'ping', ref: `p${i}` })
    await until(() => client.all('pong').length + client.all('error').length >= 22, '22 answers')
    expect(client.all('pong')).toHaveLength(19)
    const refused = client.all('error')
    expect(refused.map((e) => e.ref)).toEqual(['p20', 'p21', 'p22'])
    for (const e of refused) expectErrorFrame(e, 'PARLEY_ERR_LIMIT_RATE')
    clock.advance(1000)
    await expectOpen(client)
  })

  it('closes with PARLEY_ERR_LIMIT_FLOOD and 4429 after floodCloseAfter rate-limited messages in a row', async () => {
    const brand = await createTestBrand(relay)
    const { client } = await visitorOf(relay, brand)
    burst(client, 'flood', 'f', 9)
    await expectRefusal(client, 'PARLEY_ERR_LIMIT_FLOOD')
    expect(client.all('error', (e) => e.code === 'PARLEY_ERR_LIMIT_RATE')).toHaveLength(5)
    // The first four were accepted and are stored; their acks may be cut off by the close (a client
    // resends them with the same clientMsgId and gets the stored ack), but nothing else is stored.
    expect((await readTranscript(relay, brand, 'flood')).map((m) => m.clientMsgId)).toEqual(['f1', 'f2', 'f3', 'f4'])
    clock.advance(1000)
    await expectServing(relay, brand)
  })

  it('closes with PARLEY_ERR_LIMIT_FLOOD and 4429 after floodCloseAfter malformed frames in a row', async () => {
    const brand = await createTestBrand(relay)
    const { client } = await visitorOf(relay, brand)
    for (let i = 0; i < 5; i++) client.sendRaw('{not json')
    await expectRefusal(client, 'PARLEY_ERR_LIMIT_FLOOD')
    expect(client.all('error', (e) => e.code === 'PARLEY_ERR_FRAME_MALFORMED')).toHaveLength(5)
    clock.advance(1000)
    await expectServing(relay, brand)
  })

  it('starts the flood count again after an accepted frame', async () => {
    const brand = await createTestBrand(relay)
    const { client } = await visitorOf(relay, brand)
    for (let i = 0; i < 4; i++) client.sendRaw('{not json')
    client.send({ type: 'ping', ref: 'ok' })
    for (let i = 0; i < 4; i++) client.sendRaw('{not json')
    await until(() => client.all('error').length >= 8, '8 errors')
    await expectOpen(client)
    expect(client.all('error', (e) => e.code === 'PARLEY_ERR_LIMIT_FLOOD')).toEqual([])
  })

  it('answers a resume listing more than maxResumeConversations with PARLEY_ERR_LIMIT_REPLAY and replays nothing', async () => {
    const brand = await createTestBrand(relay)
    const { client } = await visitorOf(relay, brand)
    await sendAndAck(client, 'c0', 'm1', 'one')
    clock.advance(1000)
    const convs = Array.from({ length: 501 }, (_, i) => ({ convId: `c${i}`, afterSeq: 0 }))
    client.send({ type: 'conversation.resume', convs, ref: 'big' })
    expect((await expectRefusal(client, 'PARLEY_ERR_LIMIT_REPLAY')).ref).toBe('big')
    expect(client.all('message.new')).toEqual([])
    expect(client.all('conversation.resumed')).toEqual([])
  })
})

describe('connections per IP', () => {
  const LIMIT = 3
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay({ limits: { connectionsPerIp: LIMIT } }) })
  afterAll(async () => { await relay.close() })
  afterEach(async () => {
    for (const ws of relay.app.websocketServer.clients) ws.terminate()
    await until(() => relay.app.websocketServer.clients.size === 0, 'all sockets closed')
  })

  const open = (siteKey: string) => openClient(`${relay.wsUrl}?site=${siteKey}`)

  it('refuses the upgrade past connectionsPerIp with 429 PARLEY_ERR_LIMIT_CONNECTIONS', async () => {
    const brand = await createTestBrand(relay)
    for (let i = 0; i < LIMIT; i++) closeAfterTest(await open(brand.siteKey))
    const refused = await refusedUpgrade(open(brand.siteKey))
    expectErrorStatusAndBody(refused.status, refused.body, 'PARLEY_ERR_LIMIT_CONNECTIONS')
  })

  it('accepts an upgrade again after one connection closes', async () => {
    const brand = await createTestBrand(relay)
    const clients = []
    for (let i = 0; i < LIMIT; i++) clients.push(closeAfterTest(await open(brand.siteKey)))
    await refusedUpgrade(open(brand.siteKey))
    clients[0]!.close()
    await until(() => relay.app.websocketServer.clients.size === LIMIT - 1, 'server saw the close')
    const again = closeAfterTest(await open(brand.siteKey))
    again.send({ type: 'hello', protocol: 1, auth: { kind: 'visitor' } })
    await again.next('welcome')
    await refusedUpgrade(open(brand.siteKey))
  })

  it('refuses upgrades past connectionsPerIp even when they arrive at once', async () => {
    const brand = await createTestBrand(relay)
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => open(brand.siteKey)))
    for (const r of results) if (r.status === 'fulfilled') closeAfterTest(r.value)
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(LIMIT)
    for (const r of results) {
      if (r.status === 'rejected') expect((r.reason as { status?: number }).status).toBe(429)
    }
  })

  it('keeps answering REST while the connection limit is reached', async () => {
    const brand = await createTestBrand(relay)
    for (let i = 0; i < LIMIT; i++) closeAfterTest(await open(brand.siteKey))
    expect((await callRest(relay, { url: '/healthz' })).status).toBe(200)
    expect((await callRest(relay, { url: '/v1/conversations', token: brand.apiKey })).status).toBe(200)
  })
})

describe('connections per IP when a session cannot be made', () => {
  const LIMIT = 2
  let failing = false
  let relay: TestRelay
  // A connection's id is the first thing its session takes: failing it makes the constructor throw.
  const ids = { next: (prefix: string) => {
    if (failing && prefix === 'c_') throw new Error('no id for this connection')
    return randomIds.next(prefix)
  } }
  beforeAll(async () => { relay = await startRelay({ ids, limits: { connectionsPerIp: LIMIT } }) })
  afterAll(async () => { await relay.close() })

  it('gives the slot back when the session fails to start', async () => {
    const brand = await createTestBrand(relay)
    failing = true
    for (let i = 0; i < LIMIT + 1; i++) {
      const doomed = await openClient(`${relay.wsUrl}?site=${brand.siteKey}`)
      await doomed.closed()
    }
    failing = false
    const client = closeAfterTest(await openClient(`${relay.wsUrl}?site=${brand.siteKey}`))
    client.send({ type: 'hello', protocol: 1, auth: { kind: 'visitor' } })
    await client.next('welcome')
  })
})
