import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SignJWT } from 'jose'
import type { Welcome } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestBrand, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { createIdentitySecret } from '../helpers/identity-secret.js'
import { expectRefusal } from '../helpers/expect-error.js'
import { connectVisitor, frameOf, type VisitorTab } from '../helpers/delivery-chat.js'

// Logging out ends the whole visit: every identity token any tab of it verified with is refused
// afterwards, however many there were (the store records them under the visit's sid at identify).

type VisitorIdentity = Extract<Welcome['identity'], { kind: 'visitor' }>

describe('ending a verified visit', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  function sign(brand: TestBrand, secret: string, jti: string): Promise<string> {
    const iat = Math.floor(Date.now() / 1000)
    return new SignJWT({ sub: 'cust-v', aud: brand.brandId, iat, exp: iat + 300, jti })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(Buffer.from(secret, 'base64url'))
  }

  /** `closes`: false when the visit is already this customer's (the relay then keeps the socket). */
  async function identify(tab: VisitorTab, token: string, ref: string, closes = true): Promise<VisitorIdentity> {
    tab.client.send({ type: 'visitor.identify', token, ref })
    const f = await frameOf(tab.client, 'visitor.identified', (x) => x.ref === ref)
    if (closes) expect(await tab.client.closed()).toBe(1000)
    else expect(f.identity.visitorId).toBe(tab.visitorId)
    return f.identity
  }

  async function forget(brand: TestBrand, visitorToken: string): Promise<void> {
    const tab = await connectVisitor(relay, brand, { token: visitorToken })
    tab.client.send({ type: 'visitor.forget', ref: 'bye' })
    await frameOf(tab.client, 'visitor.forgotten', (f) => f.ref === 'bye')
  }

  async function expectReplayRefused(brand: TestBrand, token: string, ref: string): Promise<void> {
    const fresh = await connectVisitor(relay, brand)
    fresh.client.send({ type: 'visitor.identify', token, ref })
    expect((await expectRefusal(fresh.client, 'PARLEY_ERR_IDENTITY_REVOKED')).ref).toBe(ref)
  }

  it('refuses all five identity tokens of a visit that identified five times', async () => {
    const brand = await createTestBrand(relay)
    const secret = await createIdentitySecret(relay, brand)
    const tokens: string[] = []
    let visitorToken: string | undefined
    for (let i = 0; i < 5; i++) {
      // Each page load of the visit identifies again with a fresh token.
      const tab = await connectVisitor(relay, brand, visitorToken ? { token: visitorToken } : {})
      const token = await sign(brand, secret, `load-${i}`)
      tokens.push(token)
      visitorToken = (await identify(tab, token, `id-${i}`, i === 0)).token
    }
    await forget(brand, visitorToken!)
    for (const [i, token] of tokens.entries()) await expectReplayRefused(brand, token, `replay-${i}`)
  })

  it('refuses the tokens of both tabs of one visit when one of them logs out', async () => {
    const brand = await createTestBrand(relay)
    const secret = await createIdentitySecret(relay, brand)
    const first = await connectVisitor(relay, brand)
    // The second tab of the same browser: the same visitor token, so the same visit.
    const second = await connectVisitor(relay, brand, { token: first.token })
    const tokenA = await sign(brand, secret, 'tab-a')
    const tokenB = await sign(brand, secret, 'tab-b')
    const idA = await identify(first, tokenA, 'id-a')
    await identify(second, tokenB, 'id-b')
    await forget(brand, idA.token)
    await expectReplayRefused(brand, tokenA, 'replay-a')
    await expectReplayRefused(brand, tokenB, 'replay-b')
  })
})
