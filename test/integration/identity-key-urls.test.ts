import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'

// A brand's JWKS URL is fetched by the relay, so by default it may not point at the relay's own
// machine or network: http and loopback, private or link-local address literals are refused at save.

describe('identity key URLs on a relay that allows no private ones', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  it.each(['http://127.0.0.1:8080/jwks.json', 'http://localhost:8080/jwks.json', 'https://169.254.169.254/latest/jwks', 'https://10.0.0.8/jwks', 'https://[::1]/jwks'])(
    'refuses %s with PARLEY_ERR_IDENTITY_KEY_INVALID and saves nothing', async (jwksUrl) => {
      const brand = await createTestBrand(relay)
      const res = await callRest(relay, { method: 'PUT', url: '/v1/security', token: brand.apiKey, body: { identity: { jwksUrl } } })
      expectErrorBody(res, 'PARLEY_ERR_IDENTITY_KEY_INVALID')
      const saved = await callRest(relay, { url: '/v1/security', token: brand.apiKey })
      expect(saved.body.identity?.jwksUrl).toBeUndefined()
    })
})
