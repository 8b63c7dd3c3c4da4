import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand } from '../helpers/brand.js'
import { connectAgent, connectVisitor, frameOf, sendAndAck } from '../helpers/delivery-chat.js'
import { holdCommits } from '../helpers/delivery-store-gate.js'
import { createFakeClock, type FakeClock } from '../helpers/fake-clock.js'
import { until } from '../helpers/until.js'

// What a waiting visitor hears on a real relay: their place in the queue as chats ahead are
// accepted; a quiet chat closing itself (as the system) with the notice to both sides, and a
// message racing that close neither stored in a closed chat nor acknowledged and dropped; the skill
// the inviting rule gives a chat.

describe('queue positions', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  it('tells each waiting visitor their place, and the places fall as chats are accepted', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const a = await connectAgent(relay, agent)
    const v = [await connectVisitor(relay, brand), await connectVisitor(relay, brand), await connectVisitor(relay, brand)]
    for (const [i, tab] of v.entries()) await sendAndAck(tab.client, `q-${i}`, `m-${i}`, 'Anyone there?')
    for (const [i, tab] of v.entries()) await frameOf(tab.client, 'queue.position', (f) => f.convId === `q-${i}` && f.position === i + 1)

    a.client.send({ type: 'conversation.accept', convId: 'q-0', ref: 'acc0' })
    await frameOf(v[1]!.client, 'queue.position', (f) => f.convId === 'q-1' && f.position === 1)
    await frameOf(v[2]!.client, 'queue.position', (f) => f.convId === 'q-2' && f.position === 2)
    a.client.send({ type: 'conversation.accept', convId: 'q-1', ref: 'acc1' })
    await frameOf(v[2]!.client, 'queue.position', (f) => f.convId === 'q-2' && f.position === 1)

    // Nobody is told a place twice, nor after an agent took their chat; no estimate from two acceptances.
    expect(v[0]!.client.all('queue.position').map((f) => f.position)).toEqual([1])
    expect(v[1]!.client.all('queue.position').map((f) => f.position)).toEqual([2, 1])
    expect(v[2]!.client.all('queue.position').every((f) => f.estimatedWaitSec === undefined)).toBe(true)
    // The agent's connection never hears a visitor's place.
    expect(a.client.all('queue.position')).toEqual([])
  })

  it('tells a visitor who comes back their current place', async () => {
    const brand = await createTestBrand(relay)
    const first = await connectVisitor(relay, brand)
    await sendAndAck(first.client, 'back-1', 'm1', 'Hello?')
    await frameOf(first.client, 'queue.position', (f) => f.convId === 'back-1' && f.position === 1)
    first.client.close()
    const again = await connectVisitor(relay, brand, { token: first.token })
    expect(await frameOf(again.client, 'queue.position', (f) => f.convId === 'back-1')).toMatchObject({ position: 1 })
  })

  it('adds an estimate once the brand accepted three chats in the last half hour', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const store = relay.deps.store
    const now = Date.now()
    // Three chats, each taken 40 s after it opened, in the last ten minutes.
    for (const [i, openedAt] of [now - 600_000, now - 400_000, now - 200_000].entries()) {
      const convId = `done-${i}`
      await store.openConversation({ brandId: brand.brandId, convId, visitorId: `v-${convId}`, clientMsgId: `${convId}-o`, at: openedAt, context: null, routing: {}, response: null })
      await store.assignConversation(brand.brandId, convId, agent.agentId, openedAt + 40_000, { onlyIfWaiting: true })
    }
    const v = await connectVisitor(relay, brand)
    await sendAndAck(v.client, 'est-1', 'm1', 'How long?')
    // The median wait (40 s) beats throughput (3 in 30 minutes: 10 minutes each), rounded to 45 s.
    expect(await frameOf(v.client, 'queue.position', (f) => f.convId === 'est-1')).toMatchObject({ position: 1, estimatedWaitSec: 45 })
  })

  it('counts ahead only the chats needing the same skill or none', async () => {
    const brand = await createTestBrand(relay)
    const store = relay.deps.store
    const open = (convId: string, skill: string | undefined, at: number) => store.openConversation({
      brandId: brand.brandId, convId, visitorId: `v-${convId}`, clientMsgId: `${convId}-o`, at, context: null, routing: skill ? { skill } : {}, response: null,
    })
    await open('s-any', undefined, 1000)
    await open('s-billing', 'billing', 1001)
    await open('s-sales', 'sales', 1002)
    const v = await connectVisitor(relay, brand)
    await sendAndAck(v.client, 's-mine', 'm1', 'Sales question')
    // Opened by a message, so no skill: it waits behind the one other chat needing none.
    expect(await frameOf(v.client, 'queue.position', (f) => f.convId === 's-mine')).toMatchObject({ position: 2 })
  })
})

