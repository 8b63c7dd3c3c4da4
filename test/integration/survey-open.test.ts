import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Value } from '@sinclair/typebox/value'
import { ConversationOpened, type QueueListed } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestBrand } from '../helpers/brand.js'
import { expectRefusal } from '../helpers/expect-error.js'
import { roundTrip } from '../helpers/delivery-round-trip.js'
import { agentOf, visitorOf } from '../helpers/tracked-clients.js'
import { callRest } from '../helpers/rest.js'
import { preAnswers, saveTestSurveys } from '../helpers/survey-brand.js'
import type { TestClient } from '../helpers/ws-client.js'

// conversation.open on a real relay: a visitor opens a conversation with the pre-chat answers; the
// answers are checked and stored with it, its routing reaches the agents and orders the queue, and
// nothing of a refused open is stored or fanned out.

const CARD = '4111 1111 1111 1111'
const id = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`

describe('conversation.open', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  /** A brand with its surveys saved, an agent online, and a visitor. */
  async function setup() {
    const brand = await createTestBrand(relay)
    await saveTestSurveys(relay.deps.store, brand.brandId)
    const agent = await agentOf(relay, await createTestAgent(relay, brand.brandId))
    const visitor = await visitorOf(relay, brand)
    return { brand, agent, visitor: visitor.client, visitorId: visitor.visitorId }
  }

  function open(client: TestClient, convId: string, clientMsgId: string, answers?: Record<string, unknown>, ref?: string): void {
    client.send({ type: 'conversation.open', convId, clientMsgId, ...(answers ? { survey: preAnswers(answers as never) } : {}), ...(ref ? { ref } : {}) })
  }

  async function queue(agent: TestClient, frame: Record<string, unknown>): Promise<QueueListed> {
    const ref = id('q')
    agent.send({ type: 'queue.list', ...frame, ref })
    return agent.next('queue.listed', (f) => f.ref === ref)
  }

  it('answers conversation.started and tells the agents of the conversation with its routing and no preview', async () => {
    const { agent, visitor, visitorId } = await setup()
    const convId = id('c')
    open(visitor, convId, 'o1', { name: 'Ada', topic: 'billing' }, 'r1')
    const started = await visitor.next('conversation.started', (f) => f.convId === convId)
    expect(started).toMatchObject({ convId, clientMsgId: 'o1', ref: 'r1' })
    const opened = await agent.next('conversation.opened', (f) => f.convId === convId)
    expect(Value.Check(ConversationOpened, opened)).toBe(true)
    expect(opened).toMatchObject({ visitorId, at: started.at, routing: { topic: 'billing', skill: 'accounts', priority: 'urgent' } })
    expect(opened.preview).toBeUndefined()
  })

  it('stores the pre-chat answer with the conversation it opens', async () => {
    const { brand, visitor } = await setup()
    const convId = id('c')
    open(visitor, convId, 'o1', { name: 'Ada', topic: 'sales' })
    await visitor.next('conversation.started', (f) => f.convId === convId)
    expect(await relay.deps.store.getConversation(brand.brandId, convId)).toMatchObject({ status: 'open', routing: { topic: 'sales', priority: 'low' } })
    expect(await relay.deps.store.listSurveyResponses(brand.brandId, convId)).toMatchObject([
      { surveyId: 'intake', version: 1, kind: 'pre', answers: { name: 'Ada', topic: 'sales' } },
    ])
  })

  it('opens a conversation with no answers when the frame carries no survey', async () => {
    const { brand, agent, visitor } = await setup()
    const convId = id('c')
    open(visitor, convId, 'o1')
    await visitor.next('conversation.started', (f) => f.convId === convId)
    expect((await agent.next('conversation.opened', (f) => f.convId === convId)).routing).toEqual({})
    expect(await relay.deps.store.listSurveyResponses(brand.brandId, convId)).toEqual([])
  })

  it('still opens a conversation with a first message, telling agents with its preview and empty routing', async () => {
    const { agent, visitor } = await setup()
    const convId = id('c')
    visitor.send({ type: 'message.send', convId, clientMsgId: 'm1', text: 'hello' })
    expect(await agent.next('conversation.opened', (f) => f.convId === convId)).toMatchObject({ preview: 'hello', routing: {} })
  })

  it("tells the agents the start of the visitor's first message in a conversation opened with answers", async () => {
    const { agent, visitor } = await setup()
    const convId = id('c')
    open(visitor, convId, 'o1', { name: 'Ada', topic: 'billing' })
    await visitor.next('conversation.started', (f) => f.convId === convId)
    visitor.send({ type: 'message.send', convId, clientMsgId: 'm1', text: `My card ${CARD} was charged twice` })
    const previewed = await agent.next('conversation.previewed', (f) => f.convId === convId)
    expect(previewed.preview).toContain('was charged twice')
    expect(previewed.preview).not.toContain(CARD)
  })

  it('tells the agents of a first message once, not of later ones nor of one that opened its conversation', async () => {
    const { agent, visitor } = await setup()
    const [opened, sent] = [id('c'), id('c')]
    open(visitor, opened, 'o1', { name: 'Ada', topic: 'billing' })
    await visitor.next('conversation.started', (f) => f.convId === opened)
    for (const [convId, clientMsgId] of [[opened, 'm1'], [opened, 'm2'], [sent, 'm3'], [sent, 'm4']] as const) {
      visitor.send({ type: 'message.send', convId, clientMsgId, text: 'hello' })
      await visitor.next('message.ack', (f) => f.clientMsgId === clientMsgId)
    }
    // Frames to the agents arrive in order: by this last open, any preview of the four is in.
    const last = id('c')
    open(visitor, last, 'o2')
    await agent.next('conversation.opened', (f) => f.convId === last)
    expect(agent.all('conversation.previewed').map((f) => f.convId)).toEqual([opened])
  })

  it('counts a conversation opened with answers as a live chat waiting in the public availability', async () => {
    const { brand, visitor } = await setup()
    open(visitor, id('c'), 'o1', { topic: 'billing' })
    await visitor.next('conversation.started')
    // The brand's first availability answer is computed now, after the open (none was kept before).
    const res = await callRest(relay, { url: `/v1/sites/${brand.siteKey}/availability`, headers: { origin: brand.origin } })
    expect(res.body).toMatchObject({ queueLength: 1 })
  })

  it('lists the queue highest priority first, then longest waiting, page by page', async () => {
    const { brand, agent } = await setup()
    const rank: Record<string, number> = { billing: 3, other: 1, sales: 0 }
    const opened: { convId: string; rank: number; at: number }[] = []
    for (const topic of ['other', 'sales', 'billing', 'other', 'billing', 'sales', 'other']) {
      // One visitor each: a visitor's openings a minute are limited.
      const v = await visitorOf(relay, brand)
      const convId = id('c')
      open(v.client, convId, 'o1', { topic })
      opened.push({ convId, rank: rank[topic]!, at: (await v.client.next('conversation.started')).at })
    }
    // Highest priority first, then longest waiting (two opened in one millisecond: by id).
    const byPriority = opened
      .sort((a, b) => b.rank - a.rank || a.at - b.at || (a.convId < b.convId ? -1 : 1))
      .map((o) => o.convId)
    const seen: string[] = []
    let next: string | undefined
    do {
      const page = await queue(agent, { order: 'priority', limit: 3, ...(next ? { cursor: next } : {}) })
      expect(page.total).toBe(7)
      seen.push(...page.conversations.map((c) => c.convId))
      next = page.next
    } while (next)
    expect(seen).toEqual(byPriority)
  })

  it('shows each queue entry with the routing its answers set', async () => {
    const { agent, visitor } = await setup()
    const convId = id('c')
    open(visitor, convId, 'o1', { topic: 'billing' })
    await visitor.next('conversation.started')
    const page = await queue(agent, { order: 'priority' })
    expect(page.conversations.find((c) => c.convId === convId)?.routing).toEqual({ topic: 'billing', skill: 'accounts', priority: 'urgent' })
  })

  it('refuses a cursor of the priority order in the oldest-first order with PARLEY_ERR_FRAME_INVALID', async () => {
    const { brand, agent } = await setup()
    for (let i = 0; i < 2; i++) {
      const v = await visitorOf(relay, brand)
      open(v.client, id('c'), 'o1', { topic: 'other' })
      await v.client.next('conversation.started')
    }
    const page = await queue(agent, { order: 'priority', limit: 1 })
    agent.send({ type: 'queue.list', cursor: page.next, ref: 'wrong-order' })
    expect((await expectRefusal(agent, 'PARLEY_ERR_FRAME_INVALID')).ref).toBe('wrong-order')
  })

  it('refuses an invalid answer with PARLEY_ERR_SURVEY_ANSWER_INVALID naming the field, under the clientMsgId', async () => {
    const { visitor } = await setup()
    open(visitor, id('c'), 'bad1', { name: 'Ada', topic: 'nonsense' })
    const error = await expectRefusal(visitor, 'PARLEY_ERR_SURVEY_ANSWER_INVALID')
    expect(error).toMatchObject({ field: 'topic', ref: 'bad1' })
  })

  it('stores nothing and tells no agent of an open whose answers are refused', async () => {
    const { brand, agent, visitor } = await setup()
    const bad = id('c')
    open(visitor, bad, 'bad1', { name: 'Ada' })
    expect((await visitor.error('PARLEY_ERR_SURVEY_ANSWER_INVALID')).field).toBe('topic')
    const good = id('c')
    open(visitor, good, 'good1', { topic: 'other' })
    await agent.next('conversation.opened', (f) => f.convId === good)
    expect(agent.all('conversation.opened', (f) => f.convId === bad)).toEqual([])
    expect(await relay.deps.store.getConversation(brand.brandId, bad)).toBeNull()
    expect(await relay.deps.store.listSurveyResponses(brand.brandId, bad)).toEqual([])
  })

  it('refuses a survey that is not a pre-chat survey with PARLEY_ERR_SURVEY_NOT_FOUND', async () => {
    const { brand, visitor } = await setup()
    const convId = id('c')
    visitor.send({ type: 'conversation.open', convId, clientMsgId: 'o1', survey: { surveyId: 'after', version: 1, answers: { score: 5 } } })
    expect((await expectRefusal(visitor, 'PARLEY_ERR_SURVEY_NOT_FOUND')).ref).toBe('o1')
    expect(await relay.deps.store.getConversation(brand.brandId, convId)).toBeNull()
  })

  it('answers a retry with the same clientMsgId as the first time and stores one conversation and one answer', async () => {
    const { brand, agent, visitor } = await setup()
    const convId = id('c')
    open(visitor, convId, 'o1', { topic: 'billing', note: 'first' })
    const first = await visitor.next('conversation.started', (f) => f.convId === convId)
    open(visitor, convId, 'o1', { topic: 'sales', note: 'second' })
    const again = await visitor.next('conversation.started', (f) => f.convId === convId)
    expect(again).toEqual(first)
    await roundTrip(agent)
    expect(agent.all('conversation.opened', (f) => f.convId === convId)).toHaveLength(1)
    expect((await queue(agent, {})).total).toBe(1)
    expect(await relay.deps.store.listSurveyResponses(brand.brandId, convId)).toMatchObject([{ answers: { topic: 'billing', note: 'first' } }])
  })

  it('answers a retry from a new connection of the same visitor as the first time', async () => {
    const { brand } = await setup()
    const returning = await visitorOf(relay, brand)
    const convId = id('c')
    open(returning.client, convId, 'o1', { topic: 'other' })
    const first = await returning.client.next('conversation.started')
    const again = await visitorOf(relay, brand, returning.token)
    open(again.client, convId, 'o1', { topic: 'other' })
    expect(await again.client.next('conversation.started')).toEqual(first)
  })

  it("refuses another visitor's conversation id with PARLEY_ERR_CONV_NOT_FOUND and stores no answer", async () => {
    const { brand, visitor } = await setup()
    const convId = id('c')
    open(visitor, convId, 'o1', { topic: 'other' })
    await visitor.next('conversation.started')
    const other = await visitorOf(relay, brand)
    open(other.client, convId, 'o2', { topic: 'billing' })
    expect((await expectRefusal(other.client, 'PARLEY_ERR_CONV_NOT_FOUND')).ref).toBe('o2')
    expect(await relay.deps.store.listSurveyResponses(brand.brandId, convId)).toHaveLength(1)
    expect((await relay.deps.store.getConversation(brand.brandId, convId))?.routing).toEqual({})
  })

  it('refuses conversation.open from an agent with PARLEY_ERR_PROTOCOL_ROLE', async () => {
    const { brand, agent } = await setup()
    const convId = id('c')
    open(agent, convId, 'o1', { topic: 'other' })
    expect((await expectRefusal(agent, 'PARLEY_ERR_PROTOCOL_ROLE')).ref).toBe('o1')
    expect(await relay.deps.store.getConversation(brand.brandId, convId)).toBeNull()
  })

  it('stores an open sent with a message right behind it first, and the message in the conversation it opened', async () => {
    const { brand, agent, visitor } = await setup()
    const convId = id('c')
    open(visitor, convId, 'o1', { topic: 'billing' })
    visitor.send({ type: 'message.send', convId, clientMsgId: 'm1', text: 'hello there' })
    const ack = await visitor.next('message.ack', (f) => f.clientMsgId === 'm1')
    expect(ack.seq).toBe(1)
    expect(visitor.frames.findIndex((f) => f.type === 'conversation.started')).toBeLessThan(visitor.frames.indexOf(ack))
    await roundTrip(agent)
    // One conversation opened, by the open: with its routing, not the message's plain one.
    expect(agent.all('conversation.opened', (f) => f.convId === convId)).toMatchObject([{ routing: { topic: 'billing' } }])
    expect(await relay.deps.store.listSurveyResponses(brand.brandId, convId)).toHaveLength(1)
  })

  it('stores and shows a card number in a free-text answer masked', async () => {
    const { brand, agent, visitor } = await setup()
    const convId = id('c')
    open(visitor, convId, 'o1', { topic: 'other', note: `my card is ${CARD}` })
    await visitor.next('conversation.started')
    const [stored] = await relay.deps.store.listSurveyResponses(brand.brandId, convId)
    expect(String(stored?.answers.note)).not.toContain('1111')
    expect(String(stored?.answers.note)).toMatch(/^my card is /)
    agent.send({ type: 'conversation.accept', convId, ref: 'acc' })
    const joined = await agent.next('conversation.joined', (f) => f.ref === 'acc')
    expect(JSON.stringify(joined.responses)).not.toContain('1111')
    expect(joined.responses?.[0]?.answers.note).toBe(stored?.answers.note)
  })

  it('keeps a visitor who opens with answers to the same openings a minute as a first message', async () => {
    const limited = await startRelay({ limits: { visitorConversationsPerMinute: 1 } })
    try {
      const brand: TestBrand = await createTestBrand(limited)
      await saveTestSurveys(limited.deps.store, brand.brandId)
      const v = await visitorOf(limited, brand)
      const first = id('c')
      v.client.send({ type: 'conversation.open', convId: first, clientMsgId: 'o1', survey: preAnswers({ topic: 'other' }) })
      await v.client.next('conversation.started')
      // A retry of the open takes no opening …
      v.client.send({ type: 'conversation.open', convId: first, clientMsgId: 'o1', survey: preAnswers({ topic: 'other' }) })
      await v.client.next('conversation.started')
      // … a second conversation does.
      v.client.send({ type: 'conversation.open', convId: id('c'), clientMsgId: 'o2', survey: preAnswers({ topic: 'other' }) })
      expect((await v.client.error('PARLEY_ERR_LIMIT_CONVERSATIONS')).ref).toBe('o2')
    } finally {
      await limited.close()
    }
  })
})
