import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Participant, Survey } from '@parley/sdk/contract'
import type { MaskingPhase, Store } from '../../../../server/src/store/store.js'
import { STORES, type OpenedStore } from '../../../helpers/stores.js'

// Tenant isolation, one row per reader of the Store: brand A holds something of every kind (agents,
// statuses, settings, conversations waiting, held and closed, messages, read cursors, offers, notes,
// canned replies, attachments, surveys and answers, rule counts, documents, a masking run, an
// Idempotency-Key, a session, an API key, audit entries, an identity secret, a verified customer, a
// consent change, a refused token id, a webhook endpoint and a delivery). Each reader, called in
// brand B's name with A's ids, finds nothing; called in A's name it finds what A holds, so a reader
// that answers nothing to everyone cannot pass.

const id = (prefix: string) => `${prefix}${randomBytes(8).toString('hex')}`
const T = Date.UTC(2026, 2, 1, 12)
const DAY = '2026-03-01'
const VERA = 'vera@customers.example'
const post: Survey = { id: 'after', kind: 'post', version: 1, fields: [{ id: 'happy', type: 'csat', label: 'Happy?' }] }
const PHASES: readonly MaskingPhase[] = ['messages', 'conversations', 'visitors', 'notes', 'attachments']

/** What brand A holds, by id. */
interface Seeded {
  brandId: string
  ana: Participant
  email: string
  v: Participant
  /** Closed, answered, with a note and a sent attachment. */
  closed: string
  /** Open, held by ana. */
  held: string
  /** Waiting, offered to ana (declined once, then pending). */
  waiting: string
  attachmentId: string
  runId: string
  sessionId: string
  keyId: string
  customerId: string
  endpointId: string
  deliveryId: string
  /** A scheduled erasure request. */
  erasureId: string
}

