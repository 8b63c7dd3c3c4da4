import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Value } from '@sinclair/typebox/value'
import { SurveyResponded } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand } from '../helpers/brand.js'
import { expectRefusal } from '../helpers/expect-error.js'
import { roundTrip } from '../helpers/delivery-round-trip.js'
import { agentOf, sendAndAck, visitorOf } from '../helpers/tracked-clients.js'
import { postAnswers, preAnswers, saveTestSurveys } from '../helpers/survey-brand.js'
import type { TestClient } from '../helpers/ws-client.js'

// The post-chat survey on a real relay: the visitor answers in their own conversation, open or
// closed; the agents who took part hear of it, nobody else does; an agent can send the survey on
// demand; and a joining agent sees the answers given so far.

const CARD = '4111 1111 1111 1111'
const id = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`

describe('post-chat surveys', () => {
  let relay: TestRelay
  let logs: string[]
  beforeAll(async () => {
    logs = []
    relay = await startRelay({ logStream: { write: (line) => { logs.push(line) } }, logLevel: 'trace' })
  })
  afterAll(async () => { await relay.close() })

  /** A brand with surveys; a visitor's conversation accepted by one agent, with a colleague online who did not join. */
  async function conversation() {
    const brand = await createTestBrand(relay)
    await saveTestSurveys(relay.deps.store, brand.brandId)
    const agent = await agentOf(relay, await createTestAgent(relay, brand.brandId))
    const colleague = await agentOf(relay, await createTestAgent(relay, brand.brandId, 'Colleague'))
    const v = await visitorOf(relay, brand)
    const convId = id('c')
    await sendAndAck(v.client, convId, 'm1', 'hello')
    agent.send({ type: 'conversation.accept', convId, ref: 'acc' })
    await agent.next('conversation.joined', (f) => f.ref === 'acc')
    return { brand, agent, colleague, visitor: v.client, visitorId: v.visitorId, token: v.token, convId }
  }

  async function close(visitor: TestClient, convId: string): Promise<void> {
    visitor.send({ type: 'conversation.close', convId, ref: 'close' })
    await visitor.next('conversation.closed', (f) => f.ref === 'close')
  }

  function answer(visitor: TestClient, convId: string, clientMsgId: string, answers: Record<string, unknown>): void {
    visitor.send({ type: 'survey.answer', convId, clientMsgId, survey: postAnswers(answers as never) })
  }

  it('answers survey.answered after the conversation closed, and stores the answer', async () => {
    const { brand, visitor, convId } = await conversation()
    await close(visitor, convId)
    answer(visitor, convId, 's1', { score: 4 })
    expect(await visitor.next('survey.answered')).toMatchObject({ convId, clientMsgId: 's1', surveyId: 'after' })
    expect(await relay.deps.store.listSurveyResponses(brand.brandId, convId)).toMatchObject([{ surveyId: 'after', kind: 'post', answers: { score: 4 } }])
  })

  it('sends the answer to the agent who took part in the closed conversation', async () => {
    const { agent, visitor, convId } = await conversation()
    await close(visitor, convId)
    answer(visitor, convId, 's1', { score: 5, comment: 'great' })
    const response = await agent.next('survey.response', (f) => f.convId === convId)
    expect(Value.Check(SurveyResponded, response)).toBe(true)
    expect(response.response).toMatchObject({ surveyId: 'after', version: 1, answers: { score: 5, comment: 'great' } })
  })

  it("sends the answer to no agent who did not take part and to no other brand's agent", async () => {
    const { agent, colleague, visitor, convId } = await conversation()
    const otherBrand = await createTestBrand(relay)
    const stranger = await agentOf(relay, await createTestAgent(relay, otherBrand.brandId))
    await close(visitor, convId)
    answer(visitor, convId, 's1', { score: 5 })
    await agent.next('survey.response', (f) => f.convId === convId)
    await Promise.all([roundTrip(colleague), roundTrip(stranger), roundTrip(visitor)])
    expect(colleague.all('survey.response')).toEqual([])
    expect(stranger.all('survey.response')).toEqual([])
    expect(visitor.all('survey.response')).toEqual([])
  })

  it('answers a retry with the same clientMsgId as the first time, storing and sending the answer once', async () => {
    const { brand, agent, visitor, convId } = await conversation()
    answer(visitor, convId, 's1', { score: 3 })
    const first = await visitor.next('survey.answered')
    answer(visitor, convId, 's1', { score: 1 })
    expect(await visitor.next('survey.answered')).toEqual(first)
    await roundTrip(agent)
    expect(agent.all('survey.response', (f) => f.convId === convId)).toHaveLength(1)
    expect(await relay.deps.store.listSurveyResponses(brand.brandId, convId)).toMatchObject([{ answers: { score: 3 } }])
  })

  it('refuses a second answer under a new clientMsgId with PARLEY_ERR_SURVEY_ANSWERED', async () => {
    const { brand, visitor, convId } = await conversation()
    answer(visitor, convId, 's1', { score: 3 })
    await visitor.next('survey.answered')
    answer(visitor, convId, 's2', { score: 1 })
    expect((await expectRefusal(visitor, 'PARLEY_ERR_SURVEY_ANSWERED')).ref).toBe('s2')
    expect(await relay.deps.store.listSurveyResponses(brand.brandId, convId)).toHaveLength(1)
  })

  it('refuses an invalid post-chat answer naming the field, and stores nothing', async () => {
    const { brand, visitor, convId } = await conversation()
    answer(visitor, convId, 's1', { score: 9 })
    expect(await expectRefusal(visitor, 'PARLEY_ERR_SURVEY_ANSWER_INVALID')).toMatchObject({ field: 'score', ref: 's1' })
    expect(await relay.deps.store.listSurveyResponses(brand.brandId, convId)).toEqual([])
  })

  it('refuses an answer to a pre-chat survey in survey.answer with PARLEY_ERR_SURVEY_NOT_FOUND', async () => {
    const { visitor, convId } = await conversation()
    visitor.send({ type: 'survey.answer', convId, clientMsgId: 's1', survey: preAnswers({ topic: 'other' }) })
    expect((await expectRefusal(visitor, 'PARLEY_ERR_SURVEY_NOT_FOUND')).ref).toBe('s1')
  })

  it("refuses an answer in another visitor's conversation with PARLEY_ERR_CONV_NOT_FOUND", async () => {
    const { brand, convId } = await conversation()
    const other = await visitorOf(relay, brand)
    answer(other.client, convId, 's1', { score: 1 })
    expect((await expectRefusal(other.client, 'PARLEY_ERR_CONV_NOT_FOUND')).ref).toBe('s1')
    expect(await relay.deps.store.listSurveyResponses(brand.brandId, convId)).toEqual([])
  })

  it('refuses survey.answer from an agent with PARLEY_ERR_PROTOCOL_ROLE', async () => {
    const { agent, convId } = await conversation()
    answer(agent, convId, 's1', { score: 1 })
    expect((await expectRefusal(agent, 'PARLEY_ERR_PROTOCOL_ROLE')).ref).toBe('s1')
  })

  it('stores and sends a card number in a free-text answer masked', async () => {
    const { brand, agent, visitor, convId } = await conversation()
    answer(visitor, convId, 's1', { score: 2, comment: `charged twice on ${CARD}` })
    const sent = await agent.next('survey.response', (f) => f.convId === convId)
    const [stored] = await relay.deps.store.listSurveyResponses(brand.brandId, convId)
    expect(String(stored?.answers.comment)).toMatch(/^charged twice on /)
    expect(String(stored?.answers.comment)).not.toContain('1111')
    expect(sent.response.answers.comment).toBe(stored?.answers.comment)
  })

  it('writes no answer into the log', async () => {
    const { visitor, convId } = await conversation()
    const secret = `unforgettable-${randomBytes(4).toString('hex')}`
    answer(visitor, convId, 's1', { score: 2, comment: secret })
    await visitor.next('survey.answered')
    visitor.send({ type: 'conversation.open', convId: id('c'), clientMsgId: 'o1', survey: preAnswers({ topic: 'other', note: secret }) })
    await visitor.next('conversation.started')
    visitor.send({ type: 'conversation.open', convId: id('c'), clientMsgId: 'o2', survey: preAnswers({ topic: secret }) })
    await visitor.error('PARLEY_ERR_SURVEY_ANSWER_INVALID')
    // The relay did log these frames (so the check below reads real lines), by ids and codes.
    expect(logs.some((l) => l.includes('survey answer stored') && l.includes(convId))).toBe(true)
    expect(logs.some((l) => l.includes('survey submission refused') && l.includes('"field":"topic"'))).toBe(true)
    expect(logs.join('\n')).not.toContain(secret)
  })

  it('sends survey.requested to the visitor when an agent who joined sends the post-chat survey', async () => {
    const { agent, visitor, convId } = await conversation()
    agent.send({ type: 'survey.request', convId, ref: 'req' })
    expect(await agent.next('survey.requested', (f) => f.ref === 'req')).toMatchObject({ convId, surveyId: 'after', by: { kind: 'agent' } })
    expect(await visitor.next('survey.requested')).toMatchObject({ convId, surveyId: 'after', by: { kind: 'agent' } })
  })

  it('refuses survey.request for a survey already answered in the conversation with PARLEY_ERR_SURVEY_ANSWERED', async () => {
    const { agent, visitor, convId } = await conversation()
    answer(visitor, convId, 's1', { score: 5 })
    await visitor.next('survey.answered')
    agent.send({ type: 'survey.request', convId, ref: 'req' })
    expect((await expectRefusal(agent, 'PARLEY_ERR_SURVEY_ANSWERED')).ref).toBe('req')
    await roundTrip(visitor)
    expect(visitor.all('survey.requested')).toEqual([])
  })

  it('refuses survey.request from an agent who did not join with PARLEY_ERR_CONV_NOT_FOUND', async () => {
    const { colleague, visitor, convId } = await conversation()
    colleague.send({ type: 'survey.request', convId, ref: 'req' })
    expect((await expectRefusal(colleague, 'PARLEY_ERR_CONV_NOT_FOUND')).ref).toBe('req')
    await roundTrip(visitor)
    expect(visitor.all('survey.requested')).toEqual([])
  })

  it('refuses survey.request naming a survey that is not a post-chat one with PARLEY_ERR_SURVEY_NOT_FOUND', async () => {
    const { agent, convId } = await conversation()
    agent.send({ type: 'survey.request', convId, surveyId: 'intake', ref: 'req' })
    expect((await expectRefusal(agent, 'PARLEY_ERR_SURVEY_NOT_FOUND')).ref).toBe('req')
  })

  it('refuses survey.request when the brand has no post-chat survey with PARLEY_ERR_SURVEY_NOT_FOUND', async () => {
    const brand = await createTestBrand(relay)
    const agent = await agentOf(relay, await createTestAgent(relay, brand.brandId))
    const v = await visitorOf(relay, brand)
    await sendAndAck(v.client, 'c1', 'm1', 'hi')
    agent.send({ type: 'conversation.accept', convId: 'c1', ref: 'acc' })
    await agent.next('conversation.joined')
    agent.send({ type: 'survey.request', convId: 'c1', ref: 'req' })
    expect((await expectRefusal(agent, 'PARLEY_ERR_SURVEY_NOT_FOUND')).ref).toBe('req')
  })

  it('refuses survey.request from a visitor with PARLEY_ERR_PROTOCOL_ROLE', async () => {
    const { visitor, convId } = await conversation()
    visitor.send({ type: 'survey.request', convId, ref: 'req' })
    expect((await expectRefusal(visitor, 'PARLEY_ERR_PROTOCOL_ROLE')).ref).toBe('req')
  })

  it('shows an agent who joins the answers given so far and the routing, in their own joined frame only', async () => {
    const brand = await createTestBrand(relay)
    await saveTestSurveys(relay.deps.store, brand.brandId)
    const v = await visitorOf(relay, brand)
    const convId = id('c')
    v.client.send({ type: 'conversation.open', convId, clientMsgId: 'o1', survey: preAnswers({ name: 'Ada', topic: 'billing' }) })
    await v.client.next('conversation.started')
    answer(v.client, convId, 's1', { score: 5 })
    await v.client.next('survey.answered')
    const agent = await agentOf(relay, await createTestAgent(relay, brand.brandId))
    agent.send({ type: 'conversation.join', convId, ref: 'join' })
    const joined = await agent.next('conversation.joined', (f) => f.ref === 'join')
    expect(joined.routing).toEqual({ topic: 'billing', skill: 'accounts', priority: 'urgent' })
    expect(joined.responses).toMatchObject([{ surveyId: 'intake', answers: { name: 'Ada', topic: 'billing' } }, { surveyId: 'after', answers: { score: 5 } }])
    const seen = await v.client.next('conversation.joined')
    expect(seen.responses).toBeUndefined()
  })
})
