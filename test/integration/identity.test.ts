import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type JWK } from 'jose'
import type { ErrorCode, IdentitySettings, Welcome } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody, expectRefusal } from '../helpers/expect-error.js'
import { connectAgent, connectVisitor, frameOf, openAndJoin, sendAndAck, type VisitorTab } from '../helpers/delivery-chat.js'
import { TestClient } from '../helpers/ws-client.js'

// Verified visitor identity on a real relay, with real ws clients and tokens signed by jose as a
// brand's server would: each refusal is typed and changes nothing; a valid token makes the visitor
// the customer's (their history on any device, the open chat kept), and logging out ends the visit.

type VisitorIdentity = Extract<Welcome['identity'], { kind: 'visitor' }>

describe('verified visitor identity', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay({ relay: { allowPrivateKeyUrls: true } }) })
  afterAll(async () => { await relay.close() })

  const nowS = () => Math.floor(Date.now() / 1000)

  async function createSecret(brand: TestBrand): Promise<{ secretId: string; secret: string }> {
    const res = await callRest(relay, { method: 'POST', url: '/v1/identity/secrets', token: brand.apiKey })
    expect(res.status, res.raw).toBe(201)
    return res.body
  }

  function sign(secret: string, claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}, brandId?: string): Promise<string> {
    const iat = nowS()
    return new SignJWT({ sub: 'cust-1', aud: brandId, iat, exp: iat + 300, name: 'Ada Lovelace', email: 'ada@example.com', ...claims })
      .setProtectedHeader({ alg: 'HS256', ...header })
      .sign(Buffer.from(secret, 'base64url'))
  }

  /** Sends visitor.identify and waits for visitor.identified, then the normal close. */
  async function identify(tab: VisitorTab, token: string, ref = 'id-1'): Promise<VisitorIdentity & { customer: NonNullable<VisitorIdentity['customer']> }> {
    tab.client.send({ type: 'visitor.identify', token, ref })
    const f = await frameOf(tab.client, 'visitor.identified', (x) => x.ref === ref)
    expect(await tab.client.closed()).toBe(1000)
    return f.identity
  }

  /** Sends visitor.identify with a token that must be refused with `code`: the socket stays open and nothing changed. */
  async function refused(tab: VisitorTab, token: string, code: ErrorCode): Promise<void> {
    tab.client.send({ type: 'visitor.identify', token, ref: `bad-${code}` })
    const frame = await expectRefusal(tab.client, code)
    expect(frame.ref).toBe(`bad-${code}`)
    expect(tab.client.all('visitor.identified')).toEqual([])
    expect(await relay.deps.store.getCustomerByVisitor(tab.welcome.identity.brandId, tab.visitorId)).toBeNull()
  }

  async function setIdentitySettings(brand: TestBrand, identity: IdentitySettings): Promise<void> {
    const res = await callRest(relay, { method: 'PUT', url: '/v1/security', token: brand.apiKey, body: { identity } })
    expect(res.status, res.raw).toBe(200)
  }

  it('manages at most two secrets, shown once, and refuses an unknown one by id', async () => {
    const brand = await createTestBrand(relay)
    const a = await createSecret(brand)
    expect(Buffer.from(a.secret, 'base64url')).toHaveLength(32)
    const b = await createSecret(brand)
    const third = await callRest(relay, { method: 'POST', url: '/v1/identity/secrets', token: brand.apiKey })
    expectErrorBody(third, 'PARLEY_ERR_IDENTITY_SECRET_LIMIT')
    const list = await callRest(relay, { url: '/v1/identity/secrets', token: brand.apiKey })
    expect(list.body.secrets.map((s: { secretId: string }) => s.secretId)).toEqual([a.secretId, b.secretId])
    expect(list.raw).not.toContain(a.secret)
    expectErrorBody(await callRest(relay, { method: 'DELETE', url: '/v1/identity/secrets/is_nope', token: brand.apiKey }), 'PARLEY_ERR_IDENTITY_SECRET_NOT_FOUND')
    expect((await callRest(relay, { method: 'DELETE', url: `/v1/identity/secrets/${a.secretId}`, token: brand.apiKey })).status).toBe(204)
    expect((await callRest(relay, { url: '/v1/identity/secrets', token: brand.apiKey })).body.secrets).toHaveLength(1)
  })

  it('refuses every bad token with its typed error and changes nothing', async () => {
    const brand = await createTestBrand(relay)
    const other = await createTestBrand(relay)
    const tab = await connectVisitor(relay, brand)
    // No keys yet.
    const { secret } = await createSecret(other)
    await refused(tab, await sign(secret, {}, {}, brand.brandId), 'PARLEY_ERR_IDENTITY_NOT_CONFIGURED')
    const mine = await createSecret(brand)
    const rsa = await generateKeyPair('RS256')
    const pem = await exportSPKI(rsa.publicKey)
    const raw = (header: object, payload: object, key: string | Buffer) => {
      const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
      const input = `${enc(header)}.${enc(payload)}`
      return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`
    }
    const base = { sub: 'cust-1', aud: brand.brandId, iat: nowS(), exp: nowS() + 300 }
    const cases: [string, ErrorCode][] = [
      [`${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(base)).toString('base64url')}.`, 'PARLEY_ERR_IDENTITY_ALGORITHM'],
      [raw({ alg: 'HS256' }, base, pem), 'PARLEY_ERR_IDENTITY_INVALID'],
      [await sign(secret, {}, {}, brand.brandId), 'PARLEY_ERR_IDENTITY_INVALID'],
      [await sign(mine.secret, { iat: nowS() - 400, exp: nowS() - 100 }, {}, brand.brandId), 'PARLEY_ERR_IDENTITY_EXPIRED'],
      [await sign(mine.secret, { nbf: nowS() + 300 }, {}, brand.brandId), 'PARLEY_ERR_IDENTITY_NOT_YET_VALID'],
      [await sign(mine.secret, { iat: nowS() + 300, exp: nowS() + 500 }, {}, brand.brandId), 'PARLEY_ERR_IDENTITY_NOT_YET_VALID'],
      [await sign(mine.secret, { iat: nowS() - 3000, exp: nowS() + 60 }, {}, brand.brandId), 'PARLEY_ERR_IDENTITY_EXPIRED'],
      [await sign(mine.secret, { exp: nowS() + 7200 }, {}, brand.brandId), 'PARLEY_ERR_IDENTITY_CLAIM'],
      [await sign(mine.secret, {}, {}, other.brandId), 'PARLEY_ERR_IDENTITY_CLAIM'],
      [await sign(mine.secret, { sub: undefined }, {}, brand.brandId), 'PARLEY_ERR_IDENTITY_CLAIM'],
    ]
    for (const [token, code] of cases) await refused(tab, token, code)
    await setIdentitySettings(brand, { issuer: 'https://shop.example' })
    await refused(tab, await sign(mine.secret, { iss: 'https://evil.example' }, {}, brand.brandId), 'PARLEY_ERR_IDENTITY_CLAIM')
  })

  it('refuses visitor.identify and visitor.forget from an agent', async () => {
    const brand = await createTestBrand(relay)
    const agent = await connectAgent(relay, await createTestAgent(relay, brand.brandId, 'Dana'))
    agent.client.send({ type: 'visitor.identify', token: 'x.y.z', ref: 'a1' })
    expect((await agent.client.error('PARLEY_ERR_PROTOCOL_ROLE')).ref).toBe('a1')
    agent.client.send({ type: 'visitor.forget', ref: 'a2' })
    expect((await agent.client.error('PARLEY_ERR_PROTOCOL_ROLE')).ref).toBe('a2')
  })

  it('a client claiming "verified" in its context changes nothing', async () => {
    const brand = await createTestBrand(relay)
    const tab = await connectVisitor(relay, brand, { context: { values: { verified: true, customerId: 'cust-1', email: 'ada@example.com' } } })
    expect(tab.welcome.identity).not.toHaveProperty('customer')
    expect(await relay.deps.store.getCustomerByVisitor(brand.brandId, tab.visitorId)).toBeNull()
    const again = await connectVisitor(relay, brand, { token: tab.token })
    expect(again.welcome.identity).not.toHaveProperty('customer')
  })

  it('identifies mid-chat: the open conversation comes along, no message lost or doubled, the agent sees the customer', async () => {
    const brand = await createTestBrand(relay)
    const { secret } = await createSecret(brand)
    const agent = await connectAgent(relay, await createTestAgent(relay, brand.brandId, 'Dana'))
    const tab = await connectVisitor(relay, brand)
    await openAndJoin(tab.client, agent.client, 'conv-mid')
    await sendAndAck(tab.client, 'conv-mid', 'm2', 'before one')
    // Sent right before identify, not awaited: frame order commits it before the visitor moves.
    tab.client.send({ type: 'message.send', convId: 'conv-mid', clientMsgId: 'm3', text: 'before two' })
    const id = await identify(tab, await sign(secret, {}, {}, brand.brandId))
    expect(id.customer).toMatchObject({ customerId: 'cust-1', name: 'Ada Lovelace', email: 'ada@example.com' })
    expect(tab.client.all('message.ack', (a) => a.clientMsgId === 'm3')).toHaveLength(1)
    const back = await connectVisitor(relay, brand, { token: id.token })
    expect(back.welcome.identity).toMatchObject({ visitorId: id.visitorId, customer: { customerId: 'cust-1' } })
    expect(back.welcome.conversations.map((c) => c.convId)).toContain('conv-mid')
    await sendAndAck(back.client, 'conv-mid', 'm4', 'after')
    await frameOf(agent.client, 'message.new', (m) => m.clientMsgId === 'm4')
    const msgs = await callRest(relay, { url: '/v1/conversations/conv-mid/messages', token: brand.apiKey })
    expect(msgs.status, msgs.raw).toBe(200)
    expect(msgs.body.messages.map((m: { clientMsgId: string }) => m.clientMsgId)).toEqual(['conv-mid-first', 'm2', 'm3', 'm4'])
    // A second agent joining sees who the brand says the visitor is.
    const agent2 = await connectAgent(relay, await createTestAgent(relay, brand.brandId, 'Sam'))
    agent2.client.send({ type: 'conversation.join', convId: 'conv-mid', ref: 'j2' })
    const joined = await frameOf(agent2.client, 'conversation.joined', (f) => f.ref === 'j2')
    expect(joined.customer).toMatchObject({ customerId: 'cust-1', name: 'Ada Lovelace' })
  })

  it('a second browser identifying as the same customer sees the first one\'s conversations, and brings its own', async () => {
    const brand = await createTestBrand(relay)
    const { secret } = await createSecret(brand)
    const agent = await connectAgent(relay, await createTestAgent(relay, brand.brandId, 'Dana'))
    const first = await connectVisitor(relay, brand)
    await openAndJoin(first.client, agent.client, 'conv-laptop')
    const one = await identify(first, await sign(secret, { sub: 'cust-7' }, {}, brand.brandId))
    const second = await connectVisitor(relay, brand)
    expect(second.welcome.conversations).toEqual([])
    await openAndJoin(second.client, agent.client, 'conv-phone')
    const two = await identify(second, await sign(secret, { sub: 'cust-7' }, {}, brand.brandId), 'id-2')
    expect(two.visitorId).toBe(one.visitorId)
    const phone = await connectVisitor(relay, brand, { token: two.token })
    expect(phone.welcome.conversations.map((c) => c.convId).sort()).toEqual(['conv-laptop', 'conv-phone'])
    phone.client.send({ type: 'conversation.list', ref: 'l1' })
    const listed = await frameOf(phone.client, 'conversation.listed', (f) => f.ref === 'l1')
    expect(listed.conversations.map((c) => c.convId).sort()).toEqual(['conv-laptop', 'conv-phone'])
    const laptop = await connectVisitor(relay, brand, { token: one.token })
    expect(laptop.welcome.conversations.map((c) => c.convId).sort()).toEqual(['conv-laptop', 'conv-phone'])
  })

  it('forget ends the visit: its token is refused on hello and the identity token replayed is IDENTITY_REVOKED', async () => {
    const brand = await createTestBrand(relay)
    const { secret } = await createSecret(brand)
    const tab = await connectVisitor(relay, brand)
    const token = await sign(secret, { sub: 'cust-9' }, {}, brand.brandId)
    const id = await identify(tab, token)
    const back = await connectVisitor(relay, brand, { token: id.token })
    const otherTab = await connectVisitor(relay, brand, { token: id.token })
    back.client.send({ type: 'visitor.forget', ref: 'bye' })
    await frameOf(back.client, 'visitor.forgotten', (f) => f.ref === 'bye')
    expect(await back.client.closed()).toBe(1000)
    // The same visit's other tab is closed at once (visitor-session-ended, on every node), and its token says hello no more.
    await expectRefusal(otherTab.client, 'PARLEY_ERR_AUTH_SESSION_REVOKED')
    const client = await TestClient.connect(`${relay.wsUrl}?site=${encodeURIComponent(brand.siteKey)}`)
    client.send({ type: 'hello', protocol: 1, auth: { kind: 'visitor', token: id.token } })
    await expectRefusal(client, 'PARLEY_ERR_AUTH_SESSION_REVOKED')
    const fresh = await connectVisitor(relay, brand)
    fresh.client.send({ type: 'visitor.identify', token, ref: 'replay' })
    await expectRefusal(fresh.client, 'PARLEY_ERR_IDENTITY_REVOKED')
    // A new login with a new token works again, and finds the customer.
    const again = await identify(fresh, await sign(secret, { sub: 'cust-9', jti: 'second' }, {}, brand.brandId), 'id-3')
    expect(again.visitorId).toBe(id.visitorId)
  })

  it('an anonymous visitor may forget too: its token is refused from then on', async () => {
    const brand = await createTestBrand(relay)
    const tab = await connectVisitor(relay, brand)
    tab.client.send({ type: 'visitor.forget', ref: 'bye' })
    await frameOf(tab.client, 'visitor.forgotten')
    const client = await TestClient.connect(`${relay.wsUrl}?site=${encodeURIComponent(brand.siteKey)}`)
    client.send({ type: 'hello', protocol: 1, auth: { kind: 'visitor', token: tab.token } })
    await expectRefusal(client, 'PARLEY_ERR_AUTH_SESSION_REVOKED')
  })

  it('rotates keys: two secrets valid at once, the deleted one refused', async () => {
    const brand = await createTestBrand(relay)
    const oldKey = await createSecret(brand)
    const newKey = await createSecret(brand)
    const t1 = await connectVisitor(relay, brand)
    await identify(t1, await sign(oldKey.secret, { sub: 'r1' }, { kid: oldKey.secretId }, brand.brandId))
    const t2 = await connectVisitor(relay, brand)
    await identify(t2, await sign(newKey.secret, { sub: 'r2' }, {}, brand.brandId))
    expect((await callRest(relay, { method: 'DELETE', url: `/v1/identity/secrets/${oldKey.secretId}`, token: brand.apiKey })).status).toBe(204)
    const t3 = await connectVisitor(relay, brand)
    await refused(t3, await sign(oldKey.secret, { sub: 'r3' }, {}, brand.brandId), 'PARLEY_ERR_IDENTITY_INVALID')
    await refused(t3, await sign(oldKey.secret, { sub: 'r3' }, { kid: oldKey.secretId }, brand.brandId), 'PARLEY_ERR_IDENTITY_INVALID')
    await identify(t3, await sign(newKey.secret, { sub: 'r3' }, { kid: newKey.secretId }, brand.brandId))
  })

  describe('ES256 and RS256 from a JWKS URL', () => {
    let server: Server
    let jwksUrl: string
    const keys: JWK[] = []
    let es: Awaited<ReturnType<typeof generateKeyPair>>
    let rs: Awaited<ReturnType<typeof generateKeyPair>>
    beforeAll(async () => {
      es = await generateKeyPair('ES256')
      rs = await generateKeyPair('RS256')
      keys.push({ ...(await exportJWK(es.publicKey)), kid: 'es', alg: 'ES256', use: 'sig' }, { ...(await exportJWK(rs.publicKey)), kid: 'rs', alg: 'RS256', use: 'sig' })
      server = createServer((_req, res) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ keys })) })
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
      jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`
    })
    afterAll(async () => { await new Promise((r) => server.close(r)) })

    it('verifies both algorithms, and refuses an HS256 token against them', async () => {
      const brand = await createTestBrand(relay)
      await setIdentitySettings(brand, { jwksUrl, audience: 'shop.example' })
      const asym = (alg: 'ES256' | 'RS256', kid: string, key: CryptoKey, sub: string) =>
        new SignJWT({ name: 'Grace' }).setProtectedHeader({ alg, kid }).setSubject(sub).setAudience('shop.example').setIssuedAt().setExpirationTime('5m').sign(key)
      const a = await connectVisitor(relay, brand)
      expect((await identify(a, await asym('ES256', 'es', es.privateKey, 'g-1'))).customer).toMatchObject({ customerId: 'g-1', name: 'Grace' })
      const b = await connectVisitor(relay, brand)
      expect((await identify(b, await asym('RS256', 'rs', rs.privateKey, 'g-2'))).customer.customerId).toBe('g-2')
      const c = await connectVisitor(relay, brand)
      const pem = await exportSPKI(rs.publicKey)
      const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
      const input = `${enc({ alg: 'HS256', kid: 'rs' })}.${enc({ sub: 'g-3', aud: 'shop.example', iat: nowS(), exp: nowS() + 60 })}`
      await refused(c, `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`, 'PARLEY_ERR_IDENTITY_ALGORITHM')
    })

    it('says IDENTITY_KEYS_UNAVAILABLE when the key set cannot be fetched', async () => {
      const brand = await createTestBrand(relay)
      await setIdentitySettings(brand, { jwksUrl: 'http://127.0.0.1:1/jwks.json' })
      const tab = await connectVisitor(relay, brand)
      const token = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'es' }).setSubject('g').setAudience(brand.brandId).setIssuedAt().setExpirationTime('5m').sign(es.privateKey)
      await refused(tab, token, 'PARLEY_ERR_IDENTITY_KEYS_UNAVAILABLE')
    })
  })
})