describe('the skill an inviting rule gives', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  it("stores the rule's skill on a chat its invitation opened without pre-chat answers", async () => {
    const brand = await createTestBrand(relay)
    await relay.deps.store.setRulesConfig(brand.brandId, { rules: [{ id: 'invite-billing', action: { type: 'invite', message: 'Questions about your bill?', skill: 'billing' } }] })
    const v = await connectVisitor(relay, brand, { context: { url: 'https://shop.example/bill', ruleId: 'invite-billing' } })
    await sendAndAck(v.client, 'rs-1', 'm1', 'Why two charges?')
    expect((await relay.deps.store.getConversation(brand.brandId, 'rs-1'))?.routing).toEqual({ skill: 'billing' })
  })

  it('stores the skill through conversation.open as well, and none for a rule without one', async () => {
    const brand = await createTestBrand(relay)
    await relay.deps.store.setRulesConfig(brand.brandId, { rules: [
      { id: 'btn-sales', action: { type: 'button', skill: 'sales' } },
      { id: 'btn-plain', action: { type: 'button' } },
    ] })
    const sales = await connectVisitor(relay, brand, { context: { url: 'https://shop.example/', ruleId: 'btn-sales' } })
    sales.client.send({ type: 'conversation.open', convId: 'rs-2', clientMsgId: 'o1' })
    await frameOf(sales.client, 'conversation.started')
    const plain = await connectVisitor(relay, brand, { context: { url: 'https://shop.example/', ruleId: 'btn-plain' } })
    await sendAndAck(plain.client, 'rs-3', 'm1', 'Hi')
    expect((await relay.deps.store.getConversation(brand.brandId, 'rs-2'))?.routing).toEqual({ skill: 'sales' })
    expect((await relay.deps.store.getConversation(brand.brandId, 'rs-3'))?.routing).toEqual({})
  })
})

