import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Participant, Survey, SurveyResponse } from '@parley/sdk/contract'
import type { AppendRequest, Store } from '../../../../server/src/store/store.js'
import { STORES, type OpenedStore } from '../../../helpers/stores.js'
import { createStoreBrand } from '../../../helpers/brand.js'

// The Store's survey methods (document, versions, answers, conversations opened with a pre-chat
// answer, the queue by priority), on every store.

const id = (prefix: string) => `${prefix}${randomBytes(8).toString('hex')}`

const pre: Survey = {
  id: 'before', kind: 'pre', version: 1,
  fields: [
    { id: 'name', type: 'text', label: 'Name', purpose: 'name' },
    { id: 'topic', type: 'choice', label: 'Topic', options: [
      { value: 'billing', label: 'Billing', route: { topic: 'billing', priority: 'high' } },
      { value: 'other', label: 'Other' },
    ] },
  ],
}
const post: Survey = {
  id: 'after', kind: 'post', version: 1,
  fields: [
    { id: 'rating', type: 'rating', label: 'Stars' },
    { id: 'happy', type: 'csat', label: 'Happy?' },
    { id: 'again', type: 'csat', label: 'Again?' },
    { id: 'recommend', type: 'nps', label: 'Recommend?' },
  ],
}

const preResponse = (at = 1000): SurveyResponse => ({ surveyId: 'before', version: 1, kind: 'pre', answers: { name: 'Ada', topic: 'billing' }, at })
const postResponse = (at = 5000): SurveyResponse => ({ surveyId: 'after', version: 1, kind: 'post', answers: { rating: 2, happy: 4, again: 1, recommend: 9 }, at })

