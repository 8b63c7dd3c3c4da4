import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestBrand, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'

// The relay compiles each route's validators and serialisers on the route's first request
// (plugins/lazy-compilers.ts). Every schema must still compile, and a route's first request must be
// checked and answered as strictly as any later one.

describe('route schemas compiled on first use', () => {
  let relay: TestRelay
  let brand: TestBrand
  beforeAll(async () => {
    relay = await startRelay()
    brand = await createTestBrand(relay)
  })
  afterAll(async () => { await relay.close() })

  it('refuses a bad body on a route\'s first request, naming the field', async () => {
    const res = await callRest(relay, { method: 'POST', url: '/v1/agents', token: brand.apiKey, body: { email: 5, name: 'A', password: 'correct horse battery' } })
    expectErrorBody(res, 'PARLEY_ERR_REQUEST_INVALID')
    expect(res.body.message).toMatch(/email/)
    expect((await callRest(relay, { url: '/v1/agents', token: brand.apiKey })).body.agents).toEqual([])
  })

  it('compiles every other route\'s schemas without an error, once', () => {
    // About 120 routes, most with a body or query schema and one or more response schemas.
    expect(relay.app.parleyCompileSchemas()).toBeGreaterThan(150)
    expect(relay.app.parleyCompileSchemas()).toBe(0)
  })
})