describe('inactivity auto-close', () => {
  let relay: TestRelay
  let clock: FakeClock
  const MIN = 60_000
  beforeAll(async () => {
    clock = createFakeClock(Date.UTC(2026, 0, 5, 9))
    relay = await startRelay({ clock, relay: { inactivitySweepMs: 20 } })
  })
  afterAll(async () => { await relay.close() })

  it('closes a quiet chat an agent holds as the relay, telling the visitor and the agent; a lively or waiting one stays open', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const a = await connectAgent(relay, agent)
    const quiet = await connectVisitor(relay, brand)
    const lively = await connectVisitor(relay, brand)
    const waiting = await connectVisitor(relay, brand)
    await sendAndAck(quiet.client, 'idle-quiet', 'm1', 'Hello')
    await sendAndAck(lively.client, 'idle-lively', 'm1', 'Hello')
    await sendAndAck(waiting.client, 'idle-waiting', 'm1', 'Hello')
    for (const convId of ['idle-quiet', 'idle-lively']) {
      a.client.send({ type: 'conversation.accept', convId, ref: `acc-${convId}` })
      await frameOf(a.client, 'conversation.joined', (f) => f.convId === convId)
    }
    clock.advance(29 * MIN)
    await sendAndAck(lively.client, 'idle-lively', 'm2', 'Still here')
    clock.advance(2 * MIN)

    const toVisitor = await frameOf(quiet.client, 'conversation.closed', (f) => f.convId === 'idle-quiet')
    const toAgent = await frameOf(a.client, 'conversation.closed', (f) => f.convId === 'idle-quiet')
    for (const f of [toVisitor, toAgent]) expect(f).toMatchObject({ by: { kind: 'system', id: 'relay' }, reason: 'inactive' })
    expect((await relay.deps.store.getConversation(brand.brandId, 'idle-quiet'))?.status).toBe('closed')
    expect((await relay.deps.store.getConversation(brand.brandId, 'idle-lively'))?.status).toBe('open')
    expect(lively.client.all('conversation.closed')).toEqual([])
    // Nobody answered the waiting visitor yet: they wait for us, however quietly, and are not closed.
    clock.advance(60 * MIN)
    await frameOf(lively.client, 'conversation.closed', (f) => f.convId === 'idle-lively')
    expect((await relay.deps.store.getConversation(brand.brandId, 'idle-waiting'))?.status).toBe('open')
    expect(waiting.client.all('conversation.closed')).toEqual([])
  })

  it('never closes chats of a brand that set 0 minutes', async () => {
    const brand = await createTestBrand(relay)
    const other = await createTestBrand(relay)
    await relay.deps.store.setRoutingConfig(brand.brandId, { inactivityCloseMin: 0 })
    const keep = await connectVisitor(relay, brand)
    const goes = await connectVisitor(relay, other)
    await sendAndAck(keep.client, 'zero-keep', 'm1', 'Hello')
    await sendAndAck(goes.client, 'zero-goes', 'm1', 'Hello')
    await relay.deps.store.assignConversation(brand.brandId, 'zero-keep', (await createTestAgent(relay, brand.brandId)).agentId, clock.now(), { onlyIfWaiting: true })
    const otherAgent = (await createTestAgent(relay, other.brandId)).agentId
    await relay.deps.store.assignConversation(other.brandId, 'zero-goes', otherAgent, clock.now(), { onlyIfWaiting: true })
    clock.advance(24 * 60 * MIN)
    await frameOf(goes.client, 'conversation.closed', (f) => f.convId === 'zero-goes')
    // A second close in the other brand needs a later pass, so the pass that looked at this brand has ended.
    await sendAndAck(goes.client, 'zero-goes-2', 'm2', 'Hello again')
    await relay.deps.store.assignConversation(other.brandId, 'zero-goes-2', otherAgent, clock.now(), { onlyIfWaiting: true })
    clock.advance(31 * MIN)
    await frameOf(goes.client, 'conversation.closed', (f) => f.convId === 'zero-goes-2')
    expect((await relay.deps.store.getConversation(brand.brandId, 'zero-keep'))?.status).toBe('open')
  })

  it('refuses a message that races the close: never stored in the closed chat, never acknowledged', async () => {
    const brand = await createTestBrand(relay)
    const v = await connectVisitor(relay, brand)
    await sendAndAck(v.client, 'race-1', 'm1', 'Hello')
    await relay.deps.store.assignConversation(brand.brandId, 'race-1', (await createTestAgent(relay, brand.brandId)).agentId, clock.now(), { onlyIfWaiting: true })
    const gate = holdCommits(relay)
    v.client.send({ type: 'message.send', convId: 'race-1', clientMsgId: 'm2', text: 'Wait, one more thing' })
    await until(() => gate.held() === 1, 'message held before the store')
    clock.advance(31 * MIN)
    await frameOf(v.client, 'conversation.closed', (f) => f.convId === 'race-1')
    gate.release()
    gate.restore()
    const refused = await v.client.error('PARLEY_ERR_CONV_CLOSED')
    expect(refused.ref).toBe('m2')
    expect(v.client.all('message.ack', (f) => f.clientMsgId === 'm2')).toEqual([])
    const stored = await relay.deps.store.readMessages(brand.brandId, 'race-1', 0, 10)
    expect(stored.map((m) => m.text)).toEqual(['Hello'])
  })
})
