import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestBrand } from '../helpers/brand.js'
import { expectRefusal } from '../helpers/expect-error.js'
import { createFakeClock } from '../helpers/fake-clock.js'
import { agentOf, sendAndAck, visitorOf } from '../helpers/tracked-clients.js'
import { listBrandConversations } from '../helpers/transcript.js'

// How many conversations visitors may open a minute, per visitor and per address: past either
// limit a message that would open one is refused with PARLEY_ERR_LIMIT_CONVERSATIONS (retryable,
// with retryAfterMs) and opens nothing; messages to conversations that exist still go through.

const PER_VISITOR = 3
const PER_IP = 5
const MINUTE = 60_000

describe('opening limits', () => {
  const clock = createFakeClock()
  let relay: TestRelay
  beforeAll(async () => {
    relay = await startRelay({ clock, limits: { visitorConversationsPerMinute: PER_VISITOR, ipConversationsPerMinute: PER_IP } })
  })
  afterAll(async () => { await relay.close() })

  /** Moves past any bucket an earlier test emptied (all clients of a file share 127.0.0.1). */
  const freshMinute = () => clock.advance(MINUTE)

  async function opened(brand: TestBrand): Promise<string[]> {
    return (await listBrandConversations(relay, brand)).map((c) => c.convId).sort()
  }

  it('refuses a visitor a conversation past visitorConversationsPerMinute with PARLEY_ERR_LIMIT_CONVERSATIONS', async () => {
    freshMinute()
    const brand = await createTestBrand(relay)
    const { client } = await visitorOf(relay, brand)
    for (let i = 0; i < PER_VISITOR; i++) await sendAndAck(client, `c${i}`, `m${i}`, 'hi')
    client.send({ type: 'message.send', convId: 'one-too-many', clientMsgId: 'mx', text: 'hi' })
    const err = await expectRefusal(client, 'PARLEY_ERR_LIMIT_CONVERSATIONS')
    expect(err.ref).toBe('mx')
    expect(err.retryAfterMs).toBeGreaterThan(0)
    expect(await opened(brand)).toEqual(['c0', 'c1', 'c2'])
  })

  it('still takes messages to the conversations a limited visitor already has, on this connection and a new one', async () => {
    freshMinute()
    const brand = await createTestBrand(relay)
    const first = await visitorOf(relay, brand)
    for (let i = 0; i < PER_VISITOR; i++) await sendAndAck(first.client, `c${i}`, `m${i}`, 'hi')
    expect(await sendAndAck(first.client, 'c0', 'again', 'more')).toBe(2)
    const second = await visitorOf(relay, brand, first.token)
    expect(await sendAndAck(second.client, 'c1', 'other-tab', 'more')).toBe(2)
  })

  it('refuses conversations from one address past ipConversationsPerMinute, whoever the visitors are', async () => {
    freshMinute()
    const brand = await createTestBrand(relay)
    for (let i = 0; i < PER_IP; i++) {
      const { client } = await visitorOf(relay, brand)
      await sendAndAck(client, `ip${i}`, 'm1', 'hi')
    }
    const { client } = await visitorOf(relay, brand)
    client.send({ type: 'message.send', convId: 'from-same-address', clientMsgId: 'm1', text: 'hi' })
    await expectRefusal(client, 'PARLEY_ERR_LIMIT_CONVERSATIONS')
    expect(await opened(brand)).toHaveLength(PER_IP)
  })

  it('counts each brand\'s visitors at one address on their own', async () => {
    freshMinute()
    const crowded = await createTestBrand(relay)
    for (let i = 0; i < PER_IP; i++) {
      const { client } = await visitorOf(relay, crowded)
      await sendAndAck(client, `ip${i}`, 'm1', 'hi')
    }
    const other = await createTestBrand(relay)
    const { client } = await visitorOf(relay, other)
    expect(await sendAndAck(client, 'other-brand', 'm1', 'hi')).toBe(1)
  })

  it('lets the visitor open a conversation again once the minute has passed', async () => {
    freshMinute()
    const brand = await createTestBrand(relay)
    const { client } = await visitorOf(relay, brand)
    for (let i = 0; i < PER_VISITOR; i++) await sendAndAck(client, `c${i}`, `m${i}`, 'hi')
    client.send({ type: 'message.send', convId: 'later', clientMsgId: 'early', text: 'hi' })
    const err = await expectRefusal(client, 'PARLEY_ERR_LIMIT_CONVERSATIONS')
    clock.advance(err.retryAfterMs!)
    expect(await sendAndAck(client, 'later', 'retry', 'hi')).toBe(1)
  })

  it('counts a burst of messages to one new conversation as one opening', async () => {
    freshMinute()
    const brand = await createTestBrand(relay)
    const { client } = await visitorOf(relay, brand)
    for (let i = 0; i < PER_VISITOR + 2; i++) client.send({ type: 'message.send', convId: 'burst', clientMsgId: `b${i}`, text: 'hi' })
    const last = await client.next('message.ack', (a) => a.clientMsgId === `b${PER_VISITOR + 1}`)
    expect(last.seq).toBe(PER_VISITOR + 2)
    expect(client.all('error')).toEqual([])
  })

  it('does not count agents, who open no conversations', async () => {
    freshMinute()
    const brand = await createTestBrand(relay)
    const agent = await agentOf(relay, await createTestAgent(relay, brand.brandId))
    const { client } = await visitorOf(relay, brand)
    await sendAndAck(client, 'c0', 'm0', 'hi')
    agent.send({ type: 'conversation.join', convId: 'c0' })
    await agent.next('conversation.joined')
    for (let i = 0; i < PER_IP + 1; i++) await sendAndAck(agent, 'c0', `a${i}`, 'answer')
  })
})
