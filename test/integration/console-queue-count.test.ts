import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMemoryStorage } from '@parley/sdk/connection'
import { ConsoleController } from '../../widget/src/console/controller.js'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand } from '../helpers/brand.js'
import { seedConversations } from '../helpers/seed-conversations.js'
import { liveClient } from '../helpers/live-client.js'
import { until } from '../helpers/until.js'

// The console's queue count against a real relay, with more waiting than one page lists: it must
// follow conversations that leave the queue from a page this console never loaded, and the newest
// waiting must be one step away.

describe("the console's queue with more waiting than it lists", () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  async function flooded(count: number) {
    const brand = await createTestBrand(relay)
    const ids = await seedConversations(relay, brand.brandId, count, 'wait')
    const me = await createTestAgent(relay, brand.brandId, 'Ana')
    const con = new ConsoleController({
      token: me.token, url: relay.wsUrl, WebSocket: WebSocket as never, storage: createMemoryStorage(), storagePrefix: 'console',
    })
    const colleague = liveClient({ url: relay.wsUrl, auth: { kind: 'agent', token: (await createTestAgent(relay, brand.brandId, 'Ben')).token } })
    await colleague.open()
    await until(() => con.state.queue.length === 200, 'first page listed')
    return { ids, con, colleague }
  }

  it('counts down a conversation a colleague accepts from a page not listed here', async () => {
    const { ids, con, colleague } = await flooded(250)
    expect(con.state.queueTotal).toBe(250)
    await colleague.conn.request({ type: 'conversation.accept', convId: ids[240]! })
    await until(() => con.state.queueTotal === 249, 'count down to 249')
    expect(con.state.queue).toHaveLength(200)
    await con.stop()
    await colleague.conn.stop()
  })

  it('counts down a waiting conversation closed on a page not listed here', async () => {
    const { ids, con, colleague } = await flooded(250)
    await colleague.conn.request({ type: 'conversation.join', convId: ids[245]! })
    await colleague.conn.request({ type: 'conversation.close', convId: ids[245]! })
    await until(() => con.state.queueTotal === 249, 'count down to 249')
    await con.stop()
    await colleague.conn.stop()
  })

  it('lists the newest waiting first on request, and the next page after them', async () => {
    const { ids, con, colleague } = await flooded(250)
    await con.orderQueue(true)
    expect(con.state.queue.slice(0, 2).map((q) => q.convId)).toEqual([ids[249], ids[248]])
    await con.moreQueue()
    expect(con.state.queue.map((q) => q.convId)).toEqual([...ids].reverse())
    await con.stop()
    await colleague.conn.stop()
  })
})
