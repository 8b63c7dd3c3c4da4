import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ErrorCode } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestAgent, type TestBrand } from '../helpers/brand.js'
import { TestClient } from '../helpers/ws-client.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody, expectRefusal } from '../helpers/expect-error.js'
import { decodeToken, forgeToken } from '../helpers/forge-token.js'
import { closeAfterTest, firstOf, sendAndAck, visitorOf } from '../helpers/tracked-clients.js'

// Tokens an attacker can present: forged, edited, re-labelled, expired, or of the wrong kind. Each is
// refused with its typed code on the socket (error frame, then the table's close code) and over REST.

const SECRET = Buffer.from('tokens-test-secret-tokens-test-secret!!')
const OTHER_SECRET = Buffer.from('not-the-relay-secret-not-the-relay-secret')

describe('tokens', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay({ tokenSecret: SECRET }) })
  afterAll(async () => { await relay.close() })

  /** Says hello as an agent with `token` and expects refusal with `code`. */
  async function agentHelloRefused(token: string, code: ErrorCode): Promise<void> {
    const client = closeAfterTest(await TestClient.connect(relay.wsUrl))
    client.send({ type: 'hello', protocol: 1, auth: { kind: 'agent', token }, ref: 'h' })
    expect((await firstOf(client, ['welcome', 'error'])).type).toBe('error')
    const err = await expectRefusal(client, code)
    expect(err.ref).toBe('h')
    expect(client.all('welcome')).toEqual([])
  }

  /** Says hello as a visitor of `brand` with `token` and expects refusal with `code`. */
  async function visitorHelloRefused(brand: TestBrand, token: string, code: ErrorCode): Promise<void> {
    const client = closeAfterTest(await TestClient.connect(`${relay.wsUrl}?site=${brand.siteKey}`))
    client.send({ type: 'hello', protocol: 1, auth: { kind: 'visitor', token } })
    expect((await firstOf(client, ['welcome', 'error'])).type).toBe('error')
    await expectRefusal(client, code)
    expect(client.all('welcome')).toEqual([])
  }

  async function brandAndAgent(): Promise<{ brand: TestBrand; agent: TestAgent }> {
    const brand = await createTestBrand(relay)
    return { brand, agent: await createTestAgent(relay, brand.brandId) }
  }

  /** The agent's token with its claims edited and the original signature kept. */
  function tampered(token: string, edit: (claims: Record<string, unknown>) => void): string {
    const { header, claims, signature } = decodeToken(token)
    edit(claims)
    return forgeToken({ header, claims, signature })
  }

  /** Claims of a live token, for re-signing in other ways. */
  function claimsOf(token: string): Record<string, unknown> {
    return decodeToken(token).claims
  }

  describe('on the socket', () => {
    it('refuses an agent token signed with another secret with PARLEY_ERR_AUTH_TOKEN_INVALID and close 4401', async () => {
      const { agent } = await brandAndAgent()
      await agentHelloRefused(forgeToken({ claims: claimsOf(agent.token), secret: OTHER_SECRET }), 'PARLEY_ERR_AUTH_TOKEN_INVALID')
    })

    it('refuses a visitor token signed with another secret with PARLEY_ERR_AUTH_TOKEN_INVALID and close 4401', async () => {
      const brand = await createTestBrand(relay)
      const v = await visitorOf(relay, brand)
      await visitorHelloRefused(brand, forgeToken({ claims: claimsOf(v.token), secret: OTHER_SECRET }), 'PARLEY_ERR_AUTH_TOKEN_INVALID')
    })

    it("refuses an agent token whose sub was changed to another agent's id", async () => {
      const { brand, agent } = await brandAndAgent()
      const other = await createTestAgent(relay, brand.brandId, 'Other')
      await agentHelloRefused(tampered(agent.token, (c) => { c.sub = other.agentId }), 'PARLEY_ERR_AUTH_TOKEN_INVALID')
    })

    it('refuses a visitor token whose sub was changed to another visitor', async () => {
      const brand = await createTestBrand(relay)
      const x = await visitorOf(relay, brand)
      const y = await visitorOf(relay, brand)
      await sendAndAck(y.client, 'y-conv', 'm1', 'Y private')
      await visitorHelloRefused(brand, tampered(x.token, (c) => { c.sub = y.visitorId }), 'PARLEY_ERR_AUTH_TOKEN_INVALID')
    })

    it('refuses a visitor token whose brand was changed to the site it is presented on', async () => {
      const a = await createTestBrand(relay)
      const b = await createTestBrand(relay)
      const vb = await visitorOf(relay, b)
      await visitorHelloRefused(a, tampered(vb.token, (c) => { c.brand = a.brandId }), 'PARLEY_ERR_AUTH_TOKEN_INVALID')
    })

    it('refuses an agent token whose expiry was pushed into the future', async () => {
      const { agent } = await brandAndAgent()
      await agentHelloRefused(tampered(agent.token, (c) => { c.exp = (c.exp as number) + 365 * 86400 }), 'PARLEY_ERR_AUTH_TOKEN_INVALID')
    })

    it('refuses an alg "none" agent token with an empty signature', async () => {
      const { agent } = await brandAndAgent()
      const token = forgeToken({ header: { alg: 'none', typ: 'JWT' }, claims: claimsOf(agent.token), signature: '' })
      await agentHelloRefused(token, 'PARLEY_ERR_AUTH_TOKEN_INVALID')
    })

    it('refuses an alg "none" agent token that keeps the genuine signature', async () => {
      const { agent } = await brandAndAgent()
      const { claims, signature } = decodeToken(agent.token)
      await agentHelloRefused(forgeToken({ header: { alg: 'none', typ: 'JWT' }, claims, signature }), 'PARLEY_ERR_AUTH_TOKEN_INVALID')
    })

    it('refuses an alg "HS512" agent token signed with the relay secret', async () => {
      const { agent } = await brandAndAgent()
      const token = forgeToken({ header: { alg: 'HS512', typ: 'JWT' }, claims: claimsOf(agent.token), secret: SECRET, hash: 'sha512' })
      await agentHelloRefused(token, 'PARLEY_ERR_AUTH_TOKEN_INVALID')
    })

    it('refuses an agent token whose header names no algorithm', async () => {
      const { agent } = await brandAndAgent()
      const token = forgeToken({ header: { typ: 'JWT' }, claims: claimsOf(agent.token), secret: SECRET })
      await agentHelloRefused(token, 'PARLEY_ERR_AUTH_TOKEN_INVALID')
    })

    it('refuses an agent token whose signature has characters outside base64url appended', async () => {
      const { agent } = await brandAndAgent()
      await agentHelloRefused(`${agent.token}!`, 'PARLEY_ERR_AUTH_TOKEN_INVALID')
    })

    it.each([
      ['a word', 'garbage'],
      ['three empty parts', '..'],
      ['three short parts', 'a.b.c'],
      ['a NUL character', '\u0000'],
      ['a header and payload of JSON null', `${Buffer.from('null').toString('base64url')}.${Buffer.from('null').toString('base64url')}.x`],
      ['2048 characters of noise', 'x'.repeat(2048)],
      ['a brand API key', `sk_${randomBytes(32).toString('base64url')}`],
    ])('refuses %s as an agent token with PARLEY_ERR_AUTH_TOKEN_INVALID', async (_name, token) => {
      await agentHelloRefused(token, 'PARLEY_ERR_AUTH_TOKEN_INVALID')
    })

    it.each([
      ['a word', 'garbage'],
      ['an empty string', ''],
      ['four parts', 'a.b.c.d'],
    ])('refuses %s as a visitor token with PARLEY_ERR_AUTH_TOKEN_INVALID', async (_name, token) => {
      const brand = await createTestBrand(relay)
      await visitorHelloRefused(brand, token, 'PARLEY_ERR_AUTH_TOKEN_INVALID')
    })

    it('refuses a genuine token with a fourth part appended', async () => {
      const { agent } = await brandAndAgent()
      await agentHelloRefused(`${agent.token}.${agent.token.split('.')[2]}`, 'PARLEY_ERR_AUTH_TOKEN_INVALID')
    })

    it('refuses an agent token presented as a visitor token', async () => {
      const { brand, agent } = await brandAndAgent()
      await visitorHelloRefused(brand, agent.token, 'PARLEY_ERR_AUTH_TOKEN_INVALID')
    })

    it('refuses a visitor token presented as an agent token', async () => {
      const brand = await createTestBrand(relay)
      const v = await visitorOf(relay, brand)
      await agentHelloRefused(v.token, 'PARLEY_ERR_AUTH_TOKEN_INVALID')
    })

    it('refuses a correctly signed agent token for an agent that does not exist', async () => {
      const brand = await createTestBrand(relay)
      const now = Math.floor(Date.now() / 1000)
      const token = forgeToken({ claims: { sub: 'a_ghost', brand: brand.brandId, kind: 'agent', iat: now, exp: now + 3600 }, secret: SECRET })
      await agentHelloRefused(token, 'PARLEY_ERR_AUTH_TOKEN_INVALID')
    })

    it("refuses a correctly signed agent token naming a real agent under another brand's id", async () => {
      const { agent } = await brandAndAgent()
      const other = await createTestBrand(relay)
      const token = forgeToken({ claims: { ...claimsOf(agent.token), brand: other.brandId }, secret: SECRET })
      await agentHelloRefused(token, 'PARLEY_ERR_AUTH_TOKEN_INVALID')
    })

    it('refuses a correctly signed token of an unknown kind', async () => {
      const { agent } = await brandAndAgent()
      const token = forgeToken({ claims: { ...claimsOf(agent.token), kind: 'admin' }, secret: SECRET })
      await agentHelloRefused(token, 'PARLEY_ERR_AUTH_TOKEN_INVALID')
    })

    it('takes no agent token from the URL query: frames before hello get PARLEY_ERR_PROTOCOL_HELLO_REQUIRED', async () => {
      const { agent } = await brandAndAgent()
      const url = `${relay.wsUrl}?token=${encodeURIComponent(agent.token)}&access_token=${encodeURIComponent(agent.token)}`
      const client = closeAfterTest(await TestClient.connect(url))
      client.send({ type: 'conversation.join', convId: 'anything' })
      await expectRefusal(client, 'PARLEY_ERR_PROTOCOL_HELLO_REQUIRED')
      expect(client.all('welcome')).toEqual([])
    })

    it('takes no visitor token from the URL query: a hello without one gets a new identity', async () => {
      const brand = await createTestBrand(relay)
      const x = await visitorOf(relay, brand)
      await sendAndAck(x.client, 'x-conv', 'm1', 'X private')
      const client = closeAfterTest(await TestClient.connect(`${relay.wsUrl}?site=${brand.siteKey}&token=${encodeURIComponent(x.token)}`))
      client.send({ type: 'hello', protocol: 1, auth: { kind: 'visitor' } })
      const welcome = await client.next('welcome')
      expect(welcome.identity.kind === 'visitor' && welcome.identity.visitorId).not.toBe(x.visitorId)
      expect(welcome.conversations).toEqual([])
    })
  })

  describe('over REST', () => {
    it('answers a request without credentials with 401 PARLEY_ERR_AUTH_REQUIRED', async () => {
      expectErrorBody(await callRest(relay, { url: '/v1/conversations' }), 'PARLEY_ERR_AUTH_REQUIRED')
    })

    it.each([
      ['a Basic scheme', 'Basic dXNlcjpwYXNz'],
      ['a lower-case bearer scheme', 'bearer abc'],
      ['a bearer with no credential', 'Bearer '],
      ['a credential with a space', 'Bearer a b'],
    ])('answers %s with 401 PARLEY_ERR_AUTH_REQUIRED', async (_name, authorization) => {
      expectErrorBody(await callRest(relay, { url: '/v1/conversations', headers: { authorization } }), 'PARLEY_ERR_AUTH_REQUIRED')
    })

    it('answers an agent token signed with another secret with 401 PARLEY_ERR_AUTH_TOKEN_INVALID', async () => {
      const { agent } = await brandAndAgent()
      const token = forgeToken({ claims: claimsOf(agent.token), secret: OTHER_SECRET })
      expectErrorBody(await callRest(relay, { url: '/v1/agents/me', token }), 'PARLEY_ERR_AUTH_TOKEN_INVALID')
    })

    it("answers a visitor token whose sub was changed with 401 PARLEY_ERR_AUTH_TOKEN_INVALID and shows no one's data", async () => {
      const brand = await createTestBrand(relay)
      const x = await visitorOf(relay, brand)
      const y = await visitorOf(relay, brand)
      await sendAndAck(y.client, 'y-conv', 'm1', 'Y private')
      const res = await callRest(relay, { url: '/v1/conversations', token: tampered(x.token, (c) => { c.sub = y.visitorId }) })
      expectErrorBody(res, 'PARLEY_ERR_AUTH_TOKEN_INVALID')
      expect(res.raw).not.toContain('y-conv')
    })

    it('answers an alg "none" token with 401 PARLEY_ERR_AUTH_TOKEN_INVALID', async () => {
      const { agent } = await brandAndAgent()
      const token = forgeToken({ header: { alg: 'none' }, claims: claimsOf(agent.token), signature: '' })
      expectErrorBody(await callRest(relay, { url: '/v1/agents/me', token }), 'PARLEY_ERR_AUTH_TOKEN_INVALID')
    })

    it('answers an alg "HS512" token with 401 PARLEY_ERR_AUTH_TOKEN_INVALID', async () => {
      const { agent } = await brandAndAgent()
      const token = forgeToken({ header: { alg: 'HS512', typ: 'JWT' }, claims: claimsOf(agent.token), secret: SECRET, hash: 'sha512' })
      expectErrorBody(await callRest(relay, { url: '/v1/agents/me', token }), 'PARLEY_ERR_AUTH_TOKEN_INVALID')
    })

    it('answers a token whose signature has characters outside base64url appended with 401 PARLEY_ERR_AUTH_TOKEN_INVALID', async () => {
      const { agent } = await brandAndAgent()
      expectErrorBody(await callRest(relay, { url: '/v1/agents/me', token: `${agent.token}~` }), 'PARLEY_ERR_AUTH_TOKEN_INVALID')
    })

    it.each([
      ['a word', 'garbage'],
      ['three short parts', 'a.b.c'],
      ['an unknown API key', `sk_${randomBytes(32).toString('base64url')}`],
    ])('answers %s with 401 PARLEY_ERR_AUTH_TOKEN_INVALID', async (_name, token) => {
      expectErrorBody(await callRest(relay, { url: '/v1/conversations', token }), 'PARLEY_ERR_AUTH_TOKEN_INVALID')
    })

    it('answers a correctly signed token for an unknown agent with 401 PARLEY_ERR_AUTH_TOKEN_INVALID and lists nothing', async () => {
      const brand = await createTestBrand(relay)
      const v = await visitorOf(relay, brand)
      await sendAndAck(v.client, 'conv-1', 'm1', 'hello')
      const now = Math.floor(Date.now() / 1000)
      const token = forgeToken({ claims: { sub: 'a_ghost', brand: brand.brandId, kind: 'agent', iat: now, exp: now + 3600 }, secret: SECRET })
      const res = await callRest(relay, { url: '/v1/conversations', token })
      expectErrorBody(res, 'PARLEY_ERR_AUTH_TOKEN_INVALID')
      expect(res.raw).not.toContain('conv-1')
    })

    it('answers a visitor token on an agent-only route with 403 PARLEY_ERR_AUTH_FORBIDDEN', async () => {
      const brand = await createTestBrand(relay)
      const v = await visitorOf(relay, brand)
      expectErrorBody(await callRest(relay, { url: '/v1/agents/me', token: v.token }), 'PARLEY_ERR_AUTH_FORBIDDEN')
    })

    it('takes no token from the URL query', async () => {
      const { agent } = await brandAndAgent()
      const res = await callRest(relay, { url: `/v1/agents/me?token=${encodeURIComponent(agent.token)}&access_token=${encodeURIComponent(agent.token)}` })
      expectErrorBody(res, 'PARLEY_ERR_AUTH_REQUIRED')
    })
  })
})