async function seedBrand(store: Store, brandId: string): Promise<Seeded> {
  await store.createBrand({ brandId, name: 'A', siteKey: id('site_'), allowedOrigins: [], apiKeyHash: id('hash_'), createdAt: 1 })
  const email = `${id('ana')}@agents.example`
  const ana: Participant = { kind: 'agent', id: id('a_'), name: 'Ana' }
  await store.createAgent({ brandId, agentId: ana.id, email, name: 'Ana', passwordHash: 'x', createdAt: 1 })
  await store.setAgentStatus({ brandId, agentId: ana.id, status: 'available', auto: false, awayAfterMin: 0, since: T })
  await store.setAgentSettings(brandId, ana.id, { sound: false, desktop: false })
  await store.setSurveysConfig(brandId, { surveys: [post], post: 'after' }, [post], T)
  await store.setWidgetConfig(brandId, { position: 'left' })
  await store.setMaskingConfig(brandId, { email: { enabled: true } })
  await store.setRulesConfig(brandId, { rules: [] })
  await store.setBusinessHours(brandId, { timeZone: 'UTC', weekly: {} })
  await store.setRoutingConfig(brandId, { mode: 'automatic', offerTimeoutSec: 20 })
  await store.addRuleCounts(brandId, DAY, [{ ruleId: 'offer', arm: 'treatment', impressions: 1, clicks: 0, dismissals: 0, chats: 0 }])
  const v: Participant = { kind: 'visitor', id: id('v_') }
  await store.recordVisit(brandId, v.id, { url: 'https://shop.example/' }, T)
  const say = async (convId: string, from: Participant, text: string, at: number, attachmentIds?: string[]) => {
    const [r] = await store.appendMessages([{ brandId, convId, clientMsgId: id('m'), from, text, at, context: { url: 'https://shop.example/' }, ...(attachmentIds ? { attachmentIds } : {}) }])
    expect(r!.ok).toBe(true)
  }
  const [closed, held, waiting] = [id('c_'), id('c_'), id('c_')]
  const attachmentId = id('att_')
  await store.createAttachment({
    brandId, attachmentId, uploader: `visitor:${v.id}`, name: 'photo.png', type: 'image/png', size: 10, width: null, height: null,
    blobKey: id('blob_'), thumbKey: null, createdAt: T, convId: null, seq: null,
  })
  await say(closed, v, 'my pelican is lost', T, [attachmentId])
  await store.assignConversation(brandId, closed, ana.id, T + 60_000, { onlyIfWaiting: true })
  await say(closed, ana, 'found it', T + 90_000)
  await store.markRead(brandId, closed, v, 2)
  await store.addNote({ brandId, convId: closed, noteId: id('n_'), clientNoteId: id('cn_'), author: { kind: 'agent', id: ana.id }, text: 'vip', at: T + 100_000 })
  await store.closeConversation(brandId, closed, v, T + 120_000)
  await store.addSurveyResponse({ brandId, convId: closed, visitorId: v.id, clientMsgId: id('s'), response: { surveyId: 'after', version: 1, kind: 'post', answers: { happy: 5 }, at: T + 130_000 } })
  await say(held, v, 'pelican again', T + 200_000)
  await store.assignConversation(brandId, held, ana.id, T + 210_000, { onlyIfWaiting: true })
  await say(waiting, { kind: 'visitor', id: id('v_') }, 'anyone there?', T + 300_000)
  expect(await store.createOffer({ brandId, convId: waiting, agentId: ana.id, offeredAt: T + 301_000, expiresAt: T + 331_000 })).toBe(true)
  await store.endOffer(brandId, waiting, ana.id, 'declined', T + 302_000)
  expect(await store.createOffer({ brandId, convId: waiting, agentId: ana.id, offeredAt: T + 303_000, expiresAt: T + 333_000 })).toBe(true)
  await store.expireOffer(brandId, waiting, ana.id, T + 334_000)
  expect(await store.createOffer({ brandId, convId: waiting, agentId: ana.id, offeredAt: T + 335_000, expiresAt: T + 365_000 })).toBe(true)
  await store.createCannedReply({ brandId, replyId: id('cr_'), scope: 'brand', ownerAgentId: null, shortcut: 'hi', title: 'Hi', text: 'Hello', updatedAt: T })
  await store.createCannedReply({ brandId, replyId: id('cr_'), scope: 'personal', ownerAgentId: ana.id, shortcut: 'bye', title: 'Bye', text: 'Bye', updatedAt: T })
  const runId = id('mr_')
  await store.startMaskingRun(brandId, runId, T)
  const sessionId = id('s_')
  await store.createSession({ brandId, sessionId, agentId: ana.id, createdAt: T, lastSeenAt: T, expiresAt: T + 10 ** 9, revokedAt: null, address: null, userAgent: null })
  const keyId = id('k_')
  await store.createApiKey({
    brandId, keyId, name: 'reports', scopes: ['reports:read'], keyHash: id('kh_'), prefix: 'sk_x', createdAt: T, lastUsedAt: null,
    expiresAt: null, revokedAt: null, createdBy: `agent:${ana.id}`, replacedBy: null,
  })
  await store.appendAudit([{ brandId, at: T, actor: { kind: 'agent', id: ana.id }, action: 'conversation.read', resource: { type: 'conversation', id: closed }, outcome: 'ok', code: null, address: null, detail: {} }])
  await store.setSecurityConfig(brandId, { addresses: 'none' })
  await store.setPrivacyConfig(brandId, { transcriptRetentionDays: 30 })
  await store.addIdentitySecret({ brandId, secretId: id('is_'), secret: 'c2VjcmV0', createdAt: T })
  const customerId = id('cust_')
  await store.linkCustomer({ brandId, customerId, visitorId: v.id, newVisitorId: v.id, convIds: [], name: 'Vera', email: VERA, at: T })
  await store.recordConsent(brandId, v.id, { at: T, state: 'granted', source: 'widget' })
  await store.revokeTokenIds(brandId, [{ id: 'sid-a', until: T + 10 ** 9 }])
  const endpointId = id('whe_')
  await store.createWebhookEndpoint({
    brandId, endpointId, url: 'https://hooks.example/in', events: ['message.created'], description: '', enabled: true,
    secrets: [{ secret: 'whsec_AAAA', expiresAt: null }], createdAt: T,
  }, 20)
  const deliveryId = id('whd_')
  await store.enqueueWebhookDeliveries([{
    brandId, deliveryId, endpointId, eventId: id('evt_'), type: 'message.created', convId: closed, payload: '{}', status: 'pending', attempts: 0,
    nextAttemptAt: 8e12, lastStatus: null, lastError: null, createdAt: T, deliveredAt: null,
  }])
  const erasureId = id('er_')
  await store.createErasureRequest({
    brandId, requestId: erasureId, status: 'scheduled', selectorKind: 'visitorId', selector: { visitorId: v.id }, requestedAt: T, requestedBy: `agent:${ana.id}`,
    runAt: T + 10 ** 9, cancelledAt: null, receipt: null,
  })
  return { brandId, ana, email, v, closed, held, waiting, attachmentId, runId, sessionId, keyId, customerId, endpointId, deliveryId, erasureId }
}

