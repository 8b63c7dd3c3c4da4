import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand } from '../helpers/brand.js'
import { TestClient } from '../helpers/ws-client.js'

describe('smoke', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  it('carries a message from visitor to agent', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const { client: v } = await TestClient.visitor(relay.wsUrl, brand.siteKey)
    const { client: a } = await TestClient.agent(relay.wsUrl, agent.token)
    v.send({ type: 'message.send', convId: 'c1', clientMsgId: 'm1', text: 'hi' })
    const ack = await v.next('message.ack')
    expect(ack.seq).toBe(1)
    await a.next('conversation.opened')
    a.send({ type: 'conversation.join', convId: 'c1' })
    await a.next('conversation.joined')
    v.send({ type: 'message.send', convId: 'c1', clientMsgId: 'm2', text: 'there' })
    const m = await a.next('message.new')
    expect(m).toMatchObject({ seq: 2, text: 'there' })
    v.close(); a.close()
  })
})
