import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Value } from '@sinclair/typebox/value'
import { ALL_SCOPES, VisitorExport, type Role } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'
import { chattedVisitor, SCRIPT_TEXT, type ChattedVisitor } from '../helpers/data-rights-visitor.js'

// POST /v1/visitors/export on a real relay: a visitor who chatted with an agent (pre-chat answered)
// and left an offline form is exported whole by visitor id, customer id or e-mail, as the JSON
// document, an HTML page that shows a typed <script> without running it, and text; refused to
// callers without data.export and for visitors of other brands; audited without the selector's value.

describe('POST /v1/visitors/export', () => {
  let relay: TestRelay
  let brand: TestBrand
  let ada: ChattedVisitor
  beforeAll(async () => {
    relay = await startRelay()
    brand = await createTestBrand(relay)
    ada = await chattedVisitor(relay, brand)
  })
  afterAll(async () => { await relay.close() })

  const exportAs = (b: TestBrand, body: unknown, token = b.apiKey) => callRest(relay, { method: 'POST', url: '/v1/visitors/export', token, body })

  it('exports every conversation, message and answer of a visitor id as the documented JSON document', async () => {
    const res = await exportAs(brand, { selector: { visitorId: ada.visitorId } })
    expect(res.status, res.raw).toBe(200)
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="parley-export-\d{4}-\d{2}-\d{2}\.json"$/)
    expect(res.headers['cache-control']).toBe('no-store')
    const doc = res.body as VisitorExport
    expect([...Value.Errors(VisitorExport, doc)].map((e) => `${e.path} ${e.message}`)).toEqual([])
    expect(Object.keys(doc)).toEqual(['format', 'version', 'brandId', 'exportedAt', 'selector', 'customer', 'visitors', 'consentEvents', 'conversations'])
    expect(doc).toMatchObject({ format: 'parley.visitor-export', version: 1, brandId: brand.brandId, selector: 'visitorId', customer: null })
    expect(doc.visitors.map((v) => v.visitorId)).toEqual([ada.visitorId])
    expect(doc.conversations.map((c) => c.convId).sort()).toEqual([ada.chatConvId, ada.offlineConvId].sort())

    const chat = doc.conversations.find((c) => c.convId === ada.chatConvId)!
    expect(Object.keys(chat)).toEqual(['convId', 'visitorId', 'status', 'origin', 'createdAt', 'closedAt', 'contact', 'context', 'routing', 'erasedAt', 'messages', 'surveyResponses'])
    expect(chat).toMatchObject({ origin: 'chat', erasedAt: null, routing: { topic: 'sales' } })
    expect(chat.messages).toMatchObject([
      { seq: 1, from: 'visitor', name: 'Ada Lovelace', text: `Hello ${ada.words.message} ${SCRIPT_TEXT}` },
      { seq: 2, from: 'agent', name: ada.agentName, text: `Hi Ada, ${ada.words.reply}` },
    ])
    expect(chat.surveyResponses).toEqual([expect.objectContaining({
      surveyId: 'intake', kind: 'pre', answers: { name: 'Ada Lovelace', topic: 'sales', note: `${ada.words.note} ${SCRIPT_TEXT}` },
      labels: expect.objectContaining({ note: 'Anything else?' }),
    })])
    const offline = doc.conversations.find((c) => c.convId === ada.offlineConvId)!
    expect(offline).toMatchObject({ origin: 'offline', contact: { name: 'Ada Lovelace', email: ada.email }, messages: [{ seq: 1, from: 'visitor', text: `Call me ${ada.words.offline}` }] })
  })

  it('finds the same visitor by the e-mail address of the offline form, in any case', async () => {
    const res = await exportAs(brand, { selector: { email: ada.email.toLowerCase() } })
    expect(res.status, res.raw).toBe(200)
    expect(res.body.selector).toBe('email')
    expect(res.body.visitors.map((v: { visitorId: string }) => v.visitorId)).toEqual([ada.visitorId])
    expect(res.body.conversations).toHaveLength(2)
  })

  it("finds a verified customer's visitor by customer id and names the customer", async () => {
    const b = await createTestBrand(relay)
    const bea = await chattedVisitor(relay, b)
    const customerVisitor = `v_cust${Date.now()}`
    await relay.deps.store.linkCustomer({
      brandId: b.brandId, customerId: 'cust-42', visitorId: bea.visitorId, newVisitorId: customerVisitor,
      convIds: [bea.chatConvId], name: 'Bea Customer', email: 'bea@shop.example', at: Date.now(),
    })
    const res = await exportAs(b, { selector: { customerId: 'cust-42' } })
    expect(res.status, res.raw).toBe(200)
    expect(res.body).toMatchObject({ selector: 'customerId', customer: { customerId: 'cust-42', name: 'Bea Customer', email: 'bea@shop.example' } })
    expect(res.body.conversations.map((c: { convId: string }) => c.convId)).toEqual([bea.chatConvId])
    expect(res.body.conversations[0].messages.map((m: { text: string }) => m.text)).toContain(`Hello ${bea.words.message} ${SCRIPT_TEXT}`)
  })

  it('renders an HTML page that shows what the visitor typed, escaped, and runs no script', async () => {
    const res = await exportAs(brand, { selector: { visitorId: ada.visitorId }, format: 'html' })
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.headers['content-disposition']).toMatch(/filename="parley-export-\d{4}-\d{2}-\d{2}\.html"$/)
    expect(res.headers['content-security-policy']).toContain("default-src 'none'")
    expect(res.raw).toMatch(/^<!doctype html>/)
    expect(res.raw).toMatch(/<\/html>$/)
    expect(res.raw).not.toMatch(/<script/i)
    expect(res.raw).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;')
    for (const w of Object.values(ada.words)) expect(res.raw).toContain(w)
    expect(res.raw).toContain(`${ada.agentName} (agent)`)
  })

  it('renders plain text a person can read: each message under its time and sender', async () => {
    const res = await exportAs(brand, { selector: { visitorId: ada.visitorId }, format: 'text' })
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8')
    expect(res.headers['content-disposition']).toMatch(/filename="parley-export-\d{4}-\d{2}-\d{2}\.txt"$/)
    expect(res.raw).toMatch(new RegExp(`\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC  ${ada.agentName} \\(agent\\)\\n    Hi Ada, ${ada.words.reply}\\n`))
    expect(res.raw).toContain(`    Hello ${ada.words.message} ${SCRIPT_TEXT}\n`)
    expect(res.raw).toContain(`Anything else?: ${ada.words.note}`)
    expect(res.raw).toContain(`== Conversation ${ada.offlineConvId}`)
  })

  it('records data.export in the audit log with the selector kind and counts, never the address', async () => {
    const b = await createTestBrand(relay)
    const cy = await chattedVisitor(relay, b)
    expect((await exportAs(b, { selector: { email: cy.email }, format: 'text' })).status).toBe(200)
    const audit = await callRest(relay, { url: '/v1/audit?action=data.export', token: b.apiKey })
    expect(audit.body.entries).toEqual([expect.objectContaining({
      action: 'data.export', outcome: 'ok', resource: { type: 'visitor', id: cy.visitorId },
      detail: { selector: 'email', format: 'text', visitors: 1, conversations: 2, messages: 3 },
    })])
    expect(audit.raw.toLowerCase()).not.toContain(cy.email.toLowerCase())
  })

  it('answers 404 VISITOR_NOT_FOUND, naming only the kind, for an address no visitor gave', async () => {
    const res = await exportAs(brand, { selector: { email: 'nobody-here@example.com' } })
    expectErrorBody(res, 'PARLEY_ERR_VISITOR_NOT_FOUND')
    expect(res.raw).not.toContain('nobody-here')
  })

  it("answers 404 for another brand's visitor, and exports nothing of it", async () => {
    const other = await createTestBrand(relay)
    expectErrorBody(await exportAs(other, { selector: { visitorId: ada.visitorId } }), 'PARLEY_ERR_VISITOR_NOT_FOUND')
    expectErrorBody(await exportAs(other, { selector: { email: ada.email } }), 'PARLEY_ERR_VISITOR_NOT_FOUND')
  })

  it('refuses a key without data:export, agents below admin and a visitor token; lets an admin export', async () => {
    const key = await callRest(relay, { method: 'POST', url: '/v1/keys', token: brand.apiKey, body: { name: 'no export', scopes: ALL_SCOPES.filter((s) => s !== 'data:export') } })
    expect(key.status, key.raw).toBe(201)
    const body = { selector: { visitorId: ada.visitorId } }
    expectErrorBody(await exportAs(brand, body, key.body.secret), 'PARLEY_ERR_AUTH_SCOPE')
    for (const role of ['agent', 'supervisor'] as Role[]) {
      const agent = await createTestAgent(relay, brand.brandId, `A ${role}`, role)
      expectErrorBody(await exportAs(brand, body, agent.token), 'PARLEY_ERR_AUTH_ROLE')
    }
    expectErrorBody(await exportAs(brand, body, ada.token), 'PARLEY_ERR_AUTH_FORBIDDEN')
    const admin = await createTestAgent(relay, brand.brandId, 'An admin', 'admin')
    expect((await exportAs(brand, body, admin.token)).status).toBe(200)
  })

  it('refuses a selector of two kinds and an unknown format with REQUEST_INVALID', async () => {
    expectErrorBody(await exportAs(brand, { selector: { visitorId: ada.visitorId, email: ada.email } }), 'PARLEY_ERR_REQUEST_INVALID')
    expectErrorBody(await exportAs(brand, { selector: { visitorId: ada.visitorId }, format: 'pdf' }), 'PARLEY_ERR_REQUEST_INVALID')
  })
})
