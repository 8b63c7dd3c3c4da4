import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'
import { TestClient } from '../helpers/ws-client.js'

// The offline message form over a real relay: POST /v1/sites/:siteKey/offline-messages makes an
// offline conversation with the contact, stores the message masked like a chat message, is
// idempotent on clientMsgId, and shows up live in the agents' console.

describe('POST /v1/sites/:siteKey/offline-messages', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  let n = 0
  const form = (over: Record<string, unknown> = {}) => ({
    name: 'Ada Lovelace', email: 'ada@example.com', message: 'Please call me back about my order', clientMsgId: `om-${++n}`, ...over,
  })
  const post = (brand: TestBrand, body: unknown, headers: Record<string, string> = {}) =>
    callRest(relay, { method: 'POST', url: `/v1/sites/${brand.siteKey}/offline-messages`, body, headers: { origin: brand.origin, ...headers } })
  const conversation = (brand: TestBrand, convId: string) => callRest(relay, { url: `/v1/conversations/${convId}`, token: brand.apiKey })
  const messages = (brand: TestBrand, convId: string) => callRest(relay, { url: `/v1/conversations/${convId}/messages`, token: brand.apiKey })

  it('creates an open, unassigned offline conversation with the contact and the message as seq 1', async () => {
    const brand = await createTestBrand(relay)
    const res = await post(brand, form({ context: { url: 'https://shop.example/pricing', title: 'Pricing' }, ruleId: 'after-hours' }))
    expect(res.status).toBe(201)
    expect(res.headers['access-control-allow-origin']).toBe('*')
    expect(res.body).toEqual({ convId: expect.any(String), at: expect.any(Number) })
    const conv = await conversation(brand, res.body.convId)
    expect(conv.body).toMatchObject({
      origin: 'offline', contact: { name: 'Ada Lovelace', email: 'ada@example.com' }, status: 'open', assignedAgentId: null, lastSeq: 1,
      context: { url: 'https://shop.example/pricing', title: 'Pricing', ruleId: 'after-hours' },
    })
    const stored = await messages(brand, res.body.convId)
    expect(stored.body.messages).toEqual([expect.objectContaining({
      seq: 1, text: 'Please call me back about my order', from: { kind: 'visitor', id: conv.body.visitorId },
    })])
    const listed = await callRest(relay, { url: '/v1/conversations', token: brand.apiKey })
    expect(listed.body.conversations).toEqual([expect.objectContaining({ convId: res.body.convId, origin: 'offline' })])
  })

  it('masks a card number before it is stored, as a chat message is', async () => {
    const brand = await createTestBrand(relay)
    const res = await post(brand, form({ message: 'My card 4111 1111 1111 1111 was charged twice' }))
    expect(res.status).toBe(201)
    const text: string = (await messages(brand, res.body.convId)).body.messages[0].text
    expect(text).not.toMatch(/4111/)
    expect(text).toMatch(/charged twice/)
    const search = await callRest(relay, { url: '/v1/conversations?q=4111', token: brand.apiKey })
    expect(search.body.conversations).toEqual([])
  })

  it('masks a card number in the contact name and e-mail, and keeps the e-mail address', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const { client } = await TestClient.agent(relay.wsUrl, agent.token)
    const res = await post(brand, form({ name: 'Ada 4111 1111 1111 1111', email: '4111111111111111@example.com' }))
    expect(res.status).toBe(201)
    const opened = await client.next('conversation.opened', (f) => f.convId === res.body.convId)
    const contact = (await conversation(brand, res.body.convId)).body.contact as { name: string; email: string }
    for (const shown of [contact, opened.contact!]) {
      expect(JSON.stringify(shown)).not.toMatch(/4111/)
      expect(shown.name).toMatch(/^Ada /)
      expect(shown.email).toMatch(/@example\.com$/)
    }
    const plain = await post(brand, form())
    expect((await conversation(brand, plain.body.convId)).body.contact).toEqual({ name: 'Ada Lovelace', email: 'ada@example.com' })
    client.ws.close()
  })

  it('answers a retry with the same clientMsgId with the same conversation and stores nothing new', async () => {
    const brand = await createTestBrand(relay)
    const body = form()
    const first = await post(brand, body)
    const again = await post(brand, body)
    expect(again.status).toBe(201)
    expect(again.body).toEqual(first.body)
    const listed = await callRest(relay, { url: '/v1/conversations', token: brand.apiKey })
    expect(listed.body.conversations).toHaveLength(1)
    expect((await messages(brand, first.body.convId)).body.messages).toHaveLength(1)
  })

  it('makes it the visitor\'s conversation when a visitor token comes with it', async () => {
    const brand = await createTestBrand(relay)
    const { client, welcome } = await TestClient.visitor(relay.wsUrl, brand.siteKey, { origin: brand.origin })
    const identity = welcome.identity as { visitorId: string; token: string }
    client.ws.close()
    const res = await post(brand, form(), { authorization: `Bearer ${identity.token}` })
    expect(res.status).toBe(201)
    expect((await conversation(brand, res.body.convId)).body.visitorId).toBe(identity.visitorId)
    const back = await TestClient.visitor(relay.wsUrl, brand.siteKey, { origin: brand.origin, token: identity.token })
    expect(back.welcome.conversations.map((c) => c.convId)).toContain(res.body.convId)
    back.client.ws.close()
  })

  it('refuses an agent token, and a visitor token of another brand', async () => {
    const brand = await createTestBrand(relay)
    const other = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    expectErrorBody(await post(brand, form(), { authorization: `Bearer ${agent.token}` }), 'PARLEY_ERR_AUTH_FORBIDDEN')
    const { client, welcome } = await TestClient.visitor(relay.wsUrl, other.siteKey, { origin: other.origin })
    client.ws.close()
    const token = (welcome.identity as { token: string }).token
    expectErrorBody(await post(brand, form(), { authorization: `Bearer ${token}` }), 'PARLEY_ERR_AUTH_TOKEN_INVALID')
    expect((await callRest(relay, { url: '/v1/conversations', token: brand.apiKey })).body.conversations).toEqual([])
  })

  it('shows the conversation live to a connected agent, marked offline with the contact', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const { client } = await TestClient.agent(relay.wsUrl, agent.token)
    const res = await post(brand, form({ message: 'Are you open on Sunday?' }))
    const opened = await client.next('conversation.opened', (f) => f.convId === res.body.convId)
    expect(opened).toMatchObject({ origin: 'offline', contact: { name: 'Ada Lovelace', email: 'ada@example.com' }, preview: 'Are you open on Sunday?' })
    client.send({ type: 'queue.list', ref: 'q1' })
    const queue = await client.next('queue.listed', (f) => f.ref === 'q1')
    expect(queue.conversations).toEqual([expect.objectContaining({
      convId: res.body.convId, origin: 'offline', contact: { name: 'Ada Lovelace', email: 'ada@example.com' },
    })])
    client.ws.close()
  })

  it('stores script in the name and message as plain text', async () => {
    const brand = await createTestBrand(relay)
    const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    const res = await post(brand, form({ name: hostile, message: `${hostile} hello` }))
    expect(res.status).toBe(201)
    expect((await conversation(brand, res.body.convId)).body.contact.name).toBe(hostile)
    expect((await messages(brand, res.body.convId)).body.messages[0].text).toBe(`${hostile} hello`)
  })

  it('refuses oversized and malformed forms with typed errors and stores nothing', async () => {
    const brand = await createTestBrand(relay)
    expectErrorBody(await post(brand, form({ message: 'x'.repeat(4001) })), 'PARLEY_ERR_REQUEST_INVALID')
    expectErrorBody(await post(brand, form({ email: 'not an address' })), 'PARLEY_ERR_REQUEST_INVALID')
    expectErrorBody(await post(brand, form({ name: '' })), 'PARLEY_ERR_REQUEST_INVALID')
    expectErrorBody(await post(brand, form({ visitorId: 'v_chosen' })), 'PARLEY_ERR_REQUEST_INVALID')
    expectErrorBody(await post(brand, form({ message: ' \n\t ' })), 'PARLEY_ERR_MESSAGE_EMPTY')
    expectErrorBody(await post(brand, JSON.stringify({ ...form(), pad: 'x'.repeat(300 * 1024) })), 'PARLEY_ERR_REQUEST_TOO_LARGE')
    expect((await callRest(relay, { url: '/v1/conversations', token: brand.apiKey })).body.conversations).toEqual([])
  })

  it('lets a page of the brand send the form cross-origin (CORS preflight)', async () => {
    const brand = await createTestBrand(relay)
    const res = await callRest(relay, {
      method: 'OPTIONS', url: `/v1/sites/${brand.siteKey}/offline-messages`,
      headers: { origin: brand.origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    })
    expect(res.status).toBe(204)
    expect(res.headers['access-control-allow-origin']).toBe(brand.origin)
    expect(String(res.headers['access-control-allow-headers']).toLowerCase()).toContain('content-type')
  })

  it('refuses a page on an origin the brand does not allow, and an unknown site key', async () => {
    const brand = await createTestBrand(relay)
    expectErrorBody(await post(brand, form(), { origin: 'https://evil.example' }), 'PARLEY_ERR_TENANT_ORIGIN')
    expectErrorBody(await callRest(relay, { method: 'POST', url: '/v1/sites/nope/offline-messages', body: form() }), 'PARLEY_ERR_TENANT_SITE_KEY')
  })
})

