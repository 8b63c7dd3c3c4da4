import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { TestClient } from '../helpers/ws-client.js'

// An agent who lists the queue (a console opened or reloaded after the message came) sees an
// offline message marked as one, with the contact to answer, as conversation.opened shows it live.

describe('queue.listed and offline messages', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  it('marks an offline message in a queue listing with its contact, and a live chat not at all', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const offline = await callRest(relay, {
      method: 'POST', url: `/v1/sites/${brand.siteKey}/offline-messages`, headers: { origin: brand.origin },
      body: { name: 'Grace Hopper', email: 'grace@example.com', message: 'Call me back, please', clientMsgId: 'om-queue-1' },
    })
    expect(offline.status).toBe(201)
    const { client: visitor } = await TestClient.visitor(relay.wsUrl, brand.siteKey, { origin: brand.origin })
    visitor.send({ type: 'message.send', convId: 'conv-live-q', clientMsgId: 'live-1', text: 'A live question' })
    const ack = await visitor.next('message.ack', (f) => f.clientMsgId === 'live-1')

    const { client } = await TestClient.agent(relay.wsUrl, agent.token)
    client.send({ type: 'queue.list', ref: 'q1' })
    const queue = await client.next('queue.listed', (f) => f.ref === 'q1')
    const byId = Object.fromEntries(queue.conversations.map((c) => [c.convId, c]))
    expect(byId[offline.body.convId]).toMatchObject({ origin: 'offline', contact: { name: 'Grace Hopper', email: 'grace@example.com' }, preview: 'Call me back, please' })
    expect(byId[ack.convId]).toBeDefined()
    expect(byId[ack.convId]).not.toHaveProperty('origin')
    expect(byId[ack.convId]).not.toHaveProperty('contact')
    client.ws.close()
    visitor.ws.close()
  })
})
