import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Participant, Survey, VisitorContext } from '@parley/sdk/contract'
import type { Store } from '../../../../server/src/store/store.js'
import { STORES, type OpenedStore } from '../../../helpers/stores.js'
import { createStoreBrand } from '../../../helpers/brand.js'

// The data-rights readers and consent (VisitorDataStore, issue 19): which visitors a selector names,
// their records, conversations and consent history; a consent withdrawal deletes the behavioural
// values stored and stops them being stored again.

const id = (prefix: string) => `${prefix}${randomBytes(8).toString('hex')}`
const T = Date.UTC(2026, 4, 1, 9)
const tracked: VisitorContext = { url: 'https://shop.example/', language: 'de', pagesViewed: 7, timeOnSiteSec: 300, visitCount: 3, returning: true }
const untracked: VisitorContext = { url: 'https://shop.example/', language: 'de' }
const feedback: Survey = {
  id: 'feedback', kind: 'post', version: 1,
  fields: [{ id: 'mail', type: 'email', label: 'E-mail' }, { id: 'note', type: 'text', label: 'Anything else?' }],
}

describe.each(STORES)('$name store: visitor data', (factory) => {
  let opened: OpenedStore
  let store: Store
  beforeAll(async () => { opened = await factory.create(); store = opened.store })
  afterAll(async () => { await opened.dispose() })

  async function say(brandId: string, convId: string, from: Participant, text: string, at: number, extra: { context?: VisitorContext; contact?: { name: string; email: string } } = {}) {
    const [r] = await store.appendMessages([{ brandId, convId, clientMsgId: id('m'), from, text, at, context: extra.context ?? null, contact: extra.contact ?? null }])
    expect(r!.ok).toBe(true)
  }
  const visitor = (): Participant => ({ kind: 'visitor', id: id('v_') })

  describe('findVisitorIds', () => {
    it('names a visitor the brand has a record or a conversation of, and nobody else', async () => {
      const b = await createStoreBrand(store)
      const [recorded, chatted] = [visitor(), visitor()]
      await store.recordVisit(b, recorded.id, null, T)
      await say(b, id('c_'), chatted, 'hello', T)
      expect(await store.findVisitorIds(b, { visitorId: recorded.id })).toEqual([recorded.id])
      expect(await store.findVisitorIds(b, { visitorId: chatted.id })).toEqual([chatted.id])
      expect(await store.findVisitorIds(b, { visitorId: id('v_') })).toEqual([])
      expect(await store.findVisitorIds(await createStoreBrand(store), { visitorId: recorded.id })).toEqual([])
    })

    it("names a verified customer's visitor", async () => {
      const b = await createStoreBrand(store)
      const v = visitor()
      const customerId = id('cust_')
      await store.linkCustomer({ brandId: b, customerId, visitorId: v.id, newVisitorId: v.id, convIds: [], name: 'Vera', email: null, at: T })
      expect(await store.findVisitorIds(b, { customerId })).toEqual([v.id])
      expect(await store.findVisitorIds(b, { customerId: id('cust_') })).toEqual([])
    })

    it('names every visitor an e-mail address was given by, in a contact, a verified identity or an e-mail answer, without case', async () => {
      const b = await createStoreBrand(store)
      await store.setSurveysConfig(b, { surveys: [feedback], post: 'feedback' }, [feedback], T)
      const email = `${id('vera')}@mail.example`
      const [offline, customer, answered, other, textOnly] = [visitor(), visitor(), visitor(), visitor(), visitor()]
      await say(b, id('c_'), offline, 'call me back', T, { contact: { name: 'Vera', email: email.toUpperCase() } })
      await store.linkCustomer({ brandId: b, customerId: id('cust_'), visitorId: customer.id, newVisitorId: customer.id, convIds: [], name: null, email, at: T })
      const answer = async (v: Participant, answers: Record<string, string>) => {
        const convId = id('c_')
        await say(b, convId, v, 'hi', T)
        const r = await store.addSurveyResponse({ brandId: b, convId, visitorId: v.id, clientMsgId: id('s'), response: { surveyId: 'feedback', version: 1, kind: 'post', answers, at: T } })
        expect(r.ok).toBe(true)
      }
      await answer(answered, { mail: ` ${email}`.trim() })
      await answer(other, { mail: `${id('someone')}@mail.example` })
      // The address typed into a field that is not an e-mail field does not name the visitor.
      await answer(textOnly, { note: email })
      expect(await store.findVisitorIds(b, { email: email.toUpperCase() })).toEqual([offline.id, customer.id, answered.id].sort())
      expect(await store.findVisitorIds(await createStoreBrand(store), { email })).toEqual([])
    })
  })

  describe('getVisitor and listVisitorConversations', () => {
    it('reads the visitor record with their consent, null before they gave any', async () => {
      const b = await createStoreBrand(store)
      const v = visitor()
      expect(await store.getVisitor(b, v.id)).toBeNull()
      await store.recordVisit(b, v.id, untracked, T)
      expect(await store.getVisitor(b, v.id)).toMatchObject({ brandId: b, visitorId: v.id, createdAt: T, visitCount: 1, context: untracked, consent: null })
      await store.recordConsent(b, v.id, { at: T + 1, state: 'granted', source: 'widget' })
      expect((await store.getVisitor(b, v.id))?.consent).toBe('granted')
    })

    it("lists the visitors' conversations oldest first, a page at a time, with erasure and hold", async () => {
      const b = await createStoreBrand(store)
      const [v, w, stranger] = [visitor(), visitor(), visitor()]
      const convs = [id('c_'), id('c_'), id('c_')]
      await say(b, convs[0]!, v, 'first', T)
      await say(b, convs[1]!, w, 'second', T + 1000)
      await say(b, convs[2]!, v, 'third', T + 2000)
      await say(b, id('c_'), stranger, 'not theirs', T + 500)
      const first = await store.listVisitorConversations(b, [v.id, w.id], null, 2)
      expect(first.map((c) => c.convId)).toEqual(convs.slice(0, 2))
      expect(first[0]).toMatchObject({ visitorId: v.id, status: 'open', lastSeq: 1, erasedAt: null, legalHold: null })
      const last = first[1]!
      const rest = await store.listVisitorConversations(b, [v.id, w.id], { createdAt: last.createdAt, convId: last.convId }, 2)
      expect(rest.map((c) => c.convId)).toEqual([convs[2]])
      expect(await store.listVisitorConversations(b, [], null, 10)).toEqual([])
      expect(await store.listVisitorConversations(await createStoreBrand(store), [v.id], null, 10)).toEqual([])
    })
  })

  describe('consent', () => {
    it('lists consent changes oldest first, for the visitors asked about only', async () => {
      const b = await createStoreBrand(store)
      const [v, w] = [visitor(), visitor()]
      await store.recordConsent(b, v.id, { at: T + 2, state: 'denied', source: 'api' })
      await store.recordConsent(b, v.id, { at: T + 1, state: 'granted', source: 'widget' })
      await store.recordConsent(b, w.id, { at: T, state: 'granted', source: 'widget' })
      expect(await store.listConsentEvents(b, [v.id])).toEqual([
        { visitorId: v.id, at: T + 1, state: 'granted', source: 'widget' },
        { visitorId: v.id, at: T + 2, state: 'denied', source: 'api' },
      ])
      expect((await store.listConsentEvents(b, [v.id, w.id])).map((e) => e.at)).toEqual([T, T + 1, T + 2])
      expect(await store.listConsentEvents(await createStoreBrand(store), [v.id])).toEqual([])
    })

    it('deletes behavioural values from the visitor and every conversation of theirs, closed ones too, when they deny', async () => {
      const b = await createStoreBrand(store)
      const [v, w] = [visitor(), visitor()]
      await store.recordVisit(b, v.id, tracked, T)
      await store.recordVisit(b, w.id, tracked, T)
      const [open, closed, plain, others] = [id('c_'), id('c_'), id('c_'), id('c_')]
      await say(b, open, v, 'hi', T, { context: tracked })
      await say(b, closed, v, 'earlier', T, { context: tracked })
      await store.closeConversation(b, closed, v, T + 10)
      await say(b, plain, v, 'no tracking here', T, { context: untracked })
      await say(b, others, w, 'hi', T, { context: tracked })
      expect(await store.recordConsent(b, v.id, { at: T + 20, state: 'denied', source: 'widget' })).toEqual({ conversations: 2 })
      expect(await store.getVisitor(b, v.id)).toMatchObject({ context: untracked, consent: 'denied', visitCount: 0 })
      for (const convId of [open, closed, plain]) expect((await store.getConversation(b, convId))?.context).toEqual(untracked)
      expect((await store.getConversation(b, others))?.context).toEqual(tracked)
      expect((await store.getVisitor(b, w.id))?.context).toEqual(tracked)
    })

    it('creates the visitor record of a visitor first heard of through their consent', async () => {
      const b = await createStoreBrand(store)
      const v = visitor()
      expect(await store.recordConsent(b, v.id, { at: T, state: 'denied', source: 'api' })).toEqual({ conversations: 0 })
      expect(await store.getVisitor(b, v.id)).toMatchObject({ createdAt: T, consent: 'denied', context: null })
      expect(await store.findVisitorIds(b, { visitorId: v.id })).toEqual([v.id])
    })

    it('stores no behavioural value and counts no visit while the visitor denies, and again once they grant', async () => {
      const b = await createStoreBrand(store)
      const v = visitor()
      await store.recordConsent(b, v.id, { at: T, state: 'denied', source: 'widget' })
      const HOUR = 3_600_000
      expect(await store.recordVisit(b, v.id, tracked, T + HOUR)).toMatchObject({ visitCount: 0, context: untracked })
      const convId = id('c_')
      await say(b, convId, v, 'hi', T + HOUR, { context: tracked })
      expect((await store.getConversation(b, convId))?.context).toEqual(untracked)
      expect((await store.updateVisitorContext(b, v.id, tracked))[0]?.context).toEqual(untracked)
      const opened = await store.openConversation({ brandId: b, convId: id('c_'), visitorId: v.id, clientMsgId: id('m'), at: T + HOUR, context: tracked, routing: {}, response: null })
      expect(opened.ok && opened.conversation.context).toEqual(untracked)
      await store.recordConsent(b, v.id, { at: T + 2 * HOUR, state: 'granted', source: 'widget' })
      expect(await store.recordVisit(b, v.id, tracked, T + 3 * HOUR)).toMatchObject({ visitCount: 1, context: tracked })
      expect((await store.updateVisitorContext(b, v.id, tracked))[0]?.context).toEqual(tracked)
    })
  })
})
