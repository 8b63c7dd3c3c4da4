import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VisitorContext, WidgetConfig } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'
import { createFakeClock } from '../helpers/fake-clock.js'
import { connectAgent, connectVisitor, frameOf, openAndJoin, sendAndAck } from '../helpers/delivery-chat.js'
import { storedConversation } from '../helpers/delivery-transcript.js'
import { until } from '../helpers/until.js'
import { readErasures } from '../../server/src/data-rights/erasure-ledger.js'

// The relay keeps a visitor's behavioural context (pages viewed, time on site, visit count,
// returning) only as the tracking policy allows: the brand's setting, the visitor's consent, and
// the DNT / Sec-GPC headers of their WebSocket upgrade or offline-form request. A withdrawal (from
// the widget's context or the brand's REST call) deletes what was stored, closed conversations
// too, and stops visit counting. Read back through the store and the REST conversation.

const PAGE: VisitorContext = { url: 'https://shop.example/cart', title: 'Cart', tracking: 'shared', pagesViewed: 7, timeOnSiteSec: 300, visitCount: 4, returning: true }
const BEHAVIOUR = { pagesViewed: 7, timeOnSiteSec: 300, visitCount: 4, returning: true }
const HALF_HOUR = 31 * 60 * 1000

describe('consent to behavioural tracking on the relay', () => {
  const clock = createFakeClock()
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay({ clock }) })
  afterAll(async () => { await relay.close() })

  const setTracking = async (brand: TestBrand, tracking: WidgetConfig['tracking']) => {
    const res = await callRest(relay, { method: 'PUT', url: '/v1/widget-config', token: brand.apiKey, body: { tracking } })
    expect(res.status, res.raw).toBe(200)
  }
  /** The brand's consent withdrawals in the relay's erasure ledger: what a restore withdraws again. */
  const ledgerDenials = async (brand: TestBrand) =>
    (await readErasures(join(relay.dataDir, 'erasure-ledger.jsonl'))).filter((e) => e.brandId === brand.brandId && e.kind === 'consent-denied')
  /** The context stored with a conversation the visitor opens now. */
  const openedContext = async (brand: TestBrand, opts: { context: VisitorContext; headers?: Record<string, string> }, convId: string) => {
    const v = await connectVisitor(relay, brand, opts)
    await sendAndAck(v.client, convId, `${convId}-m1`, 'hello')
    const conv = await storedConversation(relay, brand.apiKey, convId) as { context: VisitorContext | null }
    return { conv: conv.context, visitor: (await relay.deps.store.getVisitor(brand.brandId, v.visitorId))!.context, visitorId: v.visitorId }
  }

  it.each([
    ['tracking on, no signal', 'on', {}, undefined, true],
    ['DNT: 1', 'on', { dnt: '1' }, undefined, false],
    ['Sec-GPC: 1', 'on', { 'sec-gpc': '1' }, undefined, false],
    ['DNT: 1 and an explicit grant', 'on', { dnt: '1' }, 'granted', true],
    ['opt-in without a choice', 'opt-in', {}, undefined, false],
    ['opt-in and a grant', 'opt-in', {}, 'granted', true],
    ['tracking off, even with a grant', 'off', {}, 'granted', false],
    ['tracking on and a denial', 'on', {}, 'denied', false],
  ] as const)('%s (setting %s, headers %o, consent %s): behavioural values kept %s', async (what, tracking, headers, consent, kept) => {
    const brand = await createTestBrand(relay)
    if (tracking !== 'on') await setTracking(brand, tracking)
    const convId = `conv-${what.replace(/[^a-z]+/gi, '-')}`
    const context: VisitorContext = { ...PAGE, ...(consent ? { consent } : {}) }
    const got = await openedContext(brand, { context, headers }, convId)
    for (const stored of [got.conv, got.visitor]) {
      expect(stored).toMatchObject({ url: PAGE.url, title: PAGE.title })
      if (kept) expect(stored).toMatchObject(BEHAVIOUR)
      else for (const field of Object.keys(BEHAVIOUR)) expect(stored, `${what}: ${field}`).not.toHaveProperty(field)
    }
    if (!kept) expect(got.conv).toMatchObject({ tracking: 'not-shared' })
  })

  it.each([
    ['DNT: 1', 'on', { dnt: '1' }, 0],
    ['Sec-GPC: 1', 'on', { 'sec-gpc': '1' }, 0],
    ['opt-in without a choice', 'opt-in', {}, 0],
    ['tracking off', 'off', {}, 0],
    ['tracking on, no signal', 'on', {}, 2],
  ] as const)('%s (setting %s, headers %o): two visits past the gap count %i', async (_what, tracking, headers, count) => {
    const brand = await createTestBrand(relay)
    if (tracking !== 'on') await setTracking(brand, tracking)
    const first = await connectVisitor(relay, brand, { context: PAGE, headers })
    clock.advance(HALF_HOUR)
    // The second hello brings no context: the stored consent and the headers still decide.
    await connectVisitor(relay, brand, { token: first.token, headers })
    expect((await relay.deps.store.getVisitor(brand.brandId, first.visitorId))!.visitCount).toBe(count)
  })

  it("a withdrawal in the widget's context deletes the values from every conversation, closed ones too, and stops visit counting", async () => {
    const brand = await createTestBrand(relay)
    const agent = await connectAgent(relay, await createTestAgent(relay, brand.brandId))
    const first = await connectVisitor(relay, brand, { context: PAGE })
    await openAndJoin(first.client, agent.client, 'conv-closed')
    agent.client.send({ type: 'conversation.close', convId: 'conv-closed' })
    await frameOf(first.client, 'conversation.closed', (f) => f.convId === 'conv-closed')
    // A later visit (past the visit gap) counts, while the visitor has not withdrawn.
    clock.advance(HALF_HOUR)
    const v = await connectVisitor(relay, brand, { token: first.token, context: PAGE })
    await openAndJoin(v.client, agent.client, 'conv-open')
    const before = (await relay.deps.store.getVisitor(brand.brandId, v.visitorId))!
    expect(before.visitCount).toBe(2)
    expect(await storedConversation(relay, brand.apiKey, 'conv-closed')).toMatchObject({ context: BEHAVIOUR })

    v.client.send({ type: 'context.update', context: { ...PAGE, consent: 'denied' } })
    const updated = await frameOf(agent.client, 'context.updated', (f) => f.convId === 'conv-open')
    for (const field of Object.keys(BEHAVIOUR)) expect(updated.context).not.toHaveProperty(field)
    for (const convId of ['conv-closed', 'conv-open']) {
      const conv = await storedConversation(relay, brand.apiKey, convId) as { context: VisitorContext }
      for (const field of Object.keys(BEHAVIOUR)) expect(conv.context, `${convId}: ${field}`).not.toHaveProperty(field)
    }
    const after = (await relay.deps.store.getVisitor(brand.brandId, v.visitorId))!
    expect(after.consent).toBe('denied')
    expect(await relay.deps.store.listConsentEvents(brand.brandId, [v.visitorId])).toEqual([expect.objectContaining({ state: 'denied', source: 'widget' })])
    expect(await ledgerDenials(brand)).toEqual([{ v: 1, kind: 'consent-denied', brandId: brand.brandId, visitorIds: [v.visitorId], at: clock.now() }])

    // Another visit: not counted, and an old widget's values (no consent field) are not kept.
    clock.advance(HALF_HOUR)
    await connectVisitor(relay, brand, { token: v.token, context: PAGE })
    const later = (await relay.deps.store.getVisitor(brand.brandId, v.visitorId))!
    expect(later.visitCount).toBe(after.visitCount)
    for (const field of Object.keys(BEHAVIOUR)) expect(later.context).not.toHaveProperty(field)
    // The choice is recorded once, however many pages repeat it.
    await connectVisitor(relay, brand, { token: v.token, context: { ...PAGE, consent: 'denied' } })
    expect(await relay.deps.store.listConsentEvents(brand.brandId, [v.visitorId])).toHaveLength(1)
  })

  it('keeps no behavioural value from an offline form sent with Sec-GPC: 1', async () => {
    const brand = await createTestBrand(relay)
    const res = await callRest(relay, {
      method: 'POST', url: `/v1/sites/${brand.siteKey}/offline-messages`, headers: { 'sec-gpc': '1', origin: brand.origin },
      body: { clientMsgId: 'off-gpc', name: 'Ada', email: 'ada@example.com', message: 'Call me back', context: PAGE },
    })
    expect(res.status, res.raw).toBe(201)
    const conv = await storedConversation(relay, brand.apiKey, res.body.convId) as { context: VisitorContext }
    expect(conv.context).toMatchObject({ url: PAGE.url, tracking: 'not-shared' })
    for (const field of Object.keys(BEHAVIOUR)) expect(conv.context).not.toHaveProperty(field)
  })

  describe('POST /v1/visitors/consent', () => {
    const consent = (token: string | undefined, body: unknown) => callRest(relay, { method: 'POST', url: '/v1/visitors/consent', ...(token ? { token } : {}), body })

    it("records a denial for the brand: the values go from every conversation, the open one's agent sees it, and it is audited", async () => {
      const brand = await createTestBrand(relay)
      const agent = await connectAgent(relay, await createTestAgent(relay, brand.brandId))
      const v = await connectVisitor(relay, brand, { context: PAGE })
      await openAndJoin(v.client, agent.client, 'conv-api-1')
      agent.client.send({ type: 'conversation.close', convId: 'conv-api-1' })
      await frameOf(v.client, 'conversation.closed', (f) => f.convId === 'conv-api-1')
      await openAndJoin(v.client, agent.client, 'conv-api-2')

      const res = await consent(brand.apiKey, { selector: { visitorId: v.visitorId }, state: 'denied' })
      expect(res.status, res.raw).toBe(200)
      expect(res.body).toEqual({ visitorIds: [v.visitorId], conversations: 2 })
      const updated = await frameOf(agent.client, 'context.updated', (f) => f.convId === 'conv-api-2')
      for (const field of Object.keys(BEHAVIOUR)) expect(updated.context).not.toHaveProperty(field)
      for (const convId of ['conv-api-1', 'conv-api-2']) {
        const conv = await storedConversation(relay, brand.apiKey, convId) as { context: VisitorContext }
        for (const field of Object.keys(BEHAVIOUR)) expect(conv.context, convId).not.toHaveProperty(field)
      }
      expect(await relay.deps.store.listConsentEvents(brand.brandId, [v.visitorId])).toEqual([expect.objectContaining({ state: 'denied', source: 'api' })])
      expect(await ledgerDenials(brand)).toEqual([{ v: 1, kind: 'consent-denied', brandId: brand.brandId, visitorIds: [v.visitorId], at: clock.now() }])
      // The visitor's open socket still holds the context of its hello, values and all: a
      // conversation it opens now is stored without them all the same.
      const opened = await openAndJoin(v.client, agent.client, 'conv-api-3')
      for (const field of Object.keys(BEHAVIOUR)) expect(opened.context, `opened: ${field}`).not.toHaveProperty(field)
      const third = await storedConversation(relay, brand.apiKey, 'conv-api-3') as { context: VisitorContext }
      for (const field of Object.keys(BEHAVIOUR)) expect(third.context, `stored: ${field}`).not.toHaveProperty(field)
      // Written before the answer went out.
      const audit = await callRest(relay, { url: '/v1/audit?action=data.consent', token: brand.apiKey })
      expect(audit.body.entries).toHaveLength(1)
      expect(audit.body.entries[0]).toMatchObject({ action: 'data.consent', resource: { type: 'visitor', id: v.visitorId }, detail: { selector: 'visitorId', state: 'denied', visitors: 1, conversations: 2 } })

      // A grant is recorded too; it brings nothing back.
      const granted = await consent(brand.apiKey, { selector: { visitorId: v.visitorId }, state: 'granted' })
      expect(granted.status, granted.raw).toBe(200)
      expect((await relay.deps.store.getVisitor(brand.brandId, v.visitorId))!.consent).toBe('granted')
      // Only a withdrawal goes to the ledger: a restore never grants on the visitor's behalf.
      expect(await ledgerDenials(brand)).toHaveLength(1)
    })

    it("holds on the visitor's later pages, whose hello carries no choice, until the visitor chooses again in a page", async () => {
      const brand = await createTestBrand(relay)
      const first = await connectVisitor(relay, brand, { context: { ...PAGE, consent: 'granted' } })
      expect((await relay.deps.store.getVisitor(brand.brandId, first.visitorId))!.consent).toBe('granted')
      expect((await consent(brand.apiKey, { selector: { visitorId: first.visitorId }, state: 'denied' })).status).toBe(200)

      // The next page: the widget says nothing of the choice stored in the browser.
      clock.advance(HALF_HOUR)
      const next = await connectVisitor(relay, brand, { token: first.token, context: PAGE })
      const later = (await relay.deps.store.getVisitor(brand.brandId, first.visitorId))!
      expect(later.consent).toBe('denied')
      for (const field of Object.keys(BEHAVIOUR)) expect(later.context).not.toHaveProperty(field)
      expect((await relay.deps.store.listConsentEvents(brand.brandId, [first.visitorId])).map((e) => [e.state, e.source])).toEqual([['granted', 'widget'], ['denied', 'api']])

      // A choice made in the page (Parley('consent', true) sends a context.update) is a new one.
      next.client.send({ type: 'context.update', context: { ...PAGE, consent: 'granted' } })
      await until(async () => (await relay.deps.store.getVisitor(brand.brandId, first.visitorId))!.consent === 'granted', 'the new grant recorded')
      expect(await relay.deps.store.listConsentEvents(brand.brandId, [first.visitorId])).toHaveLength(3)
    })

    it('refuses an unknown visitor with 404 PARLEY_ERR_VISITOR_NOT_FOUND, a plain agent with 403, no credential with 401', async () => {
      const brand = await createTestBrand(relay)
      expectErrorBody(await consent(brand.apiKey, { selector: { visitorId: 'v_nobody' }, state: 'denied' }), 'PARLEY_ERR_VISITOR_NOT_FOUND')
      const plain = await createTestAgent(relay, brand.brandId, 'Plain', 'agent')
      expectErrorBody(await consent(plain.token, { selector: { visitorId: 'v_nobody' }, state: 'denied' }), 'PARLEY_ERR_AUTH_ROLE')
      expectErrorBody(await consent(undefined, { selector: { visitorId: 'v_nobody' }, state: 'denied' }), 'PARLEY_ERR_AUTH_REQUIRED')
      expectErrorBody(await consent(brand.apiKey, { selector: { visitorId: 'v_x' }, state: 'maybe' }), 'PARLEY_ERR_REQUEST_INVALID')
    })
  })
})
