import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestBrand } from '../helpers/brand.js'
import { TestClient } from '../helpers/ws-client.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody, expectOpen, expectRefusal } from '../helpers/expect-error.js'
import { agentOf, closeAfterTest, sendAndAck, visitorOf } from '../helpers/tracked-clients.js'
import { listBrandConversations, readTranscript } from '../helpers/transcript.js'

// Tenancy and ownership: another brand's, visitor's or agent's conversations must look exactly like
// conversations that do not exist, on the socket and over REST, and refused frames change nothing.

describe('isolation', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  /** Brand A with one visitor conversation `convId` holding one message. */
  async function brandWithConversation(convId = 'a-conv', text = 'brand A secret') {
    const brand = await createTestBrand(relay)
    const visitor = await visitorOf(relay, brand)
    await sendAndAck(visitor.client, convId, 'a-m1', text)
    return { brand, visitor, convId }
  }

  describe('between brands over REST', () => {
    it("lists none of brand A's conversations with brand B's API key", async () => {
      const a = await brandWithConversation()
      const b = await createTestBrand(relay)
      expect((await listBrandConversations(relay, a.brand)).map((c) => c.convId)).toEqual(['a-conv'])
      expect(await listBrandConversations(relay, b)).toEqual([])
    })

    it("answers brand B's API key reading brand A's conversation with PARLEY_ERR_CONV_NOT_FOUND", async () => {
      const a = await brandWithConversation()
      const b = await createTestBrand(relay)
      expectErrorBody(await callRest(relay, { url: '/v1/conversations/a-conv', token: b.apiKey }), 'PARLEY_ERR_CONV_NOT_FOUND')
      expect((await callRest(relay, { url: '/v1/conversations/a-conv', token: a.brand.apiKey })).status).toBe(200)
    })

    it("answers brand B's API key reading brand A's messages with PARLEY_ERR_CONV_NOT_FOUND", async () => {
      await brandWithConversation()
      const b = await createTestBrand(relay)
      const res = await callRest(relay, { url: '/v1/conversations/a-conv/messages', token: b.apiKey })
      expectErrorBody(res, 'PARLEY_ERR_CONV_NOT_FOUND')
      expect(res.raw).not.toContain('brand A secret')
    })

    it("lists nothing for brand B's API key filtering on brand A's visitor id", async () => {
      const a = await brandWithConversation()
      const b = await createTestBrand(relay)
      const res = await callRest(relay, { url: `/v1/conversations?visitorId=${a.visitor.visitorId}`, token: b.apiKey })
      expect(res.status).toBe(200)
      expect(res.body.conversations).toEqual([])
    })

    it("hides brand A's conversations from brand B's agent token", async () => {
      await brandWithConversation()
      const b = await createTestBrand(relay)
      const agentB = await createTestAgent(relay, b.brandId)
      expectErrorBody(await callRest(relay, { url: '/v1/conversations/a-conv/messages', token: agentB.token }), 'PARLEY_ERR_CONV_NOT_FOUND')
      const list = await callRest(relay, { url: '/v1/conversations', token: agentB.token })
      expect(list.status).toBe(200)
      expect(list.body.conversations).toEqual([])
    })

    it('keeps two brands\u2019 conversations with the same id apart', async () => {
      const a = await brandWithConversation('same-id', 'from A')
      const b = await brandWithConversation('same-id', 'from B')
      expect((await readTranscript(relay, a.brand, 'same-id')).map((m) => m.text)).toEqual(['from A'])
      expect((await readTranscript(relay, b.brand, 'same-id')).map((m) => m.text)).toEqual(['from B'])
      const convA = await callRest(relay, { url: '/v1/conversations/same-id', token: a.brand.apiKey })
      expect(convA.body).toMatchObject({ brandId: a.brand.brandId, visitorId: a.visitor.visitorId, lastSeq: 1 })
    })
  })

  describe('between brands on the socket', () => {
    it("refuses brand B's visitor token on brand A's site key with PARLEY_ERR_AUTH_TOKEN_INVALID and close 4401", async () => {
      const a = await createTestBrand(relay)
      const b = await createTestBrand(relay)
      const visitorB = await visitorOf(relay, b)
      const client = closeAfterTest(await TestClient.connect(`${relay.wsUrl}?site=${a.siteKey}`))
      client.send({ type: 'hello', protocol: 1, auth: { kind: 'visitor', token: visitorB.token } })
      await expectRefusal(client, 'PARLEY_ERR_AUTH_TOKEN_INVALID')
      expect(client.all('welcome')).toEqual([])
    })

    it("answers brand B's agent joining brand A's conversation with PARLEY_ERR_CONV_NOT_FOUND", async () => {
      const a = await brandWithConversation()
      const b = await createTestBrand(relay)
      const agentB = await agentOf(relay, await createTestAgent(relay, b.brandId))
      agentB.send({ type: 'conversation.join', convId: 'a-conv', ref: 'j1' })
      const err = await expectRefusal(agentB, 'PARLEY_ERR_CONV_NOT_FOUND')
      expect(err.ref).toBe('j1')
      await expectOpen(a.visitor.client)
      expect(a.visitor.client.all('conversation.joined')).toEqual([])
      expect(agentB.all('message.new')).toEqual([])
    })

    it("answers brand B's agent sending to brand A's conversation with PARLEY_ERR_CONV_NOT_FOUND and stores nothing", async () => {
      const a = await brandWithConversation()
      const b = await createTestBrand(relay)
      const agentB = await agentOf(relay, await createTestAgent(relay, b.brandId))
      agentB.send({ type: 'message.send', convId: 'a-conv', clientMsgId: 'intrude', text: 'hello from B' })
      const err = await expectRefusal(agentB, 'PARLEY_ERR_CONV_NOT_FOUND')
      expect(err.ref).toBe('intrude')
      expect((await readTranscript(relay, a.brand, 'a-conv')).map((m) => m.text)).toEqual(['brand A secret'])
      expect(await listBrandConversations(relay, b)).toEqual([])
      await expectOpen(a.visitor.client)
      expect(a.visitor.client.all('message.new')).toEqual([])
    })

    it("answers brand B's agent resuming brand A's conversation with PARLEY_ERR_CONV_NOT_FOUND and replays nothing", async () => {
      await brandWithConversation()
      const b = await createTestBrand(relay)
      const agentB = await agentOf(relay, await createTestAgent(relay, b.brandId))
      agentB.send({ type: 'conversation.resume', convs: [{ convId: 'a-conv', afterSeq: 0 }], ref: 'r1' })
      await expectRefusal(agentB, 'PARLEY_ERR_CONV_NOT_FOUND')
      expect(agentB.all('message.new')).toEqual([])
      expect(agentB.all('conversation.resumed')).toEqual([])
    })

    it("answers brand B's agent naming brand A's conversation in hello.resume with PARLEY_ERR_CONV_NOT_FOUND", async () => {
      await brandWithConversation()
      const b = await createTestBrand(relay)
      const agentB = await createTestAgent(relay, b.brandId)
      const client = closeAfterTest(await TestClient.connect(relay.wsUrl))
      client.send({ type: 'hello', protocol: 1, auth: { kind: 'agent', token: agentB.token }, resume: [{ convId: 'a-conv', afterSeq: 0 }] })
      await client.next('welcome')
      await expectRefusal(client, 'PARLEY_ERR_CONV_NOT_FOUND')
      expect(client.all('message.new')).toEqual([])
    })

    it("refuses brand B's agent on a socket opened with brand A's site key", async () => {
      const a = await brandWithConversation()
      const b = await createTestBrand(relay)
      const agentB = await createTestAgent(relay, b.brandId)
      const client = closeAfterTest(await TestClient.connect(`${relay.wsUrl}?site=${a.brand.siteKey}`))
      client.send({ type: 'hello', protocol: 1, auth: { kind: 'agent', token: agentB.token } })
      await expectRefusal(client, 'PARLEY_ERR_AUTH_TOKEN_INVALID')
      expect(client.all('welcome')).toEqual([])
      expect(await readTranscript(relay, a.brand, 'a-conv')).toHaveLength(1)
    })

    it("never tells brand B's agents that a brand A visitor opened a conversation", async () => {
      const a = await createTestBrand(relay)
      const b = await createTestBrand(relay)
      const agentA = await agentOf(relay, await createTestAgent(relay, a.brandId))
      const agentB = await agentOf(relay, await createTestAgent(relay, b.brandId))
      const visitor = await visitorOf(relay, a)
      await sendAndAck(visitor.client, 'opened-here', 'm1', 'hi')
      await agentA.next('conversation.opened', (f) => f.convId === 'opened-here')
      await expectOpen(agentB)
      expect(agentB.all('conversation.opened')).toEqual([])
    })

    it("never delivers brand A's messages to brand B's agent following a conversation with the same id", async () => {
      const b = await brandWithConversation('twin', 'B opens twin')
      const agentB = await agentOf(relay, await createTestAgent(relay, b.brand.brandId))
      agentB.send({ type: 'conversation.join', convId: 'twin' })
      await agentB.next('conversation.joined')
      const a = await brandWithConversation('twin', 'A writes in its own twin')
      await sendAndAck(a.visitor.client, 'twin', 'a-m2', 'A again')
      await sendAndAck(b.visitor.client, 'twin', 'b-m2', 'B again')
      const m = await agentB.next('message.new', (f) => f.convId === 'twin')
      expect(m.text).toBe('B again')
      expect(agentB.all('message.new').map((f) => f.text)).toEqual(['B again'])
    })
  })

  describe('between visitors of one brand', () => {
    /** Visitor Y with conversation y-conv (one message), visitor X with nothing yet. */
    async function twoVisitors() {
      const brand = await createTestBrand(relay)
      const y = await visitorOf(relay, brand)
      await sendAndAck(y.client, 'y-conv', 'y-m1', 'Y private')
      const x = await visitorOf(relay, brand)
      return { brand, x, y }
    }

    async function expectUntouched(brand: TestBrand, y: { client: TestClient }) {
      const conv = await callRest(relay, { url: '/v1/conversations/y-conv', token: brand.apiKey })
      expect(conv.body).toMatchObject({ status: 'open', lastSeq: 1, closedAt: null })
      expect((await readTranscript(relay, brand, 'y-conv')).map((m) => m.text)).toEqual(['Y private'])
      await expectOpen(y.client)
    }

    it("answers visitor X sending to visitor Y's conversation with PARLEY_ERR_CONV_NOT_FOUND and stores nothing", async () => {
      const { brand, x, y } = await twoVisitors()
      x.client.send({ type: 'message.send', convId: 'y-conv', clientMsgId: 'x-m1', text: 'let me in' })
      expect((await expectRefusal(x.client, 'PARLEY_ERR_CONV_NOT_FOUND')).ref).toBe('x-m1')
      await expectUntouched(brand, y)
      expect(y.client.all('message.new')).toEqual([])
      expect(await listBrandConversations(relay, brand)).toHaveLength(1)
    })

    it("answers visitor X resuming visitor Y's conversation with PARLEY_ERR_CONV_NOT_FOUND and replays nothing", async () => {
      const { brand, x, y } = await twoVisitors()
      x.client.send({ type: 'conversation.resume', convs: [{ convId: 'y-conv', afterSeq: 0 }], ref: 'r1' })
      await expectRefusal(x.client, 'PARLEY_ERR_CONV_NOT_FOUND')
      expect(x.client.all('message.new')).toEqual([])
      expect(x.client.all('conversation.resumed')).toEqual([])
      await expectUntouched(brand, y)
    })

    it("answers visitor X naming visitor Y's conversation in hello.resume with PARLEY_ERR_CONV_NOT_FOUND", async () => {
      const { brand, y } = await twoVisitors()
      const client = closeAfterTest(await TestClient.connect(`${relay.wsUrl}?site=${brand.siteKey}`))
      client.send({ type: 'hello', protocol: 1, auth: { kind: 'visitor' }, resume: [{ convId: 'y-conv', afterSeq: 0 }] })
      const welcome = await client.next('welcome')
      expect(welcome.conversations).toEqual([])
      await expectRefusal(client, 'PARLEY_ERR_CONV_NOT_FOUND')
      expect(client.all('message.new')).toEqual([])
      await expectUntouched(brand, y)
    })

    it("answers visitor X typing in visitor Y's conversation with PARLEY_ERR_CONV_NOT_FOUND and relays nothing", async () => {
      const { brand, x, y } = await twoVisitors()
      x.client.send({ type: 'typing.start', convId: 'y-conv', ref: 't1' })
      expect((await expectRefusal(x.client, 'PARLEY_ERR_CONV_NOT_FOUND')).ref).toBe('t1')
      await expectUntouched(brand, y)
      expect(y.client.all('typing.start')).toEqual([])
    })

    it("answers visitor X marking visitor Y's conversation read with PARLEY_ERR_CONV_NOT_FOUND and stores no cursor", async () => {
      const { brand, x, y } = await twoVisitors()
      x.client.send({ type: 'message.read', convId: 'y-conv', seq: 1, ref: 'rd1' })
      expect((await expectRefusal(x.client, 'PARLEY_ERR_CONV_NOT_FOUND')).ref).toBe('rd1')
      await expectUntouched(brand, y)
      expect(y.client.all('message.read')).toEqual([])
      const who = { kind: 'visitor' as const, id: x.visitorId }
      expect(await relay.deps.store.isParticipant(brand.brandId, 'y-conv', who)).toBe(false)
    })

    it("answers visitor X closing visitor Y's conversation with PARLEY_ERR_CONV_NOT_FOUND and leaves it open", async () => {
      const { brand, x, y } = await twoVisitors()
      x.client.send({ type: 'conversation.close', convId: 'y-conv', ref: 'c1' })
      expect((await expectRefusal(x.client, 'PARLEY_ERR_CONV_NOT_FOUND')).ref).toBe('c1')
      await expectUntouched(brand, y)
      expect(y.client.all('conversation.closed')).toEqual([])
      expect(await sendAndAck(y.client, 'y-conv', 'y-m2', 'still open')).toBe(2)
    })

    it("lists only visitor X's own conversations with X's token over REST", async () => {
      const { x } = await twoVisitors()
      await sendAndAck(x.client, 'x-conv', 'x-m1', 'mine')
      const res = await callRest(relay, { url: '/v1/conversations', token: x.token })
      expect(res.status).toBe(200)
      expect(res.body.conversations.map((c: { convId: string }) => c.convId)).toEqual(['x-conv'])
    })

    it("ignores a visitorId filter naming visitor Y on visitor X's token", async () => {
      const { x, y } = await twoVisitors()
      await sendAndAck(x.client, 'x-conv', 'x-m1', 'mine')
      const res = await callRest(relay, { url: `/v1/conversations?visitorId=${y.visitorId}`, token: x.token })
      expect(res.status).toBe(200)
      expect(res.body.conversations.map((c: { convId: string }) => c.convId)).toEqual(['x-conv'])
    })

    it("answers visitor X's token reading visitor Y's conversation with PARLEY_ERR_CONV_NOT_FOUND", async () => {
      const { x } = await twoVisitors()
      expectErrorBody(await callRest(relay, { url: '/v1/conversations/y-conv', token: x.token }), 'PARLEY_ERR_CONV_NOT_FOUND')
    })

    it("answers visitor X's token reading visitor Y's messages with PARLEY_ERR_CONV_NOT_FOUND", async () => {
      const { x } = await twoVisitors()
      const res = await callRest(relay, { url: '/v1/conversations/y-conv/messages', token: x.token })
      expectErrorBody(res, 'PARLEY_ERR_CONV_NOT_FOUND')
      expect(res.raw).not.toContain('Y private')
    })

    it("welcomes visitor X with only X's conversations", async () => {
      const { brand, x } = await twoVisitors()
      await sendAndAck(x.client, 'x-conv', 'x-m1', 'mine')
      const again = await visitorOf(relay, brand, x.token)
      expect(again.visitorId).toBe(x.visitorId)
      expect(again.welcome.conversations.map((c) => c.convId)).toEqual(['x-conv'])
    })
  })

  describe('agents of the same brand', () => {
    it('answers an agent who has not joined with PARLEY_ERR_CONV_NOT_JOINED on send and stores nothing', async () => {
      const a = await brandWithConversation()
      const agent = await agentOf(relay, await createTestAgent(relay, a.brand.brandId))
      agent.send({ type: 'message.send', convId: 'a-conv', clientMsgId: 'ag-1', text: 'uninvited' })
      expect((await expectRefusal(agent, 'PARLEY_ERR_CONV_NOT_JOINED')).ref).toBe('ag-1')
      expect((await readTranscript(relay, a.brand, 'a-conv')).map((m) => m.text)).toEqual(['brand A secret'])
      await expectOpen(a.visitor.client)
      expect(a.visitor.client.all('message.new')).toEqual([])
    })

    it('answers an agent who has not joined closing the conversation with PARLEY_ERR_CONV_NOT_JOINED and leaves it open', async () => {
      const a = await brandWithConversation()
      const agent = await agentOf(relay, await createTestAgent(relay, a.brand.brandId))
      agent.send({ type: 'conversation.close', convId: 'a-conv', ref: 'close-1' })
      await expectRefusal(agent, 'PARLEY_ERR_CONV_NOT_JOINED')
      const conv = await callRest(relay, { url: '/v1/conversations/a-conv', token: a.brand.apiKey })
      expect(conv.body).toMatchObject({ status: 'open', closedAt: null })
    })

    it('answers a visitor sending conversation.join with PARLEY_ERR_PROTOCOL_ROLE and joins nothing', async () => {
      const a = await brandWithConversation()
      const other = await visitorOf(relay, a.brand)
      other.client.send({ type: 'conversation.join', convId: 'a-conv', ref: 'j1' })
      await expectRefusal(other.client, 'PARLEY_ERR_PROTOCOL_ROLE')
      const who = { kind: 'visitor' as const, id: other.visitorId }
      expect(await relay.deps.store.isParticipant(a.brand.brandId, 'a-conv', who)).toBe(false)
      other.client.send({ type: 'message.send', convId: 'a-conv', clientMsgId: 'o1', text: 'x' })
      await expectRefusal(other.client, 'PARLEY_ERR_CONV_NOT_FOUND')
    })
  })
})
