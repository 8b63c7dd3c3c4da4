import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Value } from '@sinclair/typebox/value'
import { ConversationOffered, OfferEnded } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestBrand, type TestBrand } from '../helpers/brand.js'
import { createFakeClock } from '../helpers/fake-clock.js'
import { createFakeScheduler, type FakeScheduler } from '../helpers/fake-scheduler.js'
import { floorAgent, openChat, saveTeamSurvey, setRouting, type FloorAgent } from '../helpers/routing-floor.js'
import { callRest } from '../helpers/rest.js'
import { until } from '../helpers/until.js'

// The router on a real relay, real SQLite and real sockets, with a fake clock and timers on it:
// offers go to the agent who fits, and end by timeout (a missed offer, then the next agent), decline,
// the agent going away, someone else accepting, or routing turning manual.

const clock = createFakeClock()
const scheduler: FakeScheduler = createFakeScheduler(clock)

describe('automatic routing', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay({ clock, relay: { routing: { scheduler } } }) })
  afterAll(async () => { await relay.close() })

  async function floor(agents: [string, string[]][]): Promise<{ brand: TestBrand; agents: FloorAgent[] }> {
    const brand = await createTestBrand(relay)
    await saveTeamSurvey(relay, brand.brandId)
    await setRouting(relay, brand.brandId, 'automatic', 30)
    const out: FloorAgent[] = []
    for (const [name, skills] of agents) out.push(await floorAgent(relay, brand.brandId, name, skills))
    return { brand, agents: out }
  }

  const offersTo = (a: FloorAgent, convId: string) => a.client.all('conversation.offered', (f) => f.convId === convId)
  const endsTo = (a: FloorAgent, convId: string) => a.client.all('offer.ended', (f) => f.convId === convId)
  /** The agent the chat is offered to now (waits for a new offer beyond `seen` offers to all of them). */
  async function offeredTo(agents: FloorAgent[], convId: string, seen = 0): Promise<FloorAgent> {
    return until(() => {
      const total = agents.reduce((n, a) => n + offersTo(a, convId).length, 0)
      if (total <= seen) return undefined
      return agents.find((a) => offersTo(a, convId).length > endsTo(a, convId).length)
    }, `offer of ${convId}`)
  }

  it('offers a new chat only to an available agent with its skill, with the entry and expiry', async () => {
    const { brand, agents: [tech, billing] } = await floor([['Tess', ['tech']], ['Bill', ['billing']]])
    const chat = await openChat(relay, brand, 'billing')
    const offer = await billing!.client.next('conversation.offered', (f) => f.convId === chat.convId)
    expect(Value.Check(ConversationOffered, offer)).toBe(true)
    expect(offer.entry).toMatchObject({ convId: chat.convId, visitorId: chat.visitorId, routing: { skill: 'billing' } })
    expect(offer.expiresAt).toBe(clock.now() + 30_000)
    // A tech chat opened after it reaches Tess, who never saw the billing one.
    const second = await openChat(relay, brand, 'tech')
    await tech!.client.next('conversation.offered', (f) => f.convId === second.convId)
    expect(offersTo(tech!, chat.convId)).toEqual([])
    // The visitor's socket never hears of offers.
    expect(chat.client.frames.some((f) => f.type === 'conversation.offered' || f.type === 'offer.ended')).toBe(false)
  })

  it('moves an offer not answered in time to the next agent and counts the missed offer', async () => {
    const { brand, agents } = await floor([['Ann', ['billing']], ['Ben', ['billing']]])
    const chat = await openChat(relay, brand, 'billing')
    const first = await offeredTo(agents, chat.convId)
    scheduler.advance(30_000)
    const ended = await first.client.next('offer.ended', (f) => f.convId === chat.convId)
    expect(Value.Check(OfferEnded, ended)).toBe(true)
    expect(ended.outcome).toBe('timeout')
    const second = await offeredTo(agents, chat.convId, 1)
    expect(second.agentId).not.toBe(first.agentId)
    expect(await relay.deps.store.countMissedOffers(brand.brandId, 0)).toEqual({ [first.agentId]: 1 })
  })

  it('times out an expired offer whose timer never fired at the next pass (a relay node that died)', async () => {
    const { brand, agents } = await floor([['Ann', []], ['Ben', []]])
    const chat = await openChat(relay, brand, 'any')
    const first = await offeredTo(agents, chat.convId)
    // Time passes, but this node's timer does not run: as if the node that made the offer died.
    clock.advance(31_000)
    await openChat(relay, brand, 'any')
    expect(await first.client.next('offer.ended', (f) => f.convId === chat.convId)).toMatchObject({ outcome: 'timeout' })
    expect(await relay.deps.store.countMissedOffers(brand.brandId, 0)).toEqual({ [first.agentId]: 1 })
    const second = await offeredTo(agents, chat.convId, 1)
    expect(second.agentId).not.toBe(first.agentId)
  })

  it('gives a declined chat to the next agent, and refuses a decline of a chat not offered', async () => {
    const { brand, agents } = await floor([['Ann', []], ['Ben', []]])
    const chat = await openChat(relay, brand, 'any')
    const first = await offeredTo(agents, chat.convId)
    first.client.send({ type: 'conversation.decline', convId: chat.convId, ref: 'd1' })
    const ended = await first.client.next('offer.ended', (f) => f.ref === 'd1')
    expect(ended).toMatchObject({ convId: chat.convId, outcome: 'declined' })
    const second = await offeredTo(agents, chat.convId, 1)
    expect(second.agentId).not.toBe(first.agentId)
    first.client.send({ type: 'conversation.decline', convId: chat.convId, ref: 'd2' })
    expect(await first.client.next('error', (f) => f.ref === 'd2')).toMatchObject({ code: 'PARLEY_ERR_OFFER_NOT_FOUND' })
    // A decline is no missed offer.
    expect(await relay.deps.store.countMissedOffers(brand.brandId, 0)).toEqual({})
  })

  it('withdraws the offer when the agent goes away mid-offer and offers the chat to someone else', async () => {
    const { brand, agents } = await floor([['Ann', []], ['Ben', []]])
    const chat = await openChat(relay, brand, 'any')
    const first = await offeredTo(agents, chat.convId)
    await callRest(relay, { method: 'PUT', url: '/v1/agent/status', token: first.token, body: { status: 'away' } })
    expect(await first.client.next('offer.ended', (f) => f.convId === chat.convId)).toMatchObject({ outcome: 'withdrawn' })
    const second = await offeredTo(agents, chat.convId, 1)
    expect(second.agentId).not.toBe(first.agentId)
  })

  it('ends the offer as taken when another agent accepts from the queue, and as accepted by the offered agent', async () => {
    const { brand, agents } = await floor([['Ann', []], ['Ben', []]])
    const chat = await openChat(relay, brand, 'any')
    const first = await offeredTo(agents, chat.convId)
    const other = agents.find((a) => a !== first)!
    other.client.send({ type: 'conversation.accept', convId: chat.convId, ref: 'a1' })
    await other.client.next('conversation.joined', (f) => f.ref === 'a1')
    expect(await first.client.next('offer.ended', (f) => f.convId === chat.convId)).toMatchObject({ outcome: 'taken' })

    const next = await openChat(relay, brand, 'any')
    const offered = await offeredTo(agents, next.convId)
    offered.client.send({ type: 'conversation.accept', convId: next.convId, ref: 'a2' })
    await offered.client.next('conversation.joined', (f) => f.ref === 'a2')
    expect(await offered.client.next('offer.ended', (f) => f.convId === next.convId)).toMatchObject({ outcome: 'accepted' })
  })

  it('offers nothing in manual mode, offers the queue when turned automatic, and withdraws offers when turned manual', async () => {
    const brand = await createTestBrand(relay)
    await saveTeamSurvey(relay, brand.brandId)
    const ann = await floorAgent(relay, brand.brandId, 'Ann', [])
    const chat = await openChat(relay, brand, 'any')
    // Turning automatic over REST offers the waiting chat; had manual mode offered it, this would be a second offer.
    const put = await callRest(relay, { method: 'PUT', url: '/v1/routing', token: brand.apiKey, body: { mode: 'automatic' } })
    expect(put.status).toBe(200)
    await ann.client.next('conversation.offered', (f) => f.convId === chat.convId)
    expect(offersTo(ann, chat.convId)).toHaveLength(1)
    await callRest(relay, { method: 'PUT', url: '/v1/routing', token: brand.apiKey, body: { mode: 'manual' } })
    expect(await ann.client.next('offer.ended', (f) => f.convId === chat.convId)).toMatchObject({ outcome: 'withdrawn' })
    expect(await relay.deps.store.listPendingOffers(brand.brandId)).toEqual([])
  })

  it('offers the highest priority first, then the oldest, and never past capacity', async () => {
    const brand = await createTestBrand(relay)
    await saveTeamSurvey(relay, brand.brandId)
    // Manual while they arrive, a second apart (the fake clock stands still otherwise).
    const old = await openChat(relay, brand, 'billing')
    clock.advance(1000)
    const urgent = await openChat(relay, brand, 'urgent')
    clock.advance(1000)
    const newer = await openChat(relay, brand, 'billing')
    await setRouting(relay, brand.brandId, 'automatic')
    const ann = await floorAgent(relay, brand.brandId, 'Ann', ['billing'], 2)
    await until(() => ann.client.all('conversation.offered').length >= 2, 'two offers')
    // A third chat would pass capacity 2: it waits, however long the relay runs passes.
    clock.advance(1000)
    const third = await openChat(relay, brand, 'any')
    await ann.client.next('agent.status', (f) => f.agent.agentId === ann.agentId)
    expect(ann.client.all('conversation.offered').map((f) => f.convId)).toEqual([urgent.convId, old.convId])
    ann.client.send({ type: 'conversation.decline', convId: urgent.convId, ref: 'd' })
    // Ann declined the urgent chat: it never comes back to her while it waits; her free slot takes the next in order.
    await until(() => offersTo(ann, newer.convId).length === 1, 'the newer chat offered to Ann')
    expect(offersTo(ann, urgent.convId)).toHaveLength(1)
    // A colleague with room takes the rest in order: the urgent chat Ann declined, then the newest.
    const ben = await floorAgent(relay, brand.brandId, 'Ben', ['billing'], 2)
    await until(() => ben.client.all('conversation.offered').length === 2, 'two offers to Ben')
    expect(ben.client.all('conversation.offered').map((f) => f.convId)).toEqual([urgent.convId, third.convId])
    expect(ann.client.all('conversation.offered')).toHaveLength(3)
  })

  it('requeues a transferred chat for a skill and offers it to an agent with that skill; the note reaches agents only', async () => {
    const { brand, agents: [tess, bill] } = await floor([['Tess', ['tech']], ['Bill', ['billing']]])
    const chat = await openChat(relay, brand, 'tech')
    await tess!.client.next('conversation.offered', (f) => f.convId === chat.convId)
    tess!.client.send({ type: 'conversation.accept', convId: chat.convId, ref: 'acc' })
    await tess!.client.next('conversation.joined', (f) => f.ref === 'acc')
    tess!.client.send({ type: 'conversation.transfer', convId: chat.convId, skill: 'billing', note: 'Card 4111 1111 1111 1111 refund', ref: 't1' })
    const requeued = await tess!.client.next('conversation.requeued', (f) => f.ref === 't1')
    expect(requeued.entry.routing).toMatchObject({ skill: 'billing' })
    await bill!.client.next('conversation.requeued', (f) => f.convId === chat.convId)
    await bill!.client.next('conversation.offered', (f) => f.convId === chat.convId)
    bill!.client.send({ type: 'conversation.accept', convId: chat.convId, ref: 'b' })
    const joined = await bill!.client.next('conversation.joined', (f) => f.ref === 'b')
    const note = joined.notes?.find((n) => n.transfer)
    expect(note?.author.id).toBe(tess!.agentId)
    // Masked before it was stored.
    expect(note?.text).not.toContain('4111 1111 1111 1111')
    expect(JSON.stringify(chat.client.frames)).not.toContain('refund')
  })

  it('hands a chat to a colleague with a note: the colleague gets it, the visitor never', async () => {
    const { brand, agents: [ann, ben] } = await floor([['Ann', []], ['Ben', []]])
    const chat = await openChat(relay, brand, 'any')
    const first = await offeredTo([ann!, ben!], chat.convId)
    const other = first === ann ? ben! : ann!
    first.client.send({ type: 'conversation.accept', convId: chat.convId, ref: 'acc' })
    await first.client.next('conversation.joined', (f) => f.ref === 'acc')
    first.client.send({ type: 'conversation.transfer', convId: chat.convId, agentId: other.agentId, note: 'VIP, be kind', ref: 't' })
    const mine = await first.client.next('conversation.assigned', (f) => f.ref === 't')
    expect(mine.note).toMatchObject({ text: 'VIP, be kind', transfer: true })
    const theirs = await other.client.next('conversation.assigned', (f) => f.convId === chat.convId && f.agent.id === other.agentId)
    expect(theirs.note?.text).toBe('VIP, be kind')
    const visitors = await chat.client.next('conversation.assigned', (f) => f.agent.id === other.agentId)
    expect(visitors.note).toBeUndefined()
    // The colleague got the chat directly: no offer of it was left pending.
    expect(await relay.deps.store.listPendingOffers(brand.brandId)).toEqual([])
    expect(JSON.stringify(chat.client.frames)).not.toContain('VIP')
  })
})
