import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMemoryStorage } from '@parley/sdk/connection'
import type { Priority, Routing } from '@parley/sdk/contract'
import { ConsoleController } from '../../widget/src/console/controller.js'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand } from '../helpers/brand.js'
import { until } from '../helpers/until.js'

// The console's queue in priority order against a real relay, with more waiting than one page
// lists: the pages the relay sends and the entries the console merges must read as one list,
// highest priority first and longest waiting first within a priority.

describe("the console's queue in priority order", () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  const PRIORITY_OF: (i: number) => Priority | undefined = (i) => (i % 50 === 7 ? 'urgent' : i % 9 === 0 ? 'high' : i % 11 === 0 ? 'low' : undefined)

  /** Opens `count` conversations straight through the store, one ms apart, each with its routing. */
  async function seed(brandId: string, count: number): Promise<{ convId: string; rank: number; at: number }[]> {
    const order = ['low', 'normal', 'high', 'urgent']
    const seeded = []
    for (let i = 0; i < count; i++) {
      const convId = `pq-${String(i).padStart(4, '0')}`
      const priority = PRIORITY_OF(i)
      const routing: Routing = priority ? { priority, topic: 'billing' } : {}
      const at = 1_000_000 + i
      const r = await relay.deps.store.openConversation({ brandId, convId, visitorId: `v-${convId}`, clientMsgId: `${convId}-open`, at, context: null, routing, response: null })
      if (!r.ok) throw new Error('seeding failed')
      seeded.push({ convId, rank: order.indexOf(priority ?? 'normal'), at })
    }
    return seeded
  }

  it('lists 250 waiting in one priority order across two pages', async () => {
    const brand = await createTestBrand(relay)
    const seeded = await seed(brand.brandId, 250)
    const me = await createTestAgent(relay, brand.brandId, 'Ana')
    const con = new ConsoleController({ token: me.token, url: relay.wsUrl, WebSocket: WebSocket as never, storage: createMemoryStorage(), storagePrefix: 'console' })
    const expected = [...seeded].sort((x, y) => y.rank - x.rank || x.at - y.at).map((s) => s.convId)
    await until(() => con.state.queue.length === 200, 'first page listed')
    expect(con.state.queueTotal).toBe(250)
    // The first page is the 200 to answer first (an urgent one opened last among them), not the 200 oldest.
    expect(con.state.queue.map((q) => q.convId)).toEqual(expected.slice(0, 200))
    await con.moreQueue()
    expect(con.state.queue.map((q) => q.convId)).toEqual(expected)
    expect(con.state.queue[0]!.routing).toEqual({ priority: 'urgent', topic: 'billing' })
    await con.stop()
  })

  it('knows from the surveys an agent may read that the brand has no post-chat survey', async () => {
    const brand = await createTestBrand(relay)
    const me = await createTestAgent(relay, brand.brandId, 'Ana')
    const get = async <T>(path: string): Promise<T> => (await fetch(`${relay.url}${path}`, { headers: { authorization: `Bearer ${me.token}` } })).json() as Promise<T>
    const con = new ConsoleController({
      token: me.token, url: relay.wsUrl, WebSocket: WebSocket as never, storage: createMemoryStorage(), storagePrefix: 'console',
      surveys: { config: () => get('/v1/surveys'), version: (id, v) => get(`/v1/surveys/${id}/versions/${v}`), responses: (convId) => get(`/v1/conversations/${convId}/responses`) },
    })
    await until(() => con.state.postSurvey !== undefined, 'surveys read')
    expect(con.state.postSurvey).toBeNull()
    await con.stop()
  })
})
