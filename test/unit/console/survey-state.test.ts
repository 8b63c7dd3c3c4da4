import { describe, expect, it } from 'vitest'
import type { Survey, SurveyResponse } from '@parley/sdk/contract'
import { INITIAL, reduce, type ConsoleState } from '../../../widget/src/console/state.js'

const response = (surveyId: string, kind: SurveyResponse['kind'], at: number): SurveyResponse => ({
  surveyId, version: 1, kind, answers: { topic: 'billing' }, labels: { topic: 'Topic' }, at,
})
const chat = (responses?: SurveyResponse[]): ConsoleState => reduce(INITIAL, {
  type: 'chat', convId: 'c', visitorId: 'v', context: null, closed: false, ...(responses ? { responses } : {}),
})

describe('console survey state', () => {
  it('keeps the routing and answers a join brings with the chat', () => {
    const s = reduce(INITIAL, { type: 'chat', convId: 'c', visitorId: 'v', context: null, closed: false, routing: { topic: 'billing', priority: 'high' }, responses: [response('pre', 'pre', 5)] })
    expect(s.chats.c!.routing).toEqual({ topic: 'billing', priority: 'high' })
    expect(s.chats.c!.responses!.map((r) => r.surveyId)).toEqual(['pre'])
  })

  it('takes the routing of the queue entry when a chat is accepted', () => {
    let s = reduce(INITIAL, { type: 'queue', entries: [{ convId: 'c', visitorId: 'v', createdAt: 1, lastSeq: 1, preview: 'hi', routing: { skill: 'fr' } }] })
    s = reduce(s, { type: 'opening', convId: 'c' })
    expect(s.chats.c!.routing).toEqual({ skill: 'fr' })
  })

  it('adds an answer that arrives by frame once, even when a later join carries it again', () => {
    let s = chat([response('pre', 'pre', 1)])
    s = reduce(s, { type: 'responses', convId: 'c', responses: [response('post', 'post', 9)] })
    s = reduce(s, { type: 'chat', convId: 'c', visitorId: 'v', context: null, closed: true, responses: [response('pre', 'pre', 1), response('post', 'post', 9)] })
    expect(s.chats.c!.responses!.map((r) => r.surveyId)).toEqual(['pre', 'post'])
  })

  it('orders answers oldest first whatever order they arrive in', () => {
    let s = chat()
    s = reduce(s, { type: 'responses', convId: 'c', responses: [response('post', 'post', 9)] })
    s = reduce(s, { type: 'responses', convId: 'c', responses: [response('pre', 'pre', 1)] })
    expect(s.chats.c!.responses!.map((r) => r.at)).toEqual([1, 9])
  })

  it('leaves the state the same object when an answer it holds arrives again', () => {
    const s = chat([response('pre', 'pre', 1)])
    expect(reduce(s, { type: 'responses', convId: 'c', responses: [response('pre', 'pre', 1)] })).toBe(s)
  })

  it('says a survey was sent until the visitor answers it', () => {
    let s = reduce(chat(), { type: 'survey-requested', convId: 'c', surveyId: 'post', at: 10 })
    expect(s.chats.c!.surveyRequested).toEqual({ surveyId: 'post', at: 10 })
    s = reduce(s, { type: 'responses', convId: 'c', responses: [response('post', 'post', 12)] })
    expect(s.chats.c!.surveyRequested).toBeNull()
  })

  it('knows the brand has no post-chat survey when its surveys name none', () => {
    expect(INITIAL.postSurvey).toBeUndefined()
    expect(reduce(INITIAL, { type: 'surveys', config: { surveys: [] } }).postSurvey).toBeNull()
  })

  it('knows the post-chat survey and caches the versions the surveys document holds', () => {
    const post: Survey = { id: 'csat', kind: 'post', version: 3, fields: [{ id: 'score', type: 'csat', label: 'How did we do?' }] }
    const s = reduce(INITIAL, { type: 'surveys', config: { surveys: [post], post: 'csat' } })
    expect(s.postSurvey).toBe('csat')
    expect(s.surveys['csat@3']).toBe(post)
  })

  it('caches a survey version read on its own under its id and version', () => {
    const v: Survey = { id: 'pre', kind: 'pre', version: 2, fields: [{ id: 'topic', type: 'text', label: 'Topic' }] }
    const s = reduce(INITIAL, { type: 'survey-version', survey: v })
    expect(s.surveys['pre@2']).toBe(v)
    expect(reduce(s, { type: 'survey-version', survey: v })).toBe(s)
  })
})
