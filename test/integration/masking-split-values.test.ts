import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand } from '../helpers/brand.js'
import { connectAgent, connectVisitor, frameOf, openAndJoin, sendAndAck } from '../helpers/delivery-chat.js'
import { storedMessages } from '../helpers/delivery-transcript.js'
import { tempDir } from '../helpers/temp-dir.js'
import { callRest } from '../helpers/rest.js'
import { TestClient } from '../helpers/ws-client.js'

// A card number split across two messages of one sender (`4111 1111` then `1111 1111`): the relay
// stores the second masked, rewrites the first one's stored tail, and tells everyone in the
// conversation with message.redacted, after the first message's message.new.

const FIRST = 'my card: 4111 1111'
const SECOND = '1111 1111'

describe('a value split across messages', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  it('masks both messages: the ack carries the second one masked, message.redacted the first', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const a = await connectAgent(relay, agent)
    const v = await connectVisitor(relay, brand)
    const otherTab = await connectVisitor(relay, brand, { token: v.token })
    await openAndJoin(v.client, a.client, 'conv-split')
    const first = await sendAndAck(v.client, 'conv-split', 'm1', FIRST)
    expect(first.text).toBeUndefined()
    const second = await sendAndAck(v.client, 'conv-split', 'm2', SECOND)
    expect(second.text).toBe('[card]')

    const redacted = { type: 'message.redacted', convId: 'conv-split', seq: first.seq, text: 'my card: [card]' }
    // Both sides, every connection: the agent, the sending tab and the visitor's other tab.
    for (const client of [a.client, v.client, otherTab.client]) expect(await frameOf(client, 'message.redacted')).toEqual(redacted)
    // Never before the message it changes.
    const kinds = a.client.frames.filter((f) => (f.type === 'message.new' || f.type === 'message.redacted') && f.convId === 'conv-split' && f.seq === first.seq)
    expect(kinds.map((f) => f.type)).toEqual(['message.new', 'message.redacted'])
    expect((await storedMessages(relay, brand.apiKey, 'conv-split')).map((m) => m.text)).toEqual(['hello', 'my card: [card]', '[card]'])
  })

  it('replays the redacted text to a client that resumes the conversation afterwards', async () => {
    const brand = await createTestBrand(relay)
    const v = await connectVisitor(relay, brand)
    const first = await sendAndAck(v.client, 'conv-replay', 'm1', FIRST)
    await sendAndAck(v.client, 'conv-replay', 'm2', SECOND)
    await frameOf(v.client, 'message.redacted')
    const later = await connectVisitor(relay, brand, { token: v.token, resume: [{ convId: 'conv-replay', afterSeq: 0 }] })
    await frameOf(later.client, 'conversation.resumed')
    expect(later.client.all('message.new').map((m) => [m.seq, m.text])).toEqual([[first.seq, 'my card: [card]'], [first.seq + 1, '[card]']])
  })

  it("checks a sender's message only with that sender's previous one", async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const a = await connectAgent(relay, agent)
    const v = await connectVisitor(relay, brand)
    await openAndJoin(v.client, a.client, 'conv-two', FIRST)
    // The agent's digits do not join the visitor's: neither message is a card on its own.
    expect((await sendAndAck(a.client, 'conv-two', 'a1', SECOND)).text).toBeUndefined()
    expect((await storedMessages(relay, brand.apiKey, 'conv-two')).map((m) => m.text)).toEqual([FIRST, SECOND])
  })

  it('still joins a message resent after a refusal with the earlier message as stored', async () => {
    const brand = await createTestBrand(relay)
    const v = await connectVisitor(relay, brand)
    const first = await sendAndAck(v.client, 'conv-refused', 'm1', FIRST)
    await sendAndAck(v.client, 'conv-elsewhere', 'taken', 'hi')
    // Refused (the id belongs to another conversation): nothing stored, the earlier message unchanged.
    v.client.send({ type: 'message.send', convId: 'conv-refused', clientMsgId: 'taken', text: SECOND })
    await v.client.error('PARLEY_ERR_MESSAGE_ID_REUSED')
    expect((await sendAndAck(v.client, 'conv-refused', 'm2', SECOND)).text).toBe('[card]')
    expect(await frameOf(v.client, 'message.redacted')).toMatchObject({ seq: first.seq, text: 'my card: [card]' })
  })

  it('joins only with the previous message, also when it was sent while the brand had masking off', async () => {
    const brand = await createTestBrand(relay)
    const put = (body: unknown) => callRest(relay, { method: 'PUT', url: '/v1/masking', token: brand.apiKey, body })
    const v = await connectVisitor(relay, brand)
    await sendAndAck(v.client, 'conv-toggle', 'm1', FIRST)
    await put({ card: { enabled: false }, securityCode: { enabled: false } })
    await sendAndAck(v.client, 'conv-toggle', 'm2', 'never mind')
    await put({})
    expect((await sendAndAck(v.client, 'conv-toggle', 'm3', SECOND)).text).toBeUndefined()
    expect((await storedMessages(relay, brand.apiKey, 'conv-toggle')).map((m) => m.text)).toEqual([FIRST, 'never mind', SECOND])
    expect(v.client.all('message.redacted')).toEqual([])
  })

  it('joins with the last message stored before a restart, read from the store', async () => {
    const { dir, remove } = tempDir()
    try {
      const before = await startRelay({ dataDir: dir })
      const brand = await createTestBrand(before)
      const v = await connectVisitor(before, brand)
      const first = await sendAndAck(v.client, 'conv-restart', 'm1', FIRST)
      v.client.close()
      await before.close()

      const after = await startRelay({ dataDir: dir })
      try {
        const back = await TestClient.visitor(after.wsUrl, brand.siteKey, { token: v.token })
        back.client.send({ type: 'message.send', convId: 'conv-restart', clientMsgId: 'm2', text: SECOND })
        expect((await back.client.next('message.ack')).text).toBe('[card]')
        expect(await back.client.next('message.redacted')).toMatchObject({ seq: first.seq, text: 'my card: [card]' })
        expect((await storedMessages(after, brand.apiKey, 'conv-restart')).map((m) => m.text)).toEqual(['my card: [card]', '[card]'])
        back.client.close()
      } finally {
        await after.close()
      }
    } finally {
      remove()
    }
  })
})
