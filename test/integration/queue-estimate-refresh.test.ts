import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand } from '../helpers/brand.js'
import { connectVisitor, frameOf, sendAndAck } from '../helpers/delivery-chat.js'
import { createFakeClock } from '../helpers/fake-clock.js'
import { createFakeScheduler } from '../helpers/fake-scheduler.js'
import { until } from '../helpers/until.js'

// The wait estimate while nothing in the queue moves: the relay works it out again every 30 s on
// its clock, and never tells a visitor less than they have already waited.

const clock = createFakeClock()
const scheduler = createFakeScheduler(clock)
const SEC = 1000

describe('the wait estimate over time', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay({ clock, relay: { routing: { scheduler } } }) })
  afterAll(async () => { await relay.close() })

  it('rises with the time already waited, recomputed while the queue stands still', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const store = relay.deps.store
    const now = clock.now()
    // Three chats lately, each taken 10 s after it opened: "less than a minute".
    for (const [i, openedAt] of [now - 300 * SEC, now - 200 * SEC, now - 100 * SEC].entries()) {
      const convId = `done-${i}`
      await store.openConversation({ brandId: brand.brandId, convId, visitorId: `v-${convId}`, clientMsgId: `${convId}-o`, at: openedAt, context: null, routing: {}, response: null })
      await store.assignConversation(brand.brandId, convId, agent.agentId, openedAt + 10 * SEC, { onlyIfWaiting: true })
    }
    const v = await connectVisitor(relay, brand)
    await sendAndAck(v.client, 'slow-1', 'm1', 'Hello?')
    expect(await frameOf(v.client, 'queue.position', (f) => f.convId === 'slow-1')).toMatchObject({ position: 1, estimatedWaitSec: 15 })
    // Three minutes and nobody took it: the next look tells the visitor at least that long again.
    scheduler.advance(180 * SEC)
    const later = await until(() => v.client.all('queue.position').find((f) => f.estimatedWaitSec === 180), 'the estimate after three minutes')
    expect(later).toMatchObject({ position: 1 })
  })
})
