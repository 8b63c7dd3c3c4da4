import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand } from '../helpers/brand.js'
import { connectAgent, connectVisitor, frameOf, openAndJoin, sendAndAck } from '../helpers/delivery-chat.js'
import { storedMessages } from '../helpers/delivery-transcript.js'

// Text that is valid JSON and passes the schema but is not well-formed Unicode: a lone surrogate,
// as a client produces when it cuts a string at maxTextLength in the middle of an emoji. SQLite
// stores UTF-8, so the relay keeps something other than what it acked and fanned out.

const CUT_EMOJI = 'see you \u{1F44B}'.slice(0, -1) // ends in a lone high surrogate

describe('text that is not well-formed UTF-16', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  it('answers a retry of the same clientMsgId with the same ack', async () => {
    const brand = await createTestBrand(relay)
    const v = await connectVisitor(relay, brand)
    const first = await sendAndAck(v.client, 'cut-retry', 'm1', CUT_EMOJI)
    v.client.send({ type: 'message.send', convId: 'cut-retry', clientMsgId: 'm1', text: CUT_EMOJI })
    await frameOf(v.client, 'message.ack', (a) => a.clientMsgId === 'm1' && a !== first, 'ack of the retry')
    const acks = v.client.all('message.ack', (a) => a.clientMsgId === 'm1')
    expect(acks).toHaveLength(2)
    expect(acks[1]).toEqual(acks[0])
  })

  it('stores the text it acked and fanned out', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const a = (await connectAgent(relay, agent)).client
    const v = await connectVisitor(relay, brand)
    await openAndJoin(v.client, a, 'cut-store')
    const ack = await sendAndAck(v.client, 'cut-store', 'm2', CUT_EMOJI)
    const live = await frameOf(a, 'message.new', (m) => m.clientMsgId === 'm2', 'live m2')
    const stored = (await storedMessages(relay, brand.apiKey, 'cut-store')).find((m) => m.clientMsgId === 'm2')!
    // What the sender was told was stored (ack.text, or what it sent when absent) is what the
    // agent saw live and what the transcript and every later resume hold.
    const acked = ack.text ?? CUT_EMOJI
    expect([live.text, stored.text]).toEqual([acked, acked])
  })
})
