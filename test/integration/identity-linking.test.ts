import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SignJWT } from 'jose'
import type { Welcome } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { createIdentitySecret } from '../helpers/identity-secret.js'
import { expectRefusal } from '../helpers/expect-error.js'
import { connectAgent, connectVisitor, frameOf, openAndJoin, type VisitorTab } from '../helpers/delivery-chat.js'

// What identifying brings along: the visit's open conversation, never the browser's earlier closed
// chats (someone else may have had them); and a verified customer identifying as another is a
// switch that ends the first one's visit and shows the second none of the first one's chats.

type VisitorIdentity = Extract<Welcome['identity'], { kind: 'visitor' }>

describe('linking a visitor to a customer', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  let n = 0
  function sign(brand: TestBrand, secret: string, sub: string): Promise<string> {
    const iat = Math.floor(Date.now() / 1000)
    // A jti per token: two signed in one second would otherwise be the same token.
    return new SignJWT({ sub, aud: brand.brandId, iat, exp: iat + 300, jti: `t${++n}` }).setProtectedHeader({ alg: 'HS256' }).sign(Buffer.from(secret, 'base64url'))
  }

  async function identify(tab: VisitorTab, token: string, ref: string): Promise<VisitorIdentity> {
    tab.client.send({ type: 'visitor.identify', token, ref })
    const f = await frameOf(tab.client, 'visitor.identified', (x) => x.ref === ref)
    expect(await tab.client.closed()).toBe(1000)
    return f.identity
  }

  it('brings the open conversation into the customer\'s history, not the browser\'s earlier closed chats', async () => {
    const brand = await createTestBrand(relay)
    const secret = await createIdentitySecret(relay, brand)
    const agent = await connectAgent(relay, await createTestAgent(relay, brand.brandId, 'Dana'))
    const tab = await connectVisitor(relay, brand)
    await openAndJoin(tab.client, agent.client, 'conv-earlier')
    tab.client.send({ type: 'conversation.close', convId: 'conv-earlier', ref: 'close-1' })
    await frameOf(tab.client, 'conversation.closed', (f) => f.convId === 'conv-earlier')
    await openAndJoin(tab.client, agent.client, 'conv-now')
    const id = await identify(tab, await sign(brand, secret, 'cust-new'), 'id-1')
    expect(id.visitorId).not.toBe(tab.visitorId)
    const back = await connectVisitor(relay, brand, { token: id.token })
    expect(back.welcome.conversations.map((c) => c.convId)).toEqual(['conv-now'])
    // The earlier chat stays the browser's anonymous visitor's.
    const anon = await callRest(relay, { url: `/v1/conversations?visitorId=${tab.visitorId}`, token: brand.apiKey })
    expect(anon.status, anon.raw).toBe(200)
    expect(anon.body.conversations.map((c: { convId: string }) => c.convId)).toEqual(['conv-earlier'])
  })

  it('switches from customer A to B without forget: A\'s visit ends, B sees none of A\'s chats', async () => {
    const brand = await createTestBrand(relay)
    const secret = await createIdentitySecret(relay, brand)
    const agent = await connectAgent(relay, await createTestAgent(relay, brand.brandId, 'Dana'))
    const first = await connectVisitor(relay, brand)
    await openAndJoin(first.client, agent.client, 'conv-a')
    const a = await identify(first, await sign(brand, secret, 'cust-a'), 'id-a')
    const asA = await connectVisitor(relay, brand, { token: a.token })
    const otherTabOfA = await connectVisitor(relay, brand, { token: a.token })
    expect(asA.welcome.conversations.map((c) => c.convId)).toEqual(['conv-a'])
    const b = await identify(asA, await sign(brand, secret, 'cust-b'), 'id-b')
    expect(b.customer).toMatchObject({ customerId: 'cust-b' })
    expect(b.visitorId).not.toBe(a.visitorId)
    // A's visit ended as a logout would: its other tab is closed and its token says hello no more.
    await expectRefusal(otherTabOfA.client, 'PARLEY_ERR_AUTH_SESSION_REVOKED')
    const asB = await connectVisitor(relay, brand, { token: b.token })
    expect(asB.welcome.identity).toMatchObject({ visitorId: b.visitorId, customer: { customerId: 'cust-b' } })
    expect(asB.welcome.conversations).toEqual([])
    // A's history is still A's, on their next login.
    const again = await connectVisitor(relay, brand)
    const a2 = await identify(again, await sign(brand, secret, 'cust-a'), 'id-a2')
    expect(a2.visitorId).toBe(a.visitorId)
    const backA = await connectVisitor(relay, brand, { token: a2.token })
    expect(backA.welcome.conversations.map((c) => c.convId)).toEqual(['conv-a'])
  })
})
