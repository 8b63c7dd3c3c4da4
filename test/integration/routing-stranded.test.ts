import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestBrand, type TestBrand } from '../helpers/brand.js'
import { createFakeClock } from '../helpers/fake-clock.js'
import { createFakeScheduler } from '../helpers/fake-scheduler.js'
import { floorAgent, openChat, saveTeamSurvey, setRouting, type FloorAgent } from '../helpers/routing-floor.js'
import { until } from '../helpers/until.js'

// Chats pressed on the wrong agent, on a real relay, real SQLite and real sockets: a declined chat
// offered again to the agent who declined it, and one chat missed again and again counted as many
// missed offers.

const clock = createFakeClock()
const scheduler = createFakeScheduler(clock)

describe('chats nobody would answer', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay({ clock, relay: { routing: { scheduler } } }) })
  afterAll(async () => { await relay.close() })

  async function brandWithSurvey(mode: 'manual' | 'automatic'): Promise<TestBrand> {
    const brand = await createTestBrand(relay)
    await saveTeamSurvey(relay, brand.brandId)
    await setRouting(relay, brand.brandId, mode, 30)
    return brand
  }

  it('never offers a declined chat again to the agent who declined it while it waits', async () => {
    const brand = await brandWithSurvey('automatic')
    const ann = await floorAgent(relay, brand.brandId, 'Ann', [])
    const chat = await openChat(relay, brand, 'any')
    await ann.client.next('conversation.offered', (f) => f.convId === chat.convId)
    // Time moves (an offer row is keyed by its time: a second offer at the same instant would be refused anyway).
    clock.advance(2000)
    ann.client.send({ type: 'conversation.decline', convId: chat.convId, ref: 'd' })
    await ann.client.next('offer.ended', (f) => f.ref === 'd')
    // A pass runs (another chat opens and is offered to Ann): the declined chat, first in the queue,
    // would have been offered to her in that pass, before the other; it is not.
    const other = await openChat(relay, brand, 'any')
    await ann.client.next('conversation.offered', (f) => f.convId === other.convId)
    expect(ann.client.all('conversation.offered', (f) => f.convId === chat.convId)).toHaveLength(1)
    // A colleague who comes gets it; Ann may still accept it by hand meanwhile.
    const ben: FloorAgent = await floorAgent(relay, brand.brandId, 'Ben', [])
    await ben.client.next('conversation.offered', (f) => f.convId === chat.convId)
  })

  it('counts a chat missed again and again by the same agent as one missed offer', async () => {
    const brand = await brandWithSurvey('automatic')
    const ann = await floorAgent(relay, brand.brandId, 'Ann', [])
    const chat = await openChat(relay, brand, 'any')
    for (let i = 1; i <= 3; i++) {
      await until(() => ann.client.all('conversation.offered', (f) => f.convId === chat.convId).length === i, `offer ${i}`)
      scheduler.advance(30_000)
      await until(() => ann.client.all('offer.ended', (f) => f.convId === chat.convId).length === i, `timeout ${i}`)
    }
    expect(await relay.deps.store.countMissedOffers(brand.brandId, 0)).toEqual({ [ann.agentId]: 1 })
    // A second chat missed counts as a second.
    const next = await openChat(relay, brand, 'any')
    await ann.client.next('conversation.offered', (f) => f.convId === next.convId)
    scheduler.advance(30_000)
    await until(async () => (await relay.deps.store.countMissedOffers(brand.brandId, 0))[ann.agentId] === 2, 'two chats missed')
  })
})