describe('offline messages and the new-conversation limit', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay({ limits: { ipConversationsPerMinute: 3 } }) })
  afterAll(async () => { await relay.close() })

  it('counts each offline conversation against the per-address limit, and a retry not at all', async () => {
    const brand = await createTestBrand(relay)
    const post = (clientMsgId: string) => callRest(relay, {
      method: 'POST', url: `/v1/sites/${brand.siteKey}/offline-messages`, headers: { origin: brand.origin },
      body: { name: 'N', email: 'n@example.com', message: 'hello', clientMsgId },
    })
    for (const id of ['a1', 'a2', 'a3']) expect((await post(id)).status).toBe(201)
    // A retry of one already stored opens nothing, so it is answered even at the limit.
    expect((await post('a2')).status).toBe(201)
    const refused = await post('a4')
    expectErrorBody(refused, 'PARLEY_ERR_LIMIT_CONVERSATIONS')
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1)
    const listed = await callRest(relay, { url: '/v1/conversations', token: brand.apiKey })
    expect(listed.body.conversations).toHaveLength(3)
  })
})

describe('offline message log lines', () => {
  const lines: string[] = []
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay({ logStream: { write: (line) => { lines.push(line) } } }) })
  afterAll(async () => { await relay.close() })

  it('carry ids and lengths, never the name, e-mail, message or the visitor token', async () => {
    const brand = await createTestBrand(relay)
    const { client, welcome } = await TestClient.visitor(relay.wsUrl, brand.siteKey, { origin: brand.origin })
    client.ws.close()
    const token = (welcome.identity as { token: string }).token
    lines.length = 0
    const res = await callRest(relay, {
      method: 'POST', url: `/v1/sites/${brand.siteKey}/offline-messages`, headers: { origin: brand.origin, authorization: `Bearer ${token}` },
      body: { name: 'NAME-NEVER-IN-LOGS', email: 'never-in-logs@example.com', message: 'MESSAGE-NEVER-IN-LOGS', clientMsgId: 'log-1' },
    })
    expect(res.status).toBe(201)
    const logged = lines.join('')
    expect(logged).toContain(res.body.convId)
    for (const secret of ['NAME-NEVER-IN-LOGS', 'never-in-logs', 'MESSAGE-NEVER-IN-LOGS', token]) expect(logged).not.toContain(secret)
  })
})

