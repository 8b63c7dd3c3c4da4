import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'
import { until } from '../helpers/until.js'
import { startWebhookReceiver } from '../helpers/webhook-receiver.js'

// A brand must not make the relay post to this machine or the operator's networks: such URLs are
// refused when saved, and an address found private when a delivery connects (a name that resolves
// to one) fails the attempt without a request being made. The operator's switch lifts both.

describe('webhook URLs and private addresses', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay({ relay: { webhooks: { pollMs: 10 } } }) })
  afterAll(async () => { await relay.close() })

  const create = (apiKey: string, url: string) => callRest(relay, { method: 'POST', url: '/v1/webhooks', token: apiKey, body: { url, events: ['message.created'] } })

  it.each([
    ['loopback over http', 'http://127.0.0.1:8080/hooks', 'https is required'],
    ['loopback over https', 'https://127.0.0.1/hooks', 'private or loopback'],
    ['a private network', 'https://10.1.2.3/hooks', 'private or loopback'],
    ['link-local (cloud metadata)', 'https://169.254.169.254/latest', 'private or loopback'],
    ['IPv6 loopback', 'https://[::1]/hooks', 'private or loopback'],
    ['IPv4 loopback written as IPv6', 'https://[::ffff:127.0.0.1]/hooks', 'private or loopback'],
    ['a name for this machine', 'https://localhost/hooks', 'private or loopback'],
    ['a name that does not resolve', 'https://nowhere.invalid/hooks', 'does not resolve'],
    ['plain http to a public name', 'http://example.com/hooks', 'https is required'],
    ['credentials in the URL', 'https://user:pw@hooks.example/in', 'credentials'],
  ])('refuses %s with PARLEY_ERR_WEBHOOK_URL_REFUSED and stores nothing', async (_what, url, why) => {
    const brand = await createTestBrand(relay)
    const res = await create(brand.apiKey, url)
    expectErrorBody(res, 'PARLEY_ERR_WEBHOOK_URL_REFUSED')
    expect(res.body.message).toContain(why)
    expect((await callRest(relay, { url: '/v1/webhooks', token: brand.apiKey })).body.endpoints).toEqual([])
  })

  it('refuses a private URL in a change too', async () => {
    const brand = await createTestBrand(relay)
    const id = 'whe_direct'
    await relay.deps.store.createWebhookEndpoint({
      brandId: brand.brandId, endpointId: id, url: 'https://hooks.example/in', events: ['message.created'], description: '', enabled: true,
      secrets: [{ secret: 'whsec_AAAA', expiresAt: null }], createdAt: 1,
    }, 20)
    expectErrorBody(await callRest(relay, { method: 'PATCH', url: `/v1/webhooks/${id}`, token: brand.apiKey, body: { url: 'https://192.168.1.1/' } }), 'PARLEY_ERR_WEBHOOK_URL_REFUSED')
    expect((await relay.deps.store.getWebhookEndpoint(brand.brandId, id))!.url).toBe('https://hooks.example/in')
  })

  it('fails an attempt to a name that resolves to loopback when it connects, and sends nothing', async () => {
    const hooks = await startWebhookReceiver()
    onTestFinished(() => hooks.close())
    const brand = await createTestBrand(relay)
    const port = new URL(hooks.url).port
    // Saved before the check could see it (a name that resolved to a public address then).
    await relay.deps.store.createWebhookEndpoint({
      brandId: brand.brandId, endpointId: 'whe_rebind', url: `https://localhost:${port}/hooks`, events: ['message.created'], description: '',
      enabled: true, secrets: [{ secret: 'whsec_AAAA', expiresAt: null }], createdAt: 1,
    }, 20)
    expect((await callRest(relay, { method: 'POST', url: '/v1/webhooks/whe_rebind/test', token: brand.apiKey })).status).toBe(201)
    const [d] = await until(async () => {
      const ds = (await callRest(relay, { url: '/v1/webhooks/whe_rebind/deliveries', token: brand.apiKey })).body.deliveries
      return ds[0]?.attempts === 1 && ds
    }, 'the refused attempt')
    expect(d).toMatchObject({ status: 'pending', lastError: 'address_refused', lastStatus: null })
    expect(hooks.received).toEqual([])
  })
})

describe('webhook URLs when the operator allows private addresses', () => {
  it('accepts http to loopback', async () => {
    const relay = await startRelay({ relay: { allowPrivateWebhookUrls: true } })
    onTestFinished(() => relay.close())
    const brand = await createTestBrand(relay)
    const res = await callRest(relay, { method: 'POST', url: '/v1/webhooks', token: brand.apiKey, body: { url: 'http://127.0.0.1:9/hooks', events: ['message.created'] } })
    expect(res.status, res.raw).toBe(201)
  })
})
