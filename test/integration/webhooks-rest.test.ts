import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Value } from '@sinclair/typebox/value'
import { CreatedWebhookEndpoint, MAX_WEBHOOK_ENDPOINTS, WebhookEndpointList } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'

// The webhook endpoints over REST: admins and keys with webhooks:write manage them, the secret is
// shown once, every change is audited without secrets or URLs, and refusals are typed.

describe('/v1/webhooks', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay({ relay: { allowPrivateWebhookUrls: true } }) })
  afterAll(async () => { await relay.close() })

  const create = (brand: TestBrand, body: Record<string, unknown> = {}) =>
    callRest(relay, { method: 'POST', url: '/v1/webhooks', token: brand.apiKey, body: { url: 'https://hooks.example/in', events: ['message.created'], ...body } })
  const list = async (brand: TestBrand) => (await callRest(relay, { url: '/v1/webhooks', token: brand.apiKey })).body

  it('creates an endpoint, shows its secret once, and lists it without the secret', async () => {
    const brand = await createTestBrand(relay)
    const res = await create(brand, { description: 'CRM', events: ['conversation.opened', 'visitor.erased'] })
    expect(res.status, res.raw).toBe(201)
    expect(Value.Check(CreatedWebhookEndpoint, res.body)).toBe(true)
    expect(res.body.secret).toMatch(/^whsec_/)
    expect(res.body.endpoint).toMatchObject({ url: 'https://hooks.example/in', events: ['conversation.opened', 'visitor.erased'], description: 'CRM', enabled: true, previousSecretExpiresAt: null })
    const listed = await list(brand)
    expect(Value.Check(WebhookEndpointList, listed)).toBe(true)
    expect(listed.endpoints).toEqual([res.body.endpoint])
    expect(JSON.stringify(listed)).not.toContain(res.body.secret.slice(6))
    const one = await callRest(relay, { url: `/v1/webhooks/${res.body.endpoint.endpointId}`, token: brand.apiKey })
    expect(one.body).toEqual(res.body.endpoint)
  })

  it('changes an endpoint and deletes it; an unknown one is PARLEY_ERR_WEBHOOK_NOT_FOUND', async () => {
    const brand = await createTestBrand(relay)
    const { endpointId } = (await create(brand)).body.endpoint
    const patched = await callRest(relay, { method: 'PATCH', url: `/v1/webhooks/${endpointId}`, token: brand.apiKey, body: { enabled: false, events: ['survey.answered'] } })
    expect(patched.status, patched.raw).toBe(200)
    expect(patched.body).toMatchObject({ enabled: false, events: ['survey.answered'], url: 'https://hooks.example/in' })
    expect((await callRest(relay, { method: 'DELETE', url: `/v1/webhooks/${endpointId}`, token: brand.apiKey })).status).toBe(204)
    expect((await list(brand)).endpoints).toEqual([])
    for (const [method, url, body] of [
      ['GET', `/v1/webhooks/${endpointId}`], ['PATCH', `/v1/webhooks/${endpointId}`, { enabled: true }], ['DELETE', `/v1/webhooks/${endpointId}`],
      ['POST', `/v1/webhooks/${endpointId}/rotate-secret`, {}], ['GET', `/v1/webhooks/${endpointId}/deliveries`], ['POST', `/v1/webhooks/${endpointId}/test`],
    ] as const) {
      expectErrorBody(await callRest(relay, { method, url, token: brand.apiKey, ...(body ? { body } : {}) }), 'PARLEY_ERR_WEBHOOK_NOT_FOUND')
    }
    expectErrorBody(await callRest(relay, { method: 'POST', url: '/v1/webhooks/deliveries/whd_nope/replay', token: brand.apiKey }), 'PARLEY_ERR_WEBHOOK_DELIVERY_NOT_FOUND')
  })

  it('refuses an unknown event and an empty event list with PARLEY_ERR_REQUEST_INVALID', async () => {
    const brand = await createTestBrand(relay)
    expectErrorBody(await create(brand, { events: ['message.deleted'] }), 'PARLEY_ERR_REQUEST_INVALID')
    expectErrorBody(await create(brand, { events: [] }), 'PARLEY_ERR_REQUEST_INVALID')
    expectErrorBody(await create(brand, { events: ['webhook.test'] }), 'PARLEY_ERR_REQUEST_INVALID')
  })

  it(`refuses a brand's endpoint past ${MAX_WEBHOOK_ENDPOINTS} with PARLEY_ERR_WEBHOOK_LIMIT`, async () => {
    const brand = await createTestBrand(relay)
    for (let i = 0; i < MAX_WEBHOOK_ENDPOINTS; i++) expect((await create(brand)).status).toBe(201)
    expectErrorBody(await create(brand), 'PARLEY_ERR_WEBHOOK_LIMIT')
    expect((await list(brand)).endpoints).toHaveLength(MAX_WEBHOOK_ENDPOINTS)
  })

  it("keeps another brand's endpoints out of reach", async () => {
    const brand = await createTestBrand(relay)
    const other = await createTestBrand(relay)
    const { endpointId } = (await create(brand)).body.endpoint
    expect((await list(other)).endpoints).toEqual([])
    expectErrorBody(await callRest(relay, { method: 'DELETE', url: `/v1/webhooks/${endpointId}`, token: other.apiKey }), 'PARLEY_ERR_WEBHOOK_NOT_FOUND')
    expect((await list(brand)).endpoints).toHaveLength(1)
  })

  it('lets an admin manage endpoints but not a supervisor', async () => {
    const brand = await createTestBrand(relay)
    const admin = await createTestAgent(relay, brand.brandId, 'Admin', 'admin')
    const supervisor = await createTestAgent(relay, brand.brandId, 'Sup', 'supervisor')
    expect((await callRest(relay, { url: '/v1/webhooks', token: admin.token })).status).toBe(200)
    expectErrorBody(await callRest(relay, { url: '/v1/webhooks', token: supervisor.token }), 'PARLEY_ERR_AUTH_ROLE')
    expectErrorBody(await callRest(relay, { method: 'POST', url: '/v1/webhooks', token: supervisor.token, body: { url: 'https://hooks.example/in', events: ['message.created'] } }), 'PARLEY_ERR_AUTH_ROLE')
  })

  it('audits creation, change, rotation, deletion and a test ping with ids and field names, never the secret or URL', async () => {
    const brand = await createTestBrand(relay)
    const created = (await create(brand, { url: 'https://secret-path.example/hook-token-123' })).body
    const { endpointId } = created.endpoint
    await callRest(relay, { method: 'PATCH', url: `/v1/webhooks/${endpointId}`, token: brand.apiKey, body: { description: 'x' } })
    const rotated = (await callRest(relay, { method: 'POST', url: `/v1/webhooks/${endpointId}/rotate-secret`, token: brand.apiKey, body: {} })).body
    await callRest(relay, { method: 'POST', url: `/v1/webhooks/${endpointId}/test`, token: brand.apiKey })
    await callRest(relay, { method: 'DELETE', url: `/v1/webhooks/${endpointId}`, token: brand.apiKey })
    const entries = (await relay.deps.store.listAudit(brand.brandId, { limit: 50 })).filter((e) => e.action.startsWith('webhook.'))
    expect(entries.map((e) => [e.action, e.detail.change ?? e.detail.type])).toEqual([
      ['webhook.change', 'delete'], ['webhook.replay', 'webhook.test'], ['webhook.change', 'rotate-secret'], ['webhook.change', 'update'], ['webhook.change', 'create'],
    ])
    expect(entries.every((e) => e.resource?.type === 'webhook' && e.resource.id === endpointId)).toBe(true)
    const text = JSON.stringify(entries)
    for (const s of [created.secret.slice(6), rotated.secret.slice(6), 'secret-path', 'hook-token-123']) expect(text).not.toContain(s)
  })
})
