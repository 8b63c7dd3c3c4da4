import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Value } from '@sinclair/typebox/value'
import { VisitorExport, type Participant, type Survey, type VisitorSelector } from '@parley/sdk/contract'
import type { Store } from '../../../../server/src/store/store.js'
import { walkVisitorExport, type ExportPages } from '../../../../server/src/data-rights/export-walk.js'
import { renderExportJson } from '../../../../server/src/data-rights/export-json.js'
import { STORES, type OpenedStore } from '../../../helpers/stores.js'
import { createStoreBrand } from '../../../helpers/brand.js'

// A visitor's export read from each store through the Store interface (the walk the export route
// streams, with pages small enough that every kind of read crosses a page), and issue 19's test on
// each store: export, erase, export again, and nothing of the visitor is left while another
// visitor's export stays exactly as it was.

const id = (prefix: string) => `${prefix}${randomBytes(8).toString('hex')}`
const T = Date.UTC(2026, 4, 2, 9)
const PAGES: ExportPages = { conversations: 2, messages: 3 }
const intake: Survey = {
  id: 'intake', kind: 'pre', version: 1,
  fields: [{ id: 'name', type: 'text', label: 'Your name', purpose: 'name' }, { id: 'mail', type: 'email', label: 'E-mail', purpose: 'email' }, { id: 'why', type: 'longtext', label: 'Why?' }],
}

