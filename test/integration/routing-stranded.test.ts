import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestBrand } from '../helpers/brand.js'
import { createFakeClock } from '../helpers/fake-clock.js'
import { createFakeScheduler } from '../helpers/fake-scheduler.js'
import { floorAgent, openChat, saveTeamSurvey, setRouting, type FloorAgent } from '../helpers/routing-floor.js'
import { until } from '../helpers/until.js'

// Chats that nobody would ever answer, on a real relay, real SQLite and real sockets: a transfer to
// a colleague who is offline, a chat needing a skill no agent of the brand has (routed, placed and
// transferred), a declined chat pressed on the agent who declined it, and one chat missed again and
// again counted as many missed offers.

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

  /** Ann holds a tech chat (accepted by hand in a manual brand). */
  async function held(brand: TestBrand) {
    const ann = await floorAgent(relay, brand.brandId, 'Ann', ['tech'])
    const chat = await openChat(relay, brand, 'tech')
    ann.client.send({ type: 'conversation.accept', convId: chat.convId, ref: 'acc' })
    await ann.client.next('conversation.joined', (f) => f.ref === 'acc')
    return { ann, chat }
  }

  it('refuses a transfer to a colleague who is offline with PARLEY_ERR_AGENT_UNAVAILABLE; assign still hands it over', async () => {
    const brand = await brandWithSurvey('manual')
    const { ann, chat } = await held(brand)
    const off = await createTestAgent(relay, brand.brandId, 'Olga')
    ann.client.send({ type: 'conversation.transfer', convId: chat.convId, agentId: off.agentId, note: 'yours', ref: 't' })
    const err = await ann.client.next('error', (f) => f.ref === 't')
    expect(err).toMatchObject({ code: 'PARLEY_ERR_AGENT_UNAVAILABLE' })
    expect(err.message).toContain(off.agentId)
    // Nothing changed: Ann still holds it, no note was stored.
    expect((await relay.deps.store.getConversation(brand.brandId, chat.convId))?.assignedAgentId).toBe(ann.agentId)
    expect(await relay.deps.store.listNotes(brand.brandId, chat.convId)).toEqual([])
    // Once Olga connects, the transfer goes through.
    const olga = await floorAgent(relay, brand.brandId, 'Olga2', [])
    ann.client.send({ type: 'conversation.transfer', convId: chat.convId, agentId: olga.agentId, ref: 't2' })
    await ann.client.next('conversation.assigned', (f) => f.ref === 't2')
    // conversation.assign (legacy) still hands a chat to an offline colleague.
    olga.client.send({ type: 'conversation.assign', convId: chat.convId, agentId: off.agentId, ref: 'a' })
    await olga.client.next('conversation.assigned', (f) => f.ref === 'a')
    expect((await relay.deps.store.getConversation(brand.brandId, chat.convId))?.assignedAgentId).toBe(off.agentId)
  })

  it('refuses a transfer to a skill no agent of the brand has with PARLEY_ERR_SKILL_UNKNOWN', async () => {
    const brand = await brandWithSurvey('manual')
    const { ann, chat } = await held(brand)
    // Ben is offline, but his skill still counts: the chat waits for him.
    const ben = await createTestAgent(relay, brand.brandId, 'Ben')
    await relay.deps.store.updateAgent(brand.brandId, ben.agentId, { skills: ['billing'] })
    ann.client.send({ type: 'conversation.transfer', convId: chat.convId, skill: 'legal', ref: 't' })
    const err = await ann.client.next('error', (f) => f.ref === 't')
    expect(err).toMatchObject({ code: 'PARLEY_ERR_SKILL_UNKNOWN' })
    expect(err.message).toContain('legal')
    expect((await relay.deps.store.getConversation(brand.brandId, chat.convId))).toMatchObject({ assignedAgentId: ann.agentId, routing: { skill: 'tech' } })
    ann.client.send({ type: 'conversation.transfer', convId: chat.convId, skill: 'billing', ref: 't2' })
    await ann.client.next('conversation.requeued', (f) => f.ref === 't2')
  })

  it('offers a chat needing a skill nobody of the brand has to anyone who fits', async () => {
    const brand = await brandWithSurvey('automatic')
    const tess = await floorAgent(relay, brand.brandId, 'Tess', ['tech'])
    // The form routes to billing, but nobody of the brand has billing.
    const chat = await openChat(relay, brand, 'billing')
    await tess.client.next('conversation.offered', (f) => f.convId === chat.convId)
  })

  it('counts a chat needing an unknown skill as needing none in the queue places', async () => {
    const brand = await brandWithSurvey('manual')
    const tess = await createTestAgent(relay, brand.brandId, 'Tess')
    await relay.deps.store.updateAgent(brand.brandId, tess.agentId, { skills: ['tech'] })
    const stranded = await openChat(relay, brand, 'billing')
    clock.advance(1000)
    const plain = await openChat(relay, brand, 'any')
    // The billing chat ahead goes to anyone, so it holds the plain chat up.
    await until(() => plain.client.all('queue.position').at(-1)?.position === 2, 'the plain chat second')
    expect(stranded.client.all('queue.position').at(-1)?.position).toBe(1)
  })

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
