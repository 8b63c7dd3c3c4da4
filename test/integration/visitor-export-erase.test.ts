import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VisitorExport } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestBrand, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'
import { chattedVisitor, type ChattedVisitor } from '../helpers/data-rights-visitor.js'

// Issue 19's test on a real relay and SQLite file: export a visitor, erase them, export again, and
// nothing of theirs is left (no message, answer, contact, context, consent or visitor record: only
// the stubs that say when their conversations were erased); another visitor's export is untouched.

describe('export, erase, export', () => {
  let relay: TestRelay
  let brand: TestBrand
  let ada: ChattedVisitor
  let bob: ChattedVisitor
  beforeAll(async () => {
    relay = await startRelay()
    brand = await createTestBrand(relay)
    ada = await chattedVisitor(relay, brand, 'Grace Agent')
    bob = await chattedVisitor(relay, brand, 'Linus Agent')
  })
  afterAll(async () => { await relay.close() })

  const exportOf = (selector: Record<string, string>, format = 'json') =>
    callRest(relay, { method: 'POST', url: '/v1/visitors/export', token: brand.apiKey, body: { selector, format } })

  it('shows nothing of the visitor after the erasure, in every rendering, and leaves another visitor whole', async () => {
    const before = await exportOf({ visitorId: ada.visitorId })
    expect(before.status).toBe(200)
    for (const w of Object.values(ada.words)) expect(before.raw).toContain(w)
    const bobBefore = await exportOf({ visitorId: bob.visitorId })

    const erased = await callRest(relay, { method: 'POST', url: '/v1/visitors/erase', token: brand.apiKey, body: { selector: { visitorId: ada.visitorId } } })
    expect(erased.status, erased.raw).toBe(200)
    expect(erased.body.removed).toMatchObject({ conversations: 2, messages: 3, surveyResponses: 1 })

    const after = await exportOf({ visitorId: ada.visitorId })
    expect(after.status, after.raw).toBe(200)
    const doc = after.body as VisitorExport
    expect(doc).toMatchObject({ customer: null, visitors: [], consentEvents: [] })
    expect(doc.conversations.map((c) => c.convId).sort()).toEqual([ada.chatConvId, ada.offlineConvId].sort())
    for (const c of doc.conversations) {
      expect(c).toMatchObject({ erasedAt: erased.body.erasedAt, contact: null, context: null, messages: [] })
      for (const r of c.surveyResponses) expect(r.answers).toEqual({})
    }
    for (const format of ['json', 'html', 'text']) {
      const raw = format === 'json' ? after.raw : (await exportOf({ visitorId: ada.visitorId }, format)).raw
      for (const w of [...Object.values(ada.words), 'Ada Lovelace']) expect(raw, `${format} export`).not.toContain(w)
      expect(raw.toLowerCase(), `${format} export`).not.toContain(ada.email.toLowerCase())
    }
    // The address went with the contact and the answers: nothing is found by it any more.
    expectErrorBody(await exportOf({ email: ada.email }), 'PARLEY_ERR_VISITOR_NOT_FOUND')

    const bobAfter = await exportOf({ visitorId: bob.visitorId })
    expect({ ...bobAfter.body, exportedAt: 0 }).toEqual({ ...bobBefore.body, exportedAt: 0 })
  })
})
