import { afterAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestBrand } from '../helpers/brand.js'
import { createFakeClock } from '../helpers/fake-clock.js'
import { createFakeScheduler } from '../helpers/fake-scheduler.js'
import { floorAgent, openChat, saveTeamSurvey, setRouting } from '../helpers/routing-floor.js'
import { tempDir } from '../helpers/temp-dir.js'
import { until } from '../helpers/until.js'

// A relay that restarts picks up the offers its predecessor left pending in the store: one still
// running times out when it was due, one that expired meanwhile times out at once; both count as
// missed offers, and the chats go on to the next agent.

describe('automatic routing across a restart', () => {
  const { dir, remove } = tempDir()
  const clock = createFakeClock()
  afterAll(() => remove())

  it('times out the offers it finds pending when it was due, or at once when it expired meanwhile', async () => {
    let relay: TestRelay = await startRelay({ clock, dataDir: dir, relay: { routing: { scheduler: createFakeScheduler(clock) } } })
    const brand = await createTestBrand(relay)
    await saveTeamSurvey(relay, brand.brandId)
    await setRouting(relay, brand.brandId, 'automatic', 60)
    const ann = await floorAgent(relay, brand.brandId, 'Ann', ['billing'])
    const early = await openChat(relay, brand, 'billing')
    await ann.client.next('conversation.offered', (f) => f.convId === early.convId)
    clock.advance(30_000)
    const late = await openChat(relay, brand, 'billing')
    await ann.client.next('conversation.offered', (f) => f.convId === late.convId)
    early.client.ws.close(); late.client.ws.close(); ann.client.ws.close()
    await relay.close()

    // 40 s later: the early offer (due at 60 s) has expired, the late one (due at 90 s) has not.
    clock.advance(40_000)
    const scheduler = createFakeScheduler(clock)
    relay = await startRelay({ clock, dataDir: dir, relay: { routing: { scheduler } } })
    try {
      expect((await relay.deps.store.listPendingOffers(brand.brandId)).map((o) => o.convId)).toEqual([early.convId, late.convId])
      scheduler.advance(0)
      await until(async () => (await relay.deps.store.listPendingOffers(brand.brandId)).length === 1, 'the expired offer to time out')
      expect(await relay.deps.store.countMissedOffers(brand.brandId, 0)).toEqual({ [ann.agentId]: 1 })
      scheduler.advance(19_999)
      expect(await relay.deps.store.listPendingOffers(brand.brandId)).toHaveLength(1)
      scheduler.advance(1)
      await until(async () => (await relay.deps.store.listPendingOffers(brand.brandId)).length === 0, 'the running offer to time out')
      expect(await relay.deps.store.countMissedOffers(brand.brandId, 0)).toEqual({ [ann.agentId]: 2 })
      // A colleague with the skill comes online: both chats, still waiting, are offered to him.
      const back = await floorAgent(relay, brand.brandId, 'Ben', ['billing'])
      await until(() => back.client.all('conversation.offered').length === 2, 'both chats offered to Ben')
      back.client.ws.close()
    } finally {
      await relay.close()
    }
  })
})
