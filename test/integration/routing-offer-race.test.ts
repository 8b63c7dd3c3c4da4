import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand } from '../helpers/brand.js'
import { createFakeClock } from '../helpers/fake-clock.js'
import { createFakeScheduler } from '../helpers/fake-scheduler.js'
import { holdStoreCall } from '../helpers/delivery-store-gate.js'
import { floorAgent, openChat, saveTeamSurvey, setRouting } from '../helpers/routing-floor.js'
import { until } from '../helpers/until.js'
import { callRest } from '../helpers/rest.js'

// An accept commits the assignment, then reads what the joiner sees (notes, answers) before it
// publishes conversation.assigned. An offer that expires in that gap was still accepted: its end is
// read from the chat in the store, so it is never a missed offer. And a pass stops walking the
// queue once every agent is full.

const clock = createFakeClock()
const scheduler = createFakeScheduler(clock)

describe('an offer accepted as it expires', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay({ clock, relay: { routing: { scheduler } } }) })
  afterAll(async () => { await relay.close() })

  async function acceptHeld(expire: (brandId: string) => Promise<void>): Promise<void> {
    const brand = await createTestBrand(relay)
    await saveTeamSurvey(relay, brand.brandId)
    await setRouting(relay, brand.brandId, 'automatic', 30)
    const ann = await floorAgent(relay, brand.brandId, 'Ann', [])
    const chat = await openChat(relay, brand, 'any')
    await ann.client.next('conversation.offered', (f) => f.convId === chat.convId)
    // The store read after the commit is slow: the assignment is in, conversation.assigned not yet out.
    const gate = holdStoreCall(relay, 'listNotes', 'before')
    try {
      ann.client.send({ type: 'conversation.accept', convId: chat.convId, ref: 'acc' })
      await until(() => gate.held() > 0 || undefined, 'the accept held after its commit')
      await expire(brand.brandId)
      const ended = await ann.client.next('offer.ended', (f) => f.convId === chat.convId)
      expect(ended.outcome).toBe('accepted')
    } finally {
      gate.release()
      gate.restore()
    }
    await ann.client.next('conversation.joined', (f) => f.ref === 'acc')
    expect(await relay.deps.store.countMissedOffers(brand.brandId, 0)).toEqual({})
    expect(await relay.deps.store.listPendingOffers(brand.brandId)).toEqual([])
    expect(ann.client.all('offer.ended', (f) => f.convId === chat.convId)).toHaveLength(1)
  }

  it('ends as accepted when the offer timer fires between the commit and the publish', async () => {
    await acceptHeld(async () => { scheduler.advance(30_000) })
  })

  it('ends as accepted when a pass cleans up the expired offer in that gap', async () => {
    await acceptHeld(async (brandId) => {
      // The timer does not run (as on a node that died); the next pass finds the offer expired.
      clock.advance(31_000)
      await relay.deps.store.setRoutingConfig(brandId, { mode: 'automatic', offerTimeoutSec: 30 })
      await floorAgent(relay, brandId, 'Ben', [])
    })
  })
})

describe('a pass over a long queue', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay({ clock, relay: { routing: { scheduler } } }) })
  afterAll(async () => { await relay.close() })

  it('stops walking the queue once no agent has room', async () => {
    const brand = await createTestBrand(relay)
    await saveTeamSurvey(relay, brand.brandId)
    const chats = []
    for (let i = 0; i < 6; i++) chats.push(await openChat(relay, brand, 'any'))
    const ann = await floorAgent(relay, brand.brandId, 'Ann', [], 1)
    const { store } = relay.deps
    const original = store.listOfferedAgents.bind(store)
    let reads = 0
    store.listOfferedAgents = async (...args) => { reads++; return original(...args) }
    try {
      expect((await callRest(relay, { method: 'PUT', url: '/v1/routing', token: brand.apiKey, body: { mode: 'automatic' } })).status).toBe(200)
      const offer = await ann.client.next('conversation.offered')
      // The pass read no previews of the queue, but the offer still carries its chat's.
      const listed = await store.listQueue(brand.brandId, 10)
      expect(offer.entry.preview).toBe(listed.find((r) => r.conversation.convId === offer.convId)?.preview)
      // The pass goes on after the offer (or would): give it time to walk the rest.
      await new Promise((r) => setTimeout(r, 300))
    } finally {
      store.listOfferedAgents = original
    }
    // Ann (capacity 1) took one offer; the other five chats were not looked at.
    expect(ann.client.all('conversation.offered')).toHaveLength(1)
    expect(reads).toBe(1)
  })
})

describe('ended offers kept 35 days', () => {
  let relay: TestRelay
  const pruneClock = createFakeClock()
  beforeAll(async () => { relay = await startRelay({ clock: pruneClock, relay: { inactivitySweepMs: 20 } }) })
  afterAll(async () => { await relay.close() })

  it('deletes offers ended more than 35 days ago in the inactivity sweep, and keeps newer and pending ones', async () => {
    const brand = await createTestBrand(relay)
    await saveTeamSurvey(relay, brand.brandId)
    // Every chat opened wakes a routing pass that can run while the offers below are written. In
    // manual mode a pass withdraws every pending offer, and in any mode it times out one past its
    // expiry, ending it now rather than at the time given. So: automatic routing, Ann not on the
    // floor (nobody has room, so a pass offers nothing), and every offer expiring in the future.
    await setRouting(relay, brand.brandId, 'automatic', 30)
    const ann = await createTestAgent(relay, brand.brandId, 'Ann')
    const { store } = relay.deps
    const DAY = 24 * 3600_000
    const now = pruneClock.now()
    const [old, recent, pending] = [await openChat(relay, brand, 'any'), await openChat(relay, brand, 'any'), await openChat(relay, brand, 'any')]
    for (const [chat, at] of [[old, now - 36 * DAY], [recent, now - 34 * DAY], [pending, now]] as const) {
      expect(await store.createOffer({ brandId: brand.brandId, convId: chat.convId, agentId: ann.agentId, offeredAt: at, expiresAt: now + 30_000 })).toBe(true)
    }
    expect(await store.endOffer(brand.brandId, old.convId, ann.agentId, 'timeout', now - 36 * DAY + 30_000)).not.toBeNull()
    expect(await store.endOffer(brand.brandId, recent.convId, ann.agentId, 'timeout', now - 34 * DAY + 30_000)).not.toBeNull()
    const offered = async (convId: string) => (await store.listOfferedAgents(brand.brandId, convId, 0)).length
    await until(async () => (await offered(old.convId)) === 0 || undefined, 'the old offer deleted')
    expect(await offered(recent.convId)).toBe(1)
    expect((await store.listPendingOffers(brand.brandId)).map((o) => o.convId)).toEqual([pending.convId])
  })
})
