import { describe, expect, it } from 'vitest'
import { INITIAL, reduce, type WidgetState } from '../../../widget/src/consumer/state.js'

// The widget state's survey parts: openings and answers in the outbox are waiting answers, not chat
// bubbles; an offered survey stays until answered or skipped; a refused opening brings the pre-chat
// form back (the conversation never opened), a refused answer the survey, with the field named.

const started: WidgetState = reduce(INITIAL, { type: 'started', convId: 'c' })
const open = { convId: 'c', clientMsgId: 'o1', text: '', kind: 'open' as const, survey: { surveyId: 'pre', version: 1, answers: {} }, createdAt: 1, owner: 'me' }
const message = { convId: 'c', clientMsgId: 'm1', text: 'hi', createdAt: 2, owner: 'me' }

describe('survey state', () => {
  it('counts an opening in the outbox as waiting answers and shows no bubble for it', () => {
    const s = reduce(started, { type: 'outbox', entries: [open, message] })
    expect(s.surveysWaiting).toBe(1)
    expect(s.messages.map((m) => m.id)).toEqual(['m1'])
  })

  it('stops counting the answers once the outbox lets go of them', () => {
    let s = reduce(started, { type: 'outbox', entries: [open] })
    s = reduce(s, { type: 'outbox', entries: [] })
    expect(s.surveysWaiting).toBe(0)
  })

  it('counts waiting answers before any conversation is on screen', () => {
    expect(reduce(INITIAL, { type: 'outbox', entries: [{ ...open, kind: 'answer' }] }).surveysWaiting).toBe(1)
  })

  it('offers a survey and thanks the visitor once answered', () => {
    let s = reduce(started, { type: 'survey-offer', offer: { convId: 'c', surveyId: 'post' } })
    expect(s.survey).toEqual({ convId: 'c', surveyId: 'post' })
    s = reduce(s, { type: 'survey-done', answered: true })
    expect([s.survey, s.surveyNote]).toEqual([null, 'thanks'])
  })

  it('forgets a skipped survey without thanks', () => {
    let s = reduce(started, { type: 'survey-offer', offer: { convId: 'c', surveyId: 'post' } })
    s = reduce(s, { type: 'survey-done', answered: false })
    expect([s.survey, s.surveyNote]).toEqual([null, null])
  })

  it('brings the pre-chat form back when the relay refuses the opening, naming the field', () => {
    const s = reduce(reduce(started, { type: 'outbox', entries: [open] }), { type: 'survey-refused', kind: 'open', convId: 'c', surveyId: 'pre', field: 'email' })
    expect([s.convId, s.surveyNote, s.refusedField]).toEqual([null, 'failed', 'email'])
  })

  it('offers the survey again when the relay refuses an answer', () => {
    const s = reduce(started, { type: 'survey-refused', kind: 'answer', convId: 'c', surveyId: 'post', field: 'comment' })
    expect([s.survey, s.refusedField]).toEqual([{ convId: 'c', surveyId: 'post' }, 'comment'])
  })

  it('does not offer again a survey the visitor answered in that conversation', () => {
    let s = reduce(started, { type: 'survey-offer', offer: { convId: 'c', surveyId: 'post' } })
    s = reduce(s, { type: 'survey-done', answered: true })
    s = reduce(s, { type: 'survey-offer', offer: { convId: 'c', surveyId: 'post' } })
    expect(s.survey).toBeNull()
  })

  it('does not offer a survey whose answer still waits in the outbox', () => {
    const answer = { ...open, clientMsgId: 'a1', kind: 'answer' as const, survey: { surveyId: 'post', version: 1, answers: {} } }
    const s = reduce(reduce(started, { type: 'outbox', entries: [answer] }), { type: 'survey-offer', offer: { convId: 'c', surveyId: 'post' } })
    expect(s.survey).toBeNull()
  })

  it('does not offer a survey answered before the page loaded', () => {
    const s = reduce(reduce(started, { type: 'surveys-answered', keys: ['c/post'] }), { type: 'survey-offer', offer: { convId: 'c', surveyId: 'post' } })
    expect(s.survey).toBeNull()
  })

  it('offers the same survey in another conversation', () => {
    const s = reduce(reduce(started, { type: 'surveys-answered', keys: ['c/post'] }), { type: 'survey-offer', offer: { convId: 'd', surveyId: 'post' } })
    expect(s.survey).toEqual({ convId: 'd', surveyId: 'post' })
  })

  it('counts a refused answer as not answered, so the survey can be answered again', () => {
    let s = reduce(reduce(started, { type: 'survey-offer', offer: { convId: 'c', surveyId: 'post' } }), { type: 'survey-done', answered: true })
    s = reduce(s, { type: 'survey-refused', kind: 'answer', convId: 'c', surveyId: 'post', field: null })
    expect([s.surveysAnswered, s.surveyNote]).toEqual([[], 'failed'])
  })
})
