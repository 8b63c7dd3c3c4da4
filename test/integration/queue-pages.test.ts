import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { QueueListed } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand } from '../helpers/brand.js'
import { expectRefusal } from '../helpers/expect-error.js'
import { seedConversations } from '../helpers/seed-conversations.js'
import { agentOf, sendAndAck } from '../helpers/tracked-clients.js'
import { TestClient } from '../helpers/ws-client.js'

// A flooded queue: more conversations wait than one page shows. The agent learns the total and can
// page to the newest, whichever end they start from.

describe('queue pages', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  async function list(agent: TestClient, frame: Record<string, unknown>): Promise<QueueListed> {
    const ref = `q${Math.random().toString(36).slice(2, 10)}`
    agent.send({ type: 'queue.list', ...frame, ref })
    return agent.next('queue.listed', (f) => f.ref === ref)
  }

  async function floodedBrand(count: number) {
    const brand = await createTestBrand(relay)
    const ids = await seedConversations(relay, brand.brandId, count, 'flood')
    const agent = await agentOf(relay, await createTestAgent(relay, brand.brandId))
    return { brand, ids, agent }
  }

  it('tells the agent how many conversations wait in all, beyond the first page', async () => {
    const { ids, agent } = await floodedBrand(250)
    const page = await list(agent, {})
    expect(page.total).toBe(250)
    expect(page.conversations).toHaveLength(200)
    expect(page.conversations.map((c) => c.convId)).toEqual(ids.slice(0, 200))
    expect(page.next).toBeDefined()
  })

  it('shows the newest waiting conversations first when asked, however many older ones wait', async () => {
    const { ids, agent } = await floodedBrand(250)
    const page = await list(agent, { order: 'newest', limit: 10 })
    expect(page.conversations.map((c) => c.convId)).toEqual(ids.slice(-10).reverse())
    expect(page.total).toBe(250)
  })

  it('reaches every waiting conversation, each once, by following next', async () => {
    const { ids, agent } = await floodedBrand(250)
    const seen: string[] = []
    let next: string | undefined
    do {
      const page = await list(agent, { limit: 60, ...(next ? { cursor: next } : {}) })
      seen.push(...page.conversations.map((c) => c.convId))
      next = page.next
    } while (next)
    expect(seen).toEqual(ids)
  })

  it('counts a conversation accepted meanwhile out of the total and the pages', async () => {
    const { ids, agent } = await floodedBrand(5)
    agent.send({ type: 'conversation.accept', convId: ids[2], ref: 'acc' })
    await agent.next('conversation.joined', (f) => f.ref === 'acc')
    const page = await list(agent, {})
    expect(page.total).toBe(4)
    expect(page.conversations.map((c) => c.convId)).toEqual([ids[0], ids[1], ids[3], ids[4]])
    expect(page.next).toBeUndefined()
  })

  it('refuses a cursor the relay did not give with PARLEY_ERR_FRAME_INVALID', async () => {
    const { agent } = await floodedBrand(1)
    agent.send({ type: 'queue.list', cursor: 'not-a-cursor', ref: 'bad' })
    expect((await expectRefusal(agent, 'PARLEY_ERR_FRAME_INVALID')).ref).toBe('bad')
  })

  it('still answers a queue.list with no paging fields as protocol 1 did, oldest first', async () => {
    const brand = await createTestBrand(relay)
    const agent = await agentOf(relay, await createTestAgent(relay, brand.brandId))
    const visitor = await TestClient.visitor(relay.wsUrl, brand.siteKey, { origin: brand.origin })
    await sendAndAck(visitor.client, 'first', 'm1', 'hi')
    const page = await list(agent, {})
    expect(page.conversations.map((c) => [c.convId, c.preview])).toEqual([['first', 'hi']])
    expect(page.total).toBe(1)
    visitor.client.ws.close()
  })
})