describe.each(STORES)('$name store: a visitor export', (factory) => {
  let opened: OpenedStore
  let store: Store
  beforeAll(async () => { opened = await factory.create(); store = opened.store })
  afterAll(async () => { await opened.dispose() })

  /** The export of `selector` as the route renders it, parsed. */
  async function exportOf(brandId: string, selector: VisitorSelector): Promise<{ doc: VisitorExport; raw: string }> {
    const visitorIds = await store.findVisitorIds(brandId, selector)
    let raw = ''
    for await (const chunk of renderExportJson(walkVisitorExport(store, { brandId, selector: 'visitorId', visitorIds, exportedAt: T }, PAGES))) raw += chunk
    return { doc: JSON.parse(raw) as VisitorExport, raw }
  }

  /** A visitor with three chats (one opened with the pre-chat form, seven messages) and an offline form, saying `word`. */
  async function visitor(b: string, agent: Participant, word: string, email: string): Promise<{ visitorId: string; convIds: string[] }> {
    const visitorId = id('v_')
    const me: Participant = { kind: 'visitor', id: visitorId }
    await store.recordVisit(b, visitorId, { url: `https://shop.example/${word}`, pagesViewed: 3 }, T)
    await store.recordConsent(b, visitorId, { at: T + 1, state: 'granted', source: 'api' })
    const convIds = [id('c_'), id('c_'), id('c_'), id('c_')]
    const opened = await store.openConversation({
      brandId: b, convId: convIds[0]!, visitorId, clientMsgId: id('o'), at: T + 10, context: { url: `https://shop.example/${word}` }, routing: {},
      response: { surveyId: 'intake', version: 1, kind: 'pre', answers: { name: `${word} Person`, mail: email, why: `because ${word}` }, at: T + 10 },
      contact: { name: `${word} Person`, email },
    })
    expect(opened.ok).toBe(true)
    for (let i = 0; i < 7; i++) {
      const from = i % 2 === 0 ? me : agent
      if (i === 1) await store.joinConversation(b, convIds[0]!, agent.id, T + 11)
      const [r] = await store.appendMessages([{ brandId: b, convId: convIds[0]!, clientMsgId: id('m'), from, text: `${word} message ${i}`, at: T + 20 + i, context: null }])
      expect(r!.ok, JSON.stringify(r)).toBe(true)
    }
    for (const [i, convId] of convIds.slice(1).entries()) {
      const [r] = await store.appendMessages([{
        brandId: b, convId, clientMsgId: id('m'), from: me, text: `${word} later ${i}`, at: T + 100 + i, context: null,
        ...(i === 2 ? { contact: { name: `${word} Person`, email } } : {}),
      }])
      expect(r!.ok).toBe(true)
    }
    return { visitorId, convIds }
  }

  async function scene() {
    const b = await createStoreBrand(store)
    const agent: Participant = { kind: 'agent', id: id('a_') }
    await store.createAgent({ brandId: b, agentId: agent.id, email: `${id('ana')}@agents.example`, name: 'Ana Agent', passwordHash: 'x', createdAt: 1 })
    await store.setSurveysConfig(b, { surveys: [intake], pre: 'intake' }, [intake], T)
    const zed = await visitor(b, agent, id('zebra'), `${id('zed')}@mail.example`)
    const yan = await visitor(b, agent, id('yak'), `${id('yan')}@mail.example`)
    return { b, zed, yan }
  }

  it('holds every conversation, message, answer, consent change and the visitor record, read across pages', async () => {
    const { b, zed } = await scene()
    const { doc } = await exportOf(b, { visitorId: zed.visitorId })
    expect([...Value.Errors(VisitorExport, doc)].map((e) => `${e.path} ${e.message}`)).toEqual([])
    expect(doc.visitors).toEqual([expect.objectContaining({ visitorId: zed.visitorId, consent: 'granted', visitCount: 1 })])
    expect(doc.consentEvents).toEqual([{ visitorId: zed.visitorId, at: T + 1, state: 'granted', source: 'api' }])
    expect(doc.conversations.map((c) => c.convId)).toEqual(zed.convIds)
    const [first, , , offline] = doc.conversations
    expect(first!.messages.map((m) => [m.seq, m.from, m.name ?? null])).toEqual([
      [1, 'visitor', expect.stringMatching(/ Person$/)], [2, 'agent', 'Ana Agent'], [3, 'visitor', expect.any(String)],
      [4, 'agent', 'Ana Agent'], [5, 'visitor', expect.any(String)], [6, 'agent', 'Ana Agent'], [7, 'visitor', expect.any(String)],
    ])
    expect(first!.surveyResponses).toEqual([{ surveyId: 'intake', kind: 'pre', at: T + 10, answers: { name: first!.contact!.name, mail: first!.contact!.email, why: expect.stringMatching(/^because zebra/) } }])
    expect(offline).toMatchObject({ origin: 'offline', contact: expect.objectContaining({ email: expect.stringMatching(/@mail\.example$/) }) })
  })

  it('exports nothing of an erased visitor but the stubs, and leaves the other visitor exactly as before', async () => {
    const { b, zed, yan } = await scene()
    const before = await exportOf(b, { visitorId: zed.visitorId })
    const word = before.doc.conversations[0]!.messages[0]!.text.split(' ')[0]!
    const email = before.doc.conversations[0]!.contact!.email
    expect(await store.findVisitorIds(b, { email })).toEqual([zed.visitorId])
    const yanBefore = await exportOf(b, { visitorId: yan.visitorId })

    const erasure = await store.eraseConversations(b, zed.convIds, T + 1000)
    expect(erasure.erased.sort()).toEqual([...zed.convIds].sort())
    await store.eraseVisitor(b, zed.visitorId, T + 1000)

    const after = await exportOf(b, { visitorId: zed.visitorId })
    expect(after.raw).not.toContain(word)
    expect(after.raw).not.toContain(email)
    expect(after.doc).toMatchObject({ visitors: [], consentEvents: [], customer: null })
    expect(after.doc.conversations.map((c) => c.convId)).toEqual(zed.convIds)
    for (const c of after.doc.conversations) {
      expect(c).toMatchObject({ erasedAt: T + 1000, contact: null, context: null, messages: [] })
      for (const r of c.surveyResponses) expect(r.answers).toEqual({})
    }
    expect(await store.findVisitorIds(b, { email })).toEqual([])
    expect((await exportOf(b, { visitorId: yan.visitorId })).raw).toBe(yanBefore.raw)
  })
})
