import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Participant, Survey, VisitorContext } from '@parley/sdk/contract'
import type { Store } from '../../../../server/src/store/store.js'
import { STORES, type OpenedStore } from '../../../helpers/stores.js'
import { createStoreBrand } from '../../../helpers/brand.js'

// Erasure (VisitorDataStore.eraseConversations, eraseVisitor; issue 19): a visitor's conversations
// lose their content and keep a stub, reports still add up, a legal hold keeps a conversation whole,
// another visitor's data is untouched, and erasing again removes nothing more.

const id = (prefix: string) => `${prefix}${randomBytes(8).toString('hex')}`
const T = Date.UTC(2026, 4, 2, 9)
const DAY = '2026-05-02'
const tracked: VisitorContext = { url: 'https://shop.example/', pagesViewed: 7 }
const post: Survey = {
  id: 'after', kind: 'post', version: 1,
  fields: [{ id: 'happy', type: 'csat', label: 'Happy?' }, { id: 'why', type: 'text', label: 'Why?' }, { id: 'ok', type: 'consent', label: 'May we call?' }],
}

describe.each(STORES)('$name store: erasure', (factory) => {
  let opened: OpenedStore
  let store: Store
  beforeAll(async () => { opened = await factory.create(); store = opened.store })
  afterAll(async () => { await opened.dispose() })

  async function say(brandId: string, convId: string, from: Participant, text: string, at: number, attachmentIds?: string[]) {
    const [r] = await store.appendMessages([{ brandId, convId, clientMsgId: id('m'), from, text, at, context: tracked, ...(attachmentIds ? { attachmentIds } : {}) }])
    expect(r!.ok).toBe(true)
  }

  /** A brand with an agent, a post-chat survey, and `visitors` visitors. */
  async function brand(): Promise<{ b: string; ana: Participant }> {
    const b = await createStoreBrand(store)
    const ana: Participant = { kind: 'agent', id: id('a_'), name: 'Ana' }
    await store.createAgent({ brandId: b, agentId: ana.id, email: `${id('ana')}@agents.example`, name: 'Ana', passwordHash: 'x', createdAt: 1 })
    await store.setSurveysConfig(b, { surveys: [post], post: 'after' }, [post], T)
    return { b, ana }
  }

  /** A closed chat of `v` saying `word`, answered by ana, with a note, a file (and its thumbnail) and a post-chat answer. */
  async function closedChat(b: string, ana: Participant, v: Participant, word: string, at: number): Promise<{ convId: string; blobKey: string; thumbKey: string }> {
    const convId = id('c_')
    const attachmentId = id('att_')
    const [blobKey, thumbKey] = [id('blob_'), id('thumb_')]
    await store.createAttachment({
      brandId: b, attachmentId, uploader: `visitor:${v.id}`, name: `${word}.png`, type: 'image/png', size: 10, width: 4, height: 4,
      blobKey, thumbKey: null, createdAt: at, convId: null, seq: null,
    })
    expect(await store.setAttachmentThumbnail(b, attachmentId, thumbKey, 2, 2)).toEqual({ previous: null })
    await say(b, convId, v, `my ${word} is lost`, at, [attachmentId])
    await store.assignConversation(b, convId, ana.id, at + 30_000, { onlyIfWaiting: true })
    await say(b, convId, ana, `your ${word} is found`, at + 60_000)
    await store.addNote({ brandId: b, convId, noteId: id('n_'), clientNoteId: id('cn_'), author: { kind: 'agent', id: ana.id }, text: `${word} vip`, at: at + 70_000 })
    await store.closeConversation(b, convId, v, at + 90_000)
    const answer = await store.addSurveyResponse({
      brandId: b, convId, visitorId: v.id, clientMsgId: id('s'),
      response: { surveyId: 'after', version: 1, kind: 'post', answers: { happy: 4, why: `the ${word}`, ok: true }, language: 'de', labels: { why: 'Why?' }, consents: { ok: 'May we call?' }, at: at + 100_000 },
    })
    expect(answer.ok).toBe(true)
    return { convId, blobKey, thumbKey }
  }

  const words = async (b: string, q: string) => (await store.listConversations(b, { q })).conversations.map((c) => c.convId)

  it("erases a visitor's conversations down to stubs and leaves another visitor's whole", async () => {
    const { b, ana } = await brand()
    const [v, w] = [{ kind: 'visitor', id: id('v_') } as const, { kind: 'visitor', id: id('v_') } as const]
    const mine = await closedChat(b, ana, v, 'zebraquartz', T)
    const open = id('c_')
    await say(b, open, v, 'still zebraquartz here', T + 200_000)
    const theirs = await closedChat(b, ana, w, 'lynxbasalt', T)
    expect(await words(b, 'zebraquartz')).toHaveLength(2)

    const at = T + 300_000
    const result = await store.eraseConversations(b, [mine.convId, open, id('c_')], at)
    expect(result.erased.sort()).toEqual([mine.convId, open].sort())
    expect(result.held).toEqual([])
    // SQLite's search index holds closed conversations' messages; PostgreSQL's (a column of each
    // message) every message, the open conversation's one too.
    const searchEntries = factory.name === 'PostgreSQL' ? 3 : 2
    expect(result.counts).toEqual({ conversations: 2, messages: 3, searchEntries, notes: 1, attachments: 1, surveyResponses: 1, contexts: 2 })
    expect(result.blobKeys.sort()).toEqual([mine.blobKey, mine.thumbKey].sort())

    for (const convId of [mine.convId, open]) {
      expect(await store.readMessages(b, convId, 0, 100)).toEqual([])
      expect(await store.listNotes(b, convId)).toEqual([])
      expect(await store.getConversation(b, convId)).toMatchObject({ status: 'closed', context: null, contact: null, visitorId: v.id })
    }
    expect(await store.getConversation(b, open)).toMatchObject({ closedAt: at, lastSeq: 1 })
    expect(await store.getConversation(b, mine.convId)).toMatchObject({ closedAt: T + 90_000, lastSeq: 2, assignedAgentId: ana.id })
    const [stub] = await store.listVisitorConversations(b, [v.id], null, 1)
    expect(stub).toMatchObject({ convId: mine.convId, erasedAt: at })
    expect(await store.listSurveyResponses(b, mine.convId)).toEqual([{ surveyId: 'after', version: 1, kind: 'post', answers: {}, at: T + 100_000 }])
    expect(await words(b, 'zebraquartz')).toEqual([])

    expect((await store.readMessages(b, theirs.convId, 0, 100)).map((m) => m.text)).toEqual(['my lynxbasalt is lost', 'your lynxbasalt is found'])
    expect(await store.listNotes(b, theirs.convId)).toHaveLength(1)
    expect((await store.listSurveyResponses(b, theirs.convId))[0]?.answers).toEqual({ happy: 4, why: 'the lynxbasalt', ok: true })
    expect(await words(b, 'lynxbasalt')).toEqual([theirs.convId])
    expect(await store.getConversation(b, theirs.convId)).toMatchObject({ context: tracked })
  })

  it('keeps the report of the erased conversations as it was: chats, answers, CSAT, first responses', async () => {
    const { b, ana } = await brand()
    const v: Participant = { kind: 'visitor', id: id('v_') }
    const chats = [await closedChat(b, ana, v, 'zebraquartz', T), await closedChat(b, ana, v, 'zebraquartz', T + 1000)]
    const before = await store.readReport(b, { from: DAY, to: DAY })
    expect(before.total).toMatchObject({ chats: 2, closed: 2, answered: 2, firstResponse: { count: 2 } })
    await store.eraseConversations(b, chats.map((c) => c.convId), T + 500_000)
    expect(await store.readReport(b, { from: DAY, to: DAY })).toEqual(before)
  })

  it('leaves a conversation under a legal hold whole and lists it as held', async () => {
    const { b, ana } = await brand()
    const v: Participant = { kind: 'visitor', id: id('v_') }
    const [kept, gone] = [await closedChat(b, ana, v, 'zebraquartz', T), await closedChat(b, ana, v, 'zebraquartz', T)]
    expect(await store.setLegalHold(b, kept.convId, { reason: 'court order', at: T, by: `agent:${ana.id}` })).not.toBeNull()
    const result = await store.eraseConversations(b, [kept.convId, gone.convId], T + 500_000)
    expect(result).toMatchObject({ erased: [gone.convId], held: [kept.convId] })
    expect(result.blobKeys.sort()).toEqual([gone.blobKey, gone.thumbKey].sort())
    expect(await store.readMessages(b, kept.convId, 0, 100)).toHaveLength(2)
    expect(await store.listNotes(b, kept.convId)).toHaveLength(1)
    expect((await store.listSurveyResponses(b, kept.convId))[0]?.answers).toMatchObject({ happy: 4 })
    expect(await words(b, 'zebraquartz')).toEqual([kept.convId])
  })

  it('erases nothing more the second time, and nothing of another brand', async () => {
    const { b, ana } = await brand()
    const v: Participant = { kind: 'visitor', id: id('v_') }
    const chat = await closedChat(b, ana, v, 'zebraquartz', T)
    expect(await store.eraseConversations(await createStoreBrand(store), [chat.convId], T + 1)).toMatchObject({ erased: [], counts: { messages: 0 } })
    expect(await store.readMessages(b, chat.convId, 0, 100)).toHaveLength(2)
    const first = await store.eraseConversations(b, [chat.convId, chat.convId], T + 2)
    expect(first.counts.messages).toBe(2)
    expect(await store.eraseConversations(b, [chat.convId], T + 3)).toEqual({
      erased: [], held: [], blobKeys: [],
      counts: { conversations: 0, messages: 0, searchEntries: 0, notes: 0, attachments: 0, surveyResponses: 0, contexts: 0 },
    })
    expect((await store.listVisitorConversations(b, [v.id], null, 1))[0]?.erasedAt).toBe(T + 2)
  })

  it('erases messages written a moment ago, and they stay erased after a restart', async () => {
    const { b } = await brand()
    const v: Participant = { kind: 'visitor', id: id('v_') }
    const [fresh, next] = [id('c_'), id('c_')]
    await say(b, fresh, v, 'zebraquartz just now', T)
    await say(b, fresh, v, 'and zebraquartz again', T + 1)
    expect((await store.eraseConversations(b, [fresh], T + 2)).counts.messages).toBe(2)
    expect(await store.readMessages(b, fresh, 0, 100)).toEqual([])
    await say(b, next, v, 'a new chat', T + 3)
    store = await opened.reopen()
    expect(await store.readMessages(b, fresh, 0, 100)).toEqual([])
    expect(await store.getConversation(b, fresh)).toMatchObject({ status: 'closed', lastSeq: 2 })
    expect((await store.readMessages(b, next, 0, 100)).map((m) => m.text)).toEqual(['a new chat'])
  })

  it('erases more conversations than one batch holds', async () => {
    const { b } = await brand()
    const v: Participant = { kind: 'visitor', id: id('v_') }
    const convIds = Array.from({ length: 205 }, () => id('c_'))
    const results = await store.appendMessages(convIds.map((convId, i) => ({ brandId: b, convId, clientMsgId: id('m'), from: v, text: `zebraquartz ${i}`, at: T + i, context: null })))
    expect(results.every((r) => r.ok)).toBe(true)
    const result = await store.eraseConversations(b, convIds, T + 1000)
    expect(result.erased).toHaveLength(205)
    expect(result.counts).toMatchObject({ conversations: 205, messages: 205 })
    expect(await store.readMessages(b, convIds[204]!, 0, 10)).toEqual([])
  })

  it("deletes the visitor's record, consent history and verified customer, and no one else's", async () => {
    const b = await createStoreBrand(store)
    const [v, w] = [id('v_'), id('v_')]
    const customerId = id('cust_')
    for (const visitor of [v, w]) {
      await store.recordVisit(b, visitor, tracked, T)
      await store.recordConsent(b, visitor, { at: T, state: 'granted', source: 'widget' })
      await store.recordConsent(b, visitor, { at: T + 1, state: 'denied', source: 'api' })
    }
    await store.linkCustomer({ brandId: b, customerId, visitorId: v, newVisitorId: v, convIds: [], name: 'Vera', email: 'vera@mail.example', at: T })
    expect(await store.eraseVisitor(b, v, T + 2)).toEqual({ visitors: 1, customers: 1, consentEvents: 2, contexts: 1 })
    expect(await store.getVisitor(b, v)).toBeNull()
    expect(await store.listConsentEvents(b, [v])).toEqual([])
    expect(await store.getCustomer(b, customerId)).toBeNull()
    expect(await store.findVisitorIds(b, { email: 'vera@mail.example' })).toEqual([])
    expect(await store.getVisitor(b, w)).not.toBeNull()
    expect(await store.listConsentEvents(b, [w])).toHaveLength(2)
    expect(await store.eraseVisitor(b, v, T + 3)).toEqual({ visitors: 0, customers: 0, consentEvents: 0, contexts: 0 })
  })
})
