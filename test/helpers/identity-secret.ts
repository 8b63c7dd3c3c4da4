import { expect } from 'vitest'
import type { TestBrand } from './brand.js'
import { callRest } from './rest.js'
import type { TestRelay } from './start-relay.js'

/** A new identity-signing secret for `brand`, made through the REST API. */
export async function createIdentitySecret(relay: Pick<TestRelay, 'app'>, brand: TestBrand): Promise<string> {
  const res = await callRest(relay, { method: 'POST', url: '/v1/identity/secrets', token: brand.apiKey })
  expect(res.status, res.raw).toBe(201)
  return res.body.secret
}
