import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestBrand } from '../helpers/brand.js'
import { createFakeClock } from '../helpers/fake-clock.js'
import { createFakeScheduler } from '../helpers/fake-scheduler.js'
import { floorAgent, openChat, saveTeamSurvey, setRouting } from '../helpers/routing-floor.js'
import { TestClient } from '../helpers/ws-client.js'

// A console that reconnects drops its offer cards and learns the offers still pending from hello:
// the relay sends each one again, with its original expiry, to the new connection.

const clock = createFakeClock()
const scheduler = createFakeScheduler(clock)

describe('pending offers after a reconnect', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay({ clock, relay: { routing: { scheduler } } }) })
  afterAll(async () => { await relay.close() })

  /** A new agent connection once hello is fully answered (a ping after it is answered after it). */
  async function settled(token: string): Promise<TestClient> {
    const { client } = await TestClient.agent(relay.wsUrl, token)
    client.send({ type: 'ping', ref: 'p' })
    await client.next('pong', (f) => f.ref === 'p')
    return client
  }

  it("sends an agent's new connection the offers pending for them, with the original expiry", async () => {
    const brand = await createTestBrand(relay)
    await saveTeamSurvey(relay, brand.brandId)
    await setRouting(relay, brand.brandId, 'automatic', 30)
    const ann = await floorAgent(relay, brand.brandId, 'Ann', [])
    const chat = await openChat(relay, brand, 'any')
    const offer = await ann.client.next('conversation.offered', (f) => f.convId === chat.convId)
    clock.advance(10_000)
    // Ann's console reconnects (its other socket keeps her available meanwhile).
    const { client: again } = await TestClient.agent(relay.wsUrl, ann.token)
    const resent = await again.next('conversation.offered', (f) => f.convId === chat.convId)
    expect(resent).toEqual(offer)
    // A colleague's new connection hears of no offer that is not theirs; Ann's first socket got no second copy.
    const ben = await floorAgent(relay, brand.brandId, 'Ben', [])
    const bens = await settled(ben.token)
    expect(bens.all('conversation.offered')).toEqual([])
    expect(ann.client.all('conversation.offered', (f) => f.convId === chat.convId)).toHaveLength(1)
    // Once it ended, a new connection hears of it no more.
    ann.client.send({ type: 'conversation.decline', convId: chat.convId, ref: 'd' })
    await ann.client.next('offer.ended', (f) => f.ref === 'd')
    const third = await settled(ann.token)
    expect(third.all('conversation.offered', (f) => f.convId === chat.convId)).toEqual([])
    for (const c of [again, bens, third]) c.close()
  })
})
