import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Participant, Survey } from '@parley/sdk/contract'
import type { Store } from '../../../../server/src/store/store.js'
import { STORES, type OpenedStore } from '../../../helpers/stores.js'
import { createStoreBrand } from '../../../helpers/brand.js'

// Corrections (VisitorDataStore.correctContact, correctSurveyAnswers; issue 19): new contact details
// reach every conversation contact, the verified customer and the name/e-mail answers of the
// visitors named, and no one else's; corrected answers replace the old ones and rescore the response.

const id = (prefix: string) => `${prefix}${randomBytes(8).toString('hex')}`
const T = Date.UTC(2026, 4, 4, 9)
const DAY = '2026-05-04'
const pre: Survey = {
  id: 'before', kind: 'pre', version: 1,
  fields: [
    { id: 'who', type: 'text', label: 'Name', purpose: 'name' },
    { id: 'mail', type: 'email', label: 'E-mail', purpose: 'email' },
    { id: 'topic', type: 'text', label: 'Topic' },
  ],
}
const post: Survey = { id: 'after', kind: 'post', version: 1, fields: [{ id: 'happy', type: 'csat', label: 'Happy?' }, { id: 'why', type: 'text', label: 'Why?' }] }

describe.each(STORES)('$name store: corrections', (factory) => {
  let opened: OpenedStore
  let store: Store
  beforeAll(async () => { opened = await factory.create(); store = opened.store })
  afterAll(async () => { await opened.dispose() })

  async function brand(): Promise<string> {
    const b = await createStoreBrand(store)
    await store.setSurveysConfig(b, { surveys: [pre, post], pre: 'before', post: 'after' }, [pre, post], T)
    return b
  }

  /** A chat of `v` opened with pre-chat answers giving a name and e-mail (its contact); its id. */
  async function preChat(b: string, v: Participant, name: string, email: string): Promise<string> {
    const convId = id('c_')
    const r = await store.openConversation({
      brandId: b, convId, visitorId: v.id, clientMsgId: id('m'), at: T, context: null, routing: {}, contact: { name, email },
      response: { surveyId: 'before', version: 1, kind: 'pre', answers: { who: name, mail: email, topic: 'billing' }, at: T },
    })
    expect(r.ok).toBe(true)
    return convId
  }

  it("overwrites the visitors' contacts, customer record and name and e-mail answers, and no one else's", async () => {
    const b = await brand()
    const [v, w]: [Participant, Participant] = [{ kind: 'visitor', id: id('v_') }, { kind: 'visitor', id: id('v_') }]
    const old = `${id('old')}@mail.example`
    const fresh = `${id('new')}@mail.example`
    const chat = await preChat(b, v, 'Vera Olt', old)
    const offline = id('c_')
    const [r] = await store.appendMessages([{ brandId: b, convId: offline, clientMsgId: id('m'), from: v, text: 'call me', at: T, context: null, contact: { name: 'Vera Olt', email: old } }])
    expect(r!.ok).toBe(true)
    const plain = id('c_')
    await store.appendMessages([{ brandId: b, convId: plain, clientMsgId: id('m'), from: v, text: 'hi', at: T, context: null }])
    const customerId = id('cust_')
    await store.linkCustomer({ brandId: b, customerId, visitorId: v.id, newVisitorId: v.id, convIds: [], name: 'Vera Olt', email: old, at: T })
    const theirs = await preChat(b, w, 'Walt', old)

    expect(await store.correctContact(b, [v.id], { name: 'Vera New', email: fresh })).toEqual({ conversations: 2, customers: 1, surveyResponses: 1 })
    for (const convId of [chat, offline]) expect((await store.getConversation(b, convId))?.contact).toEqual({ name: 'Vera New', email: fresh })
    expect((await store.getConversation(b, plain))?.contact).toBeNull()
    expect(await store.getCustomer(b, customerId)).toMatchObject({ name: 'Vera New', email: fresh })
    expect((await store.listSurveyResponses(b, chat))[0]?.answers).toEqual({ who: 'Vera New', mail: fresh, topic: 'billing' })
    expect(await store.findVisitorIds(b, { email: fresh })).toEqual([v.id])
    expect(await store.findVisitorIds(b, { email: old })).toEqual([w.id])
    expect((await store.getConversation(b, theirs))?.contact).toEqual({ name: 'Walt', email: old })
    expect((await store.listSurveyResponses(b, theirs))[0]?.answers).toEqual({ who: 'Walt', mail: old, topic: 'billing' })
  })

  it('rewrites an answer to a field typed e-mail without the e-mail purpose, as the e-mail selector finds it', async () => {
    const typed: Survey = { id: 'typed', kind: 'pre', version: 1, fields: [{ id: 'reach', type: 'email', label: 'Reach you at' }, { id: 'topic', type: 'text', label: 'Topic' }] }
    const b = await createStoreBrand(store)
    await store.setSurveysConfig(b, { surveys: [typed], pre: 'typed' }, [typed], T)
    const v: Participant = { kind: 'visitor', id: id('v_') }
    const old = `${id('old')}@mail.example`
    const fresh = `${id('new')}@mail.example`
    const convId = id('c_')
    const r = await store.openConversation({
      brandId: b, convId, visitorId: v.id, clientMsgId: id('m'), at: T, context: null, routing: {},
      response: { surveyId: 'typed', version: 1, kind: 'pre', answers: { reach: old, topic: 'billing' }, at: T },
    })
    expect(r.ok).toBe(true)
    expect(await store.findVisitorIds(b, { email: old })).toEqual([v.id])
    expect(await store.correctContact(b, [v.id], { name: 'Vera New', email: fresh })).toEqual({ conversations: 0, customers: 0, surveyResponses: 1 })
    expect((await store.listSurveyResponses(b, convId))[0]?.answers).toEqual({ reach: fresh, topic: 'billing' })
    expect(await store.findVisitorIds(b, { email: old })).toEqual([])
    expect(await store.findVisitorIds(b, { email: fresh })).toEqual([v.id])
  })

  it('changes only the fields given', async () => {
    const b = await brand()
    const v: Participant = { kind: 'visitor', id: id('v_') }
    const email = `${id('vera')}@mail.example`
    const chat = await preChat(b, v, 'Vera Olt', email)
    expect(await store.correctContact(b, [v.id], { name: 'Vera New' })).toEqual({ conversations: 1, customers: 0, surveyResponses: 1 })
    expect((await store.getConversation(b, chat))?.contact).toEqual({ name: 'Vera New', email })
    expect((await store.listSurveyResponses(b, chat))[0]?.answers).toEqual({ who: 'Vera New', mail: email, topic: 'billing' })
    expect(await store.correctContact(await createStoreBrand(store), [v.id], { name: 'Mallory' })).toEqual({ conversations: 0, customers: 0, surveyResponses: 0 })
    expect((await store.getConversation(b, chat))?.contact?.name).toBe('Vera New')
  })

  it('replaces and clears answers of one response and rescores it, which the report shows', async () => {
    const b = await brand()
    const v: Participant = { kind: 'visitor', id: id('v_') }
    const convId = id('c_')
    await store.appendMessages([{ brandId: b, convId, clientMsgId: id('m'), from: v, text: 'hi', at: T, context: null }])
    await store.closeConversation(b, convId, v, T + 1)
    await store.addSurveyResponse({ brandId: b, convId, visitorId: v.id, clientMsgId: id('s'), response: { surveyId: 'after', version: 1, kind: 'post', answers: { happy: 2, why: 'slow' }, at: T + 2 } })
    expect((await store.readReport(b, { from: DAY, to: DAY })).total.csat).toMatchObject({ count: 1, average: 2 })

    expect(await store.correctSurveyAnswers(b, convId, 'after', { happy: 5, why: null })).toBe(true)
    expect((await store.listSurveyResponses(b, convId))[0]).toMatchObject({ answers: { happy: 5 }, at: T + 2 })
    expect((await store.readReport(b, { from: DAY, to: DAY })).total.csat).toMatchObject({ count: 1, average: 5 })
    expect(await store.correctSurveyAnswers(b, convId, 'before', { who: 'x' })).toBe(false)
    expect(await store.correctSurveyAnswers(await createStoreBrand(store), convId, 'after', { happy: 1 })).toBe(false)
    expect((await store.listSurveyResponses(b, convId))[0]?.answers).toEqual({ happy: 5 })
  })
})