describe.each(STORES)('$name store: brand isolation of every reader', (factory) => {
  let opened: OpenedStore
  let store: Store
  let a: Seeded
  let other = ''
  beforeAll(async () => {
    opened = await factory.create()
    store = opened.store
    a = await seedBrand(store, id('b_'))
    other = id('b_')
    await store.createBrand({ brandId: other, name: 'B', siteKey: id('site_'), allowedOrigins: [], apiKeyHash: id('hash_'), createdAt: 1 })
  })
  afterAll(async () => { await opened.dispose() })

  // [reader, its answer in `brandId`'s name about A's ids, what brand B must get].
  const readers: [string, (brandId: string) => Promise<unknown>, unknown][] = [
    ['getAgent', (b) => store.getAgent(b, a.ana.id), null],
    ['getAgentByEmail', (b) => store.getAgentByEmail(b, a.email), null],
    ['listAgents', (b) => store.listAgents(b, 10), []],
    ['listAgentStatuses', (b) => store.listAgentStatuses(b), []],
    ['getAgentStatus', (b) => store.getAgentStatus(b, a.ana.id), null],
    ['getAgentSettings', (b) => store.getAgentSettings(b, a.ana.id), null],
    ['countActiveChats', (b) => store.countActiveChats(b), {}],
    ['getConversation', (b) => store.getConversation(b, a.closed), null],
    ['listParticipantConversations of the visitor', (b) => store.listParticipantConversations(b, a.v, 50), []],
    ['listParticipantConversations of the agent', (b) => store.listParticipantConversations(b, a.ana, 50), []],
    ['listConversations', (b) => store.listConversations(b, {}), { conversations: [], next: null }],
    ['listConversations by words', (b) => store.listConversations(b, { q: 'pelican' }), { conversations: [], next: null }],
    ['listConversations by agent', (b) => store.listConversations(b, { agentId: a.ana.id }), { conversations: [], next: null }],
    ['isParticipant', (b) => store.isParticipant(b, a.closed, a.v), false],
    ['listConversationAgents', (b) => store.listConversationAgents(b, a.closed), []],
    ['listQueue', (b) => store.listQueue(b, 10), []],
    ['countQueue', (b) => store.countQueue(b), 0],
    ['countWaitingChats', (b) => store.countWaitingChats(b), 0],
    ['readMessages', (b) => store.readMessages(b, a.closed, 0, 100), []],
    ['getWidgetConfig', (b) => store.getWidgetConfig(b), {}],
    ['getMaskingConfig', (b) => store.getMaskingConfig(b), null],
    ['getRulesConfig', (b) => store.getRulesConfig(b), null],
    ['getBusinessHours', (b) => store.getBusinessHours(b), null],
    ['getRoutingConfig', (b) => store.getRoutingConfig(b), null],
    ['readRuleCounts', (b) => store.readRuleCounts(b, DAY, DAY), []],
    ['getSurveysConfig', (b) => store.getSurveysConfig(b), null],
    ['getSurveyVersion', (b) => store.getSurveyVersion(b, 'after', 1), null],
    ['latestSurveyVersions', async (b) => [...(await store.latestSurveyVersions(b)).keys()], []],
    ['listSurveyResponses', (b) => store.listSurveyResponses(b, a.closed), []],
    ['readReport', async (b) => (await store.readReport(b, { from: DAY, to: DAY })).total.chats, 0],
    ['getMaskingRun', (b) => store.getMaskingRun(b, a.runId), null],
    ...PHASES.map((phase): [string, (b: string) => Promise<unknown>, unknown] => [`readMaskingItems of ${phase}`, (b) => store.readMaskingItems(b, phase, 0, 100), []]),
    ['listPendingOffers', (b) => store.listPendingOffers(b), []],
    ['listOfferedAgents', (b) => store.listOfferedAgents(b, a.waiting, 0), []],
    ['listDeclinedAgents', (b) => store.listDeclinedAgents(b, a.waiting, 0), []],
    ['countMissedOffers', (b) => store.countMissedOffers(b, 0), {}],
    ['lastOfferTimes', (b) => store.lastOfferTimes(b), {}],
    ['recentWaits', (b) => store.recentWaits(b, 0, 10), []],
    ['listCannedReplies of the brand', (b) => store.listCannedReplies({ brandId: b, agentId: null }, {}), []],
    ['listCannedReplies of the agent', (b) => store.listCannedReplies({ brandId: b, agentId: a.ana.id }, {}), []],
    ['listNotes', (b) => store.listNotes(b, a.closed), []],
    ['getAttachment', (b) => store.getAttachment(b, a.attachmentId), null],
    ['getSession', (b) => store.getSession(b, a.sessionId), null],
    ['listSessions', (b) => store.listSessions(b, { activeAt: T }), []],
    ['listSessions of the agent', (b) => store.listSessions(b, { agentId: a.ana.id, activeAt: T }), []],
    ['getApiKey', (b) => store.getApiKey(b, a.keyId), null],
    ['listApiKeys', async (b) => (await store.listApiKeys(b)).filter((k) => k.keyId === a.keyId), []],
    ['listAudit', (b) => store.listAudit(b, { limit: 10 }), []],
    ['getSecurityConfig', (b) => store.getSecurityConfig(b), null],
    ['listIdentitySecrets', (b) => store.listIdentitySecrets(b), []],
    ['getCustomer', (b) => store.getCustomer(b, a.customerId), null],
    ['getCustomerByVisitor', (b) => store.getCustomerByVisitor(b, a.v.id), null],
    ['isTokenIdRevoked', (b) => store.isTokenIdRevoked(b, 'sid-a', T), false],
    ['findVisitorIds by visitor id', (b) => store.findVisitorIds(b, { visitorId: a.v.id }), []],
    ['findVisitorIds by customer id', (b) => store.findVisitorIds(b, { customerId: a.customerId }), []],
    ['findVisitorIds by e-mail', (b) => store.findVisitorIds(b, { email: VERA }), []],
    ['getVisitor', (b) => store.getVisitor(b, a.v.id), null],
    ['listVisitorConversations', (b) => store.listVisitorConversations(b, [a.v.id], null, 10), []],
    ['listConsentEvents', (b) => store.listConsentEvents(b, [a.v.id]), []],
    ['getPrivacyConfig', (b) => store.getPrivacyConfig(b), null],
    ['getErasureRequest', (b) => store.getErasureRequest(b, a.erasureId), null],
    ['listErasureRequests', (b) => store.listErasureRequests(b, 10), []],
    ['listExpiredConversations', (b) => store.listExpiredConversations(b, { chatClosedBefore: T + 10 ** 9, offlineCreatedBefore: T + 10 ** 9 }, 10), []],
    ['getWebhookEndpoint', (b) => store.getWebhookEndpoint(b, a.endpointId), null],
    ['listWebhookEndpoints', (b) => store.listWebhookEndpoints(b), []],
    ['getWebhookDelivery', (b) => store.getWebhookDelivery(b, a.deliveryId), null],
    ['listWebhookDeliveries', (b) => store.listWebhookDeliveries(b, a.endpointId, { before: null, limit: 10 }), []],
  ]

  it.each(readers)("%s in another brand's name finds nothing of brand A", async (_name, read, none) => {
    expect(await read(other)).toEqual(none)
  })

  it.each(readers)("%s in brand A's own name finds what A holds", async (_name, read, none) => {
    expect(await read(a.brandId)).not.toEqual(none)
  })

  it("claims an Idempotency-Key afresh in another brand's name", async () => {
    const claim = (brandId: string) => store.claimIdempotencyKey({ brandId, caller: 'brand' }, 'k1', 'fp', T, 0, 0)
    expect(await claim(a.brandId)).toEqual({ claimed: true })
    expect(await claim(other)).toEqual({ claimed: true })
    expect((await claim(a.brandId)).claimed).toBe(false)
  })

  it("changes nothing of brand A through writers called in another brand's name", async () => {
    expect(await store.markRead(other, a.closed, a.v, 5)).toBe(0)
    expect(await store.setLegalHold(other, a.closed, { reason: 'not theirs', at: T, by: 'agent:x' })).toBeNull()
    expect(await store.closeIdleConversations(other, T + 10 ** 9, T + 10 ** 9, 100)).toEqual([])
    expect(await store.updateVisitorContext(other, a.v.id, { url: 'https://evil.example/' })).toEqual([])
    expect(await store.assignConversation(other, a.waiting, a.ana.id, T, { onlyIfWaiting: true })).toEqual({ ok: false, code: 'PARLEY_ERR_CONV_NOT_FOUND' })
    expect(await store.endOffer(other, a.waiting, a.ana.id, 'declined', T)).toBeNull()
    expect(await store.setAttachmentThumbnail(other, a.attachmentId, 'thumb', 1, 1)).toBeNull()
    expect(await store.deleteCannedReply({ brandId: other, agentId: a.ana.id }, 'nothing')).toBe(false)
    expect(await store.setAgentAccess(other, a.ana.id, { active: false }, T)).toEqual({ ok: false, code: 'PARLEY_ERR_AGENT_NOT_FOUND' })
    expect(await store.revokeSession(other, a.sessionId, T)).toBeNull()
    expect(await store.revokeAgentSessions(other, a.ana.id, T)).toEqual([])
    expect(await store.updateApiKey(other, a.keyId, { revokedAt: T })).toBeNull()
    expect(await store.purgeAudit(other, T + 10 ** 9, 100)).toBe(0)
    expect(await store.updateWebhookEndpoint(other, a.endpointId, { enabled: false })).toBeNull()
    expect(await store.deleteWebhookEndpoint(other, a.endpointId)).toBe(false)
    expect(await store.recordWebhookAttempt(other, a.deliveryId, { leaseUntil: 8e12, at: T, status: 'failed', nextAttemptAt: null, httpStatus: null, error: 'timeout' })).toBe(false)
    expect(await store.getWebhookDelivery(a.brandId, a.deliveryId)).toMatchObject({ status: 'pending', attempts: 0 })
    const [secret] = await store.listIdentitySecrets(a.brandId)
    expect(await store.deleteIdentitySecret(other, secret!.secretId)).toBe(false)
    // The same customer and visitor ids in another brand are another customer: nothing of A moves.
    expect(await store.linkCustomer({ brandId: other, customerId: a.customerId, visitorId: id('v_'), newVisitorId: id('v_'), convIds: [], name: null, email: null, at: T })).toMatchObject({ moved: 0 })
    expect((await store.linkCustomer({ brandId: other, customerId: a.customerId, visitorId: a.v.id, newVisitorId: id('v_'), convIds: [a.closed, a.held], name: null, email: null, at: T })).customer.brandId).toBe(other)
    expect((await store.listParticipantConversations(a.brandId, a.v, 50)).length).toBe(2)
    expect((await store.getSession(a.brandId, a.sessionId))?.revokedAt).toBeNull()
    expect((await store.getApiKey(a.brandId, a.keyId))?.revokedAt).toBeNull()
    expect(await store.listAudit(a.brandId, { limit: 10 })).toHaveLength(1)
    expect(await store.listPendingOffers(a.brandId)).toHaveLength(1)
    expect(await store.getConversation(a.brandId, a.held)).toMatchObject({ status: 'open', assignedAgentId: a.ana.id })
    expect(await store.markRead(a.brandId, a.closed, a.v, 0)).toBe(2)
  })

  it("changes nothing of brand A through the data-rights writers called in another brand's name", async () => {
    expect(await store.eraseVisitor(other, a.v.id, T)).toEqual({ visitors: 0, customers: 0, consentEvents: 0, contexts: 0 })
    expect(await store.recordConsent(other, a.v.id, { at: T, state: 'denied', source: 'api' })).toEqual({ conversations: 0 })
    expect(await store.correctContact(other, [a.v.id], { name: 'Mallory', email: 'mallory@evil.example' })).toEqual({ conversations: 0, customers: 0, surveyResponses: 0 })
    expect(await store.correctSurveyAnswers(other, a.closed, 'after', { happy: 1 })).toBe(false)
    expect(await store.eraseConversations(other, [a.closed, a.held, a.waiting], T)).toMatchObject({ erased: [], held: [], blobKeys: [] })
    expect(await store.readMessages(a.brandId, a.closed, 0, 100)).toHaveLength(2)
    expect(await store.listNotes(a.brandId, a.closed)).toHaveLength(1)
    expect((await store.listSurveyResponses(a.brandId, a.closed))[0]?.answers).toEqual({ happy: 5 })
    expect(await store.getVisitor(a.brandId, a.v.id)).toMatchObject({ consent: 'granted', context: { url: 'https://shop.example/' } })
    expect(await store.listConsentEvents(a.brandId, [a.v.id])).toHaveLength(1)
    expect(await store.getCustomer(a.brandId, a.customerId)).toMatchObject({ name: 'Vera', email: VERA })
  })
})
