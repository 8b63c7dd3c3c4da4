import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestBrand, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'

// Deeply nested JSON is refused by the body parser, on every route, before anything recurses over it.

const deepArrays = (n: number) => '['.repeat(n) + ']'.repeat(n)
const deepObjects = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)

describe('JSON request bodies', () => {
  let relay: TestRelay
  let brand: TestBrand
  beforeAll(async () => {
    relay = await startRelay()
    brand = await createTestBrand(relay)
  })
  afterAll(async () => { await relay.close() })

  it.each([
    ['arrays', `{"texts":{"x!":${deepArrays(5000)}}}`],
    ['objects', `{"texts":{"x!":${deepObjects(5000)}}}`],
  ])('answers a widget config nesting 5,000 %s with 400 PARLEY_ERR_REQUEST_INVALID naming the depth, and stores nothing', async (_what, body) => {
    const res = await callRest(relay, { method: 'PUT', url: '/v1/widget-config', token: brand.apiKey, body })
    expectErrorBody(res, 'PARLEY_ERR_REQUEST_INVALID')
    expect(res.body.message).toMatch(/deeper than 32 levels/)
    expect((await callRest(relay, { url: `/v1/sites/${brand.siteKey}/config` })).body.widget).toEqual({})
  })

  it('refuses a bad body on a route\'s first request, naming the field (validators compile on first use)', async () => {
    const res = await callRest(relay, { method: 'POST', url: '/v1/agents', token: brand.apiKey, body: { email: 5, name: 'A', password: 'correct horse battery' } })
    expectErrorBody(res, 'PARLEY_ERR_REQUEST_INVALID')
    expect(res.body.message).toMatch(/email/)
    expect((await callRest(relay, { url: '/v1/agents', token: brand.apiKey })).body.agents).toEqual([])
  })

  it.each([
    ['POST', '/v1/agent/sessions'],
    ['POST', '/v1/agents'],
    ['PATCH', '/v1/widget-config'],
  ] as const)('answers %s %s with a deeply nested body with 400 PARLEY_ERR_REQUEST_INVALID', async (method, url) => {
    const res = await callRest(relay, { method, url, token: brand.apiKey, body: `{"email":${deepArrays(5000)}}` })
    expectErrorBody(res, 'PARLEY_ERR_REQUEST_INVALID')
    expect(res.body.message).toMatch(/deeper than 32 levels/)
  })

  it('still refuses a prototype-poisoning body with 400 PARLEY_ERR_REQUEST_INVALID', async () => {
    const res = await callRest(relay, { method: 'PUT', url: '/v1/widget-config', token: brand.apiKey, body: '{"__proto__":{"tracking":"off"}}' })
    expectErrorBody(res, 'PARLEY_ERR_REQUEST_INVALID')
  })
})