describe.each(STORES)('$name survey store', (factory) => {
  let opened: OpenedStore
  let store: Store
  beforeAll(async () => { opened = await factory.create(); store = opened.store })
  afterAll(async () => { await opened.dispose() })

  /** A brand whose document holds `pre` and `post` (version 1 each). */
  async function brandWithSurveys(): Promise<string> {
    const brandId = await createStoreBrand(store)
    await store.setSurveysConfig(brandId, { surveys: [pre, post], pre: 'before', post: 'after' }, [pre, post], 100)
    return brandId
  }

  const visitor = (): Participant => ({ kind: 'visitor', id: id('v_') })
  const openReq = (brandId: string, convId: string, visitorId: string, response: SurveyResponse | null = preResponse()) => ({
    brandId, convId, visitorId, clientMsgId: id('m_'), at: 1000, context: null, routing: { topic: 'billing', priority: 'high' as const }, response,
  })

  /** The brand's CSAT and NPS figures in the report of the day its conversations opened (at 1000). */
  async function scores(brandId: string) {
    const { total } = await store.readReport(brandId, { from: '1970-01-01', to: '1970-01-01' })
    return { csat: total.csat, nps: total.nps }
  }

  describe('document and versions', () => {
    it('answers null for a brand that never saved surveys', async () => {
      expect(await store.getSurveysConfig(await createStoreBrand(store))).toBeNull()
    })

    it('reads back the document as saved', async () => {
      const brandId = await brandWithSurveys()
      expect(await store.getSurveysConfig(brandId)).toEqual({ surveys: [pre, post], pre: 'before', post: 'after' })
    })

    it('keeps an old version readable after a new one is saved', async () => {
      const brandId = await brandWithSurveys()
      const v2: Survey = { ...pre, version: 2, title: 'Before we chat' }
      await store.setSurveysConfig(brandId, { surveys: [v2, post], pre: 'before' }, [v2], 200)
      expect(await store.getSurveyVersion(brandId, 'before', 1)).toEqual(pre)
      expect(await store.getSurveyVersion(brandId, 'before', 2)).toEqual(v2)
    })

    it('gives the newest version of every survey ever saved, even one removed from the document', async () => {
      const brandId = await brandWithSurveys()
      const v2: Survey = { ...post, version: 2, name: 'CSAT' }
      await store.setSurveysConfig(brandId, { surveys: [v2] }, [v2], 200)
      const latest = await store.latestSurveyVersions(brandId)
      expect([...latest.keys()].sort()).toEqual(['after', 'before'])
      expect(latest.get('after')).toEqual(v2)
      expect(latest.get('before')).toEqual(pre)
    })

    it('refuses to save a version number again with other content, and keeps the document unchanged', async () => {
      const brandId = await brandWithSurveys()
      const changed: Survey = { ...pre, title: 'Changed' }
      await expect(store.setSurveysConfig(brandId, { surveys: [changed] }, [changed], 300)).rejects.toThrow(/already saved/)
      expect(await store.getSurveyVersion(brandId, 'before', 1)).toEqual(pre)
      expect((await store.getSurveysConfig(brandId))?.surveys).toEqual([pre, post])
    })

    it('keeps one brand from reading another brand\'s versions', async () => {
      await brandWithSurveys()
      const other = await createStoreBrand(store)
      expect(await store.getSurveyVersion(other, 'before', 1)).toBeNull()
      expect((await store.latestSurveyVersions(other)).size).toBe(0)
    })
  })

  describe('openConversation', () => {
    it('opens a conversation with its routing and stores the pre-chat answer with it', async () => {
      const brandId = await brandWithSurveys()
      const v = visitor()
      const convId = id('c_')
      const r = await store.openConversation(openReq(brandId, convId, v.id))
      expect(r).toMatchObject({ ok: true, created: true, conversation: { convId, visitorId: v.id, status: 'open', lastSeq: 0, routing: { topic: 'billing', priority: 'high' } } })
      expect((await store.getConversation(brandId, convId))?.routing).toEqual({ topic: 'billing', priority: 'high' })
      expect(await store.listSurveyResponses(brandId, convId)).toEqual([preResponse()])
    })

    it('finds the conversation again when the same visitor opens the same id, storing nothing twice', async () => {
      const brandId = await brandWithSurveys()
      const v = visitor()
      const convId = id('c_')
      await store.openConversation(openReq(brandId, convId, v.id))
      const again = await store.openConversation(openReq(brandId, convId, v.id))
      expect(again).toMatchObject({ ok: true, created: false, conversation: { convId, routing: { topic: 'billing', priority: 'high' } } })
      expect(await store.listSurveyResponses(brandId, convId)).toHaveLength(1)
    })

    it('stores the pre-chat answer and its routing when a first message opened the conversation before', async () => {
      const brandId = await brandWithSurveys()
      const v = visitor()
      const convId = id('c_')
      await store.appendMessages([{ brandId, convId, clientMsgId: 'm1', from: v, text: 'hello', at: 900, context: null }])
      const r = await store.openConversation(openReq(brandId, convId, v.id))
      expect(r).toMatchObject({ ok: true, created: false, conversation: { convId, routing: { topic: 'billing', priority: 'high' } } })
      expect(await store.listSurveyResponses(brandId, convId)).toEqual([preResponse()])
    })

    it('answers CONV_NOT_FOUND to another visitor opening the same id', async () => {
      const brandId = await brandWithSurveys()
      const convId = id('c_')
      await store.openConversation(openReq(brandId, convId, visitor().id))
      expect(await store.openConversation(openReq(brandId, convId, visitor().id))).toEqual({ ok: false, code: 'PARLEY_ERR_CONV_NOT_FOUND' })
    })

    it('lets the visitor write to the conversation it opened', async () => {
      const brandId = await brandWithSurveys()
      const v = visitor()
      const convId = id('c_')
      await store.openConversation(openReq(brandId, convId, v.id, null))
      const [r] = await store.appendMessages([{ brandId, convId, clientMsgId: 'm1', from: v, text: 'hello', at: 1100, context: null }])
      expect(r).toMatchObject({ ok: true, opened: null, message: { seq: 1 } })
    })
  })

  describe('addSurveyResponse', () => {
    async function closedConversation() {
      const brandId = await brandWithSurveys()
      const v = visitor()
      const convId = id('c_')
      await store.openConversation(openReq(brandId, convId, v.id, null))
      await store.closeConversation(brandId, convId, v, 4000)
      return { brandId, v, convId }
    }

    it('stores a post-chat answer in a closed conversation and lists it after the pre-chat one', async () => {
      const brandId = await brandWithSurveys()
      const v = visitor()
      const convId = id('c_')
      await store.openConversation(openReq(brandId, convId, v.id))
      await store.closeConversation(brandId, convId, v, 4000)
      expect(await store.addSurveyResponse({ brandId, convId, visitorId: v.id, clientMsgId: 's1', response: postResponse() }))
        .toEqual({ ok: true, response: postResponse(), duplicate: false })
      expect((await store.listSurveyResponses(brandId, convId)).map((r) => r.surveyId)).toEqual(['before', 'after'])
    })

    it('counts the first csat and the first nps answer in reports', async () => {
      const { brandId, v, convId } = await closedConversation()
      await store.addSurveyResponse({ brandId, convId, visitorId: v.id, clientMsgId: 's1', response: postResponse() })
      expect(await scores(brandId)).toEqual({
        csat: { average: 4, count: 1, satisfied: 1, distribution: [0, 0, 0, 1, 0] },
        nps: { score: 100, count: 1, promoters: 1, passives: 0, detractors: 0 },
      })
    })

    it('answers the stored response again for the same clientMsgId', async () => {
      const { brandId, v, convId } = await closedConversation()
      await store.addSurveyResponse({ brandId, convId, visitorId: v.id, clientMsgId: 's1', response: postResponse() })
      const again = await store.addSurveyResponse({ brandId, convId, visitorId: v.id, clientMsgId: 's1', response: postResponse(6000) })
      expect(again).toEqual({ ok: true, response: postResponse(), duplicate: true })
    })

    it('refuses a second answer to the same survey under another id with SURVEY_ANSWERED', async () => {
      const { brandId, v, convId } = await closedConversation()
      await store.addSurveyResponse({ brandId, convId, visitorId: v.id, clientMsgId: 's1', response: postResponse() })
      expect(await store.addSurveyResponse({ brandId, convId, visitorId: v.id, clientMsgId: 's2', response: postResponse() }))
        .toEqual({ ok: false, code: 'PARLEY_ERR_SURVEY_ANSWERED' })
    })

    it('refuses another visitor\'s or another brand\'s conversation with CONV_NOT_FOUND and stores nothing', async () => {
      const { brandId, v, convId } = await closedConversation()
      const other = await brandWithSurveys()
      expect(await store.addSurveyResponse({ brandId, convId, visitorId: visitor().id, clientMsgId: 's1', response: postResponse() }))
        .toEqual({ ok: false, code: 'PARLEY_ERR_CONV_NOT_FOUND' })
      expect(await store.addSurveyResponse({ brandId: other, convId, visitorId: v.id, clientMsgId: 's1', response: postResponse() }))
        .toEqual({ ok: false, code: 'PARLEY_ERR_CONV_NOT_FOUND' })
      expect(await store.listSurveyResponses(brandId, convId)).toEqual([])
      expect(await store.listSurveyResponses(other, convId)).toEqual([])
    })
  })

  describe('appendMessages with an offline survey answer', () => {
    const offline: Survey = {
      id: 'away', kind: 'offline', version: 1,
      fields: [
        { id: 'email', type: 'email', label: 'E-mail', required: true, purpose: 'email' },
        { id: 'message', type: 'longtext', label: 'Message', required: true, purpose: 'message' },
      ],
    }

    it('opens the offline conversation with the answer and the routing in the same transaction', async () => {
      const brandId = await createStoreBrand(store)
      await store.setSurveysConfig(brandId, { surveys: [offline], offline: 'away' }, [offline], 100)
      const v = visitor()
      const convId = id('c_')
      const response: SurveyResponse = { surveyId: 'away', version: 1, kind: 'offline', answers: { email: 'ada@example.com', message: 'Call me' }, at: 2000 }
      const req: AppendRequest = {
        brandId, convId, clientMsgId: 'o1', from: v, text: 'Call me', at: 2000, context: null,
        contact: { name: '', email: 'ada@example.com' }, response, routing: { skill: 'sales' },
      }
      const [r] = await store.appendMessages([req])
      expect(r).toMatchObject({ ok: true, opened: { origin: 'offline', routing: { skill: 'sales' }, contact: { name: '', email: 'ada@example.com' } } })
      expect((await store.getConversation(brandId, convId))?.routing).toEqual({ skill: 'sales' })
      expect(await store.listSurveyResponses(brandId, convId)).toEqual([response])
    })

    it('leaves a plain message\'s conversation without routing', async () => {
      const brandId = await createStoreBrand(store)
      const convId = id('c_')
      const [r] = await store.appendMessages([{ brandId, convId, clientMsgId: 'p1', from: visitor(), text: 'hi', at: 2000, context: null }])
      expect(r).toMatchObject({ ok: true, opened: { routing: {} } })
      expect(await store.listSurveyResponses(brandId, convId)).toEqual([])
    })
  })

  describe('the queue in priority order', () => {
    /** A brand with waiting conversations: (convId suffix, priority, created at). */
    async function queue(): Promise<{ brandId: string; ids: Record<string, string> }> {
      const brandId = await createStoreBrand(store)
      const ids: Record<string, string> = {}
      const rows: [string, 'low' | 'normal' | 'high' | 'urgent' | undefined, number][] = [
        ['a', undefined, 1000], ['b', 'urgent', 3000], ['c', 'low', 500], ['d', 'high', 2000], ['e', 'urgent', 1500], ['f', 'normal', 900],
      ]
      for (const [name, priority, at] of rows) {
        ids[name] = `c_${name}_${id('')}`
        await store.openConversation({
          brandId, convId: ids[name]!, visitorId: id('v_'), clientMsgId: id('m_'), at, context: null,
          routing: priority ? { priority } : {}, response: null,
        })
      }
      return { brandId, ids }
    }

    it('lists the highest priority first, then the longest waiting', async () => {
      const { brandId, ids } = await queue()
      const listed = (await store.listQueue(brandId, 10, { order: 'priority' })).map((e) => e.conversation.convId)
      expect(listed).toEqual([ids.e, ids.b, ids.d, ids.f, ids.a, ids.c])
    })

    it('pages past a position that includes the priority', async () => {
      const { brandId, ids } = await queue()
      const first = await store.listQueue(brandId, 3, { order: 'priority' })
      const last = first[first.length - 1]!.conversation
      const after = { createdAt: last.createdAt, convId: last.convId, priority: 2 }
      const next = (await store.listQueue(brandId, 10, { order: 'priority', after })).map((e) => e.conversation.convId)
      expect(next).toEqual([ids.f, ids.a, ids.c])
    })

    it('shows each waiting conversation\'s routing', async () => {
      const { brandId } = await queue()
      const listed = await store.listQueue(brandId, 10, { order: 'oldest' })
      expect(listed.map((e) => e.conversation.routing.priority ?? 'normal')).toEqual(['low', 'normal', 'normal', 'urgent', 'high', 'urgent'])
    })
  })
})

