import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isErrorCode } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestAgent, type TestBrand } from '../helpers/brand.js'
import { callRest, type RestResponse } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'
import { sendAndAck, visitorOf } from '../helpers/tracked-clients.js'

// The REST edge under hostile input: every refusal is a typed error body with the table's status,
// and a refused request changes nothing.

const email = () => `${randomBytes(4).toString('hex')}@agents.example`
const PASSWORD = 'correct horse battery'

describe('REST', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  async function brandAndAgent(): Promise<{ brand: TestBrand; agent: TestAgent }> {
    const brand = await createTestBrand(relay)
    return { brand, agent: await createTestAgent(relay, brand.brandId) }
  }

  const login = (body: unknown) => callRest(relay, { method: 'POST', url: '/v1/agent/sessions', body })
  const createAgent = (token: string | undefined, body: unknown) => callRest(relay, { method: 'POST', url: '/v1/agents', token, body })

  /** Whether `address` can be used for a new agent of `brand` (i.e. no agent holds it yet). */
  async function expectEmailFree(brand: TestBrand, address: string): Promise<void> {
    const res = await createAgent(brand.apiKey, { email: address, name: 'Probe', password: PASSWORD })
    expect(res.status, res.raw).toBe(201)
  }

  describe('health', () => {
    it('answers /healthz with status ok and the protocol version', async () => {
      const res = await callRest(relay, { url: '/healthz' })
      expect(res.status).toBe(200)
      expect(res.body).toEqual({ status: 'ok', protocol: 1 })
    })

    it('answers /readyz with status ready and the protocol version', async () => {
      const res = await callRest(relay, { url: '/readyz' })
      expect(res.status).toBe(200)
      expect(res.body).toEqual({ status: 'ready', protocol: 1 })
    })
  })

  describe('request validation', () => {
    it('answers a malformed JSON body with 400 PARLEY_ERR_REQUEST_INVALID', async () => {
      expectErrorBody(await login('{"brandId":"b_1","email":'), 'PARLEY_ERR_REQUEST_INVALID')
    })

    it('answers a body that is not JSON with 415 PARLEY_ERR_REQUEST_MEDIA_TYPE', async () => {
      const res = await callRest(relay, { method: 'POST', url: '/v1/agent/sessions', headers: { 'content-type': 'text/plain' }, body: 'brandId=b_1' })
      expectErrorBody(res, 'PARLEY_ERR_REQUEST_MEDIA_TYPE')
    })

    it('answers an empty JSON body with 400 PARLEY_ERR_REQUEST_INVALID', async () => {
      const res = await callRest(relay, { method: 'POST', url: '/v1/agent/sessions', headers: { 'content-type': 'application/json' } })
      expectErrorBody(res, 'PARLEY_ERR_REQUEST_INVALID')
    })

    it('answers a body over the size limit with 413 PARLEY_ERR_REQUEST_TOO_LARGE', async () => {
      const { brand } = await brandAndAgent()
      const address = email()
      const res = await createAgent(brand.apiKey, { email: address, name: 'Big', password: 'p'.repeat(300 * 1024) })
      expectErrorBody(res, 'PARLEY_ERR_REQUEST_TOO_LARGE')
      await expectEmailFree(brand, address)
    })

    it.each([
      ['JSON null', null],
      ['a JSON array', [{ brandId: 'b_1', email: 'a@b.c', password: 'x' }]],
      ['a JSON string', '"hello"'],
      ['a missing password', { brandId: 'b_1', email: 'a@b.c' }],
      ['an extra property', { brandId: 'b_1', email: 'a@b.c', password: 'x', admin: true }],
      ['an object brandId', { brandId: { $ne: null }, email: 'a@b.c', password: 'x' }],
      ['an illegal brandId', { brandId: "b_1' OR '1'='1", email: 'a@b.c', password: 'x' }],
    ])('answers a login with %s with 400 PARLEY_ERR_REQUEST_INVALID', async (_name, body) => {
      expectErrorBody(await login(body), 'PARLEY_ERR_REQUEST_INVALID')
    })

    it("answers a login whose password is an array holding the right password with 400 PARLEY_ERR_REQUEST_INVALID", async () => {
      const { brand, agent } = await brandAndAgent()
      const res = await login({ brandId: brand.brandId, email: agent.email, password: [agent.password] })
      expectErrorBody(res, 'PARLEY_ERR_REQUEST_INVALID')
      expect(res.raw).not.toContain('token')
    })

    it.each([
      ['an extra property', (e: string) => ({ email: e, name: 'N', password: PASSWORD, brandId: 'b_other' })],
      ['a numeric name', (e: string) => ({ email: e, name: 12345, password: PASSWORD })],
      ['a boolean name', (e: string) => ({ email: e, name: true, password: PASSWORD })],
      ['a numeric password', (e: string) => ({ email: e, name: 'N', password: 123456789 })],
      ['an array name', (e: string) => ({ email: e, name: ['N'], password: PASSWORD })],
      ['an object name', (e: string) => ({ email: e, name: { first: 'N' }, password: PASSWORD })],
      ['a null name', (e: string) => ({ email: e, name: null, password: PASSWORD })],
      ['a short password', (e: string) => ({ email: e, name: 'N', password: 'short' })],
      ['an address without @', () => ({ email: 'not-an-address', name: 'N', password: PASSWORD })],
    ])('answers creating an agent with %s with 400 PARLEY_ERR_REQUEST_INVALID and creates nothing', async (_name, make) => {
      const { brand } = await brandAndAgent()
      const address = email()
      expectErrorBody(await createAgent(brand.apiKey, make(address)), 'PARLEY_ERR_REQUEST_INVALID')
      await expectEmailFree(brand, address)
    })

    it.each([
      ['limit=0'], ['limit=201'], ['limit=abc'], ['limit=1.5'], ['status=deleted'], ['visitorId=a%2Fb'], ['token=x'],
    ])('answers a listing with %s with 400 PARLEY_ERR_REQUEST_INVALID', async (query) => {
      const { brand } = await brandAndAgent()
      expectErrorBody(await callRest(relay, { url: `/v1/conversations?${query}`, token: brand.apiKey }), 'PARLEY_ERR_REQUEST_INVALID')
    })

    it.each([
      ['a space', 'a%20b'],
      ['an encoded slash', '..%2F..%2Fetc'],
      ['a quote', "c1'--"],
      ['65 characters', 'c'.repeat(65)],
    ])('answers a conversation id with %s with 400 PARLEY_ERR_REQUEST_INVALID', async (_name, id) => {
      const { brand } = await brandAndAgent()
      expectErrorBody(await callRest(relay, { url: `/v1/conversations/${id}/messages`, token: brand.apiKey }), 'PARLEY_ERR_REQUEST_INVALID')
    })

    it("answers SQL in the listing cursor with 400 PARLEY_ERR_REQUEST_INVALID and shows no other brand's conversations", async () => {
      const a = await createTestBrand(relay)
      const va = await visitorOf(relay, a)
      await sendAndAck(va.client, 'a-conv', 'm1', 'A')
      const b = await createTestBrand(relay)
      const before = encodeURIComponent(`${Date.now() + 60_000}.z' OR '1'='1`)
      const res = await callRest(relay, { url: `/v1/conversations?before=${before}`, token: b.apiKey })
      expectErrorBody(res, 'PARLEY_ERR_REQUEST_INVALID')
      expect(res.raw).not.toContain('a-conv')
    })
  })

  describe('routes', () => {
    it.each([
      ['GET', '/v1/nope'],
      ['GET', '/'],
      ['GET', '/v1/admin/brands'],
      ['DELETE', '/v1/conversations'],
      ['POST', '/v1/conversations/c1/messages'],
      ['PUT', '/v1/agents'],
    ] as const)('answers %s %s with 404 PARLEY_ERR_REQUEST_NOT_FOUND', async (method, url) => {
      const { brand } = await brandAndAgent()
      expectErrorBody(await callRest(relay, { method, url, token: brand.apiKey }), 'PARLEY_ERR_REQUEST_NOT_FOUND')
    })
  })

  it('gives every request its own random requestId', async () => {
    const { brand } = await brandAndAgent()
    const ids = new Set<unknown>()
    for (let i = 0; i < 5; i++) ids.add((await callRest(relay, { method: 'GET', url: '/v1/no-such-route', token: brand.apiKey })).body.requestId)
    expect(ids.size).toBe(5)
    for (const id of ids) expect(id).toMatch(/^req_[A-Za-z0-9_-]{16,}$/)
  })

  describe('agent login', () => {
    /** The body without its requestId, which differs per request by design. */
    const sansRequestId = (res: RestResponse) => ({ ...res.body, requestId: undefined })

    it('answers a wrong password with 401 PARLEY_ERR_AUTH_CREDENTIALS', async () => {
      const { brand, agent } = await brandAndAgent()
      expectErrorBody(await login({ brandId: brand.brandId, email: agent.email, password: 'wrong password' }), 'PARLEY_ERR_AUTH_CREDENTIALS')
    })

    it('answers an unknown e-mail with 401 PARLEY_ERR_AUTH_CREDENTIALS', async () => {
      const { brand } = await brandAndAgent()
      expectErrorBody(await login({ brandId: brand.brandId, email: email(), password: PASSWORD }), 'PARLEY_ERR_AUTH_CREDENTIALS')
    })

    it('answers an unknown brand with 401 PARLEY_ERR_AUTH_CREDENTIALS', async () => {
      const { agent } = await brandAndAgent()
      expectErrorBody(await login({ brandId: 'b_unknown', email: agent.email, password: agent.password }), 'PARLEY_ERR_AUTH_CREDENTIALS')
    })

    it("answers another brand's agent logging in under this brand with 401 PARLEY_ERR_AUTH_CREDENTIALS", async () => {
      const { agent } = await brandAndAgent()
      const other = await createTestBrand(relay)
      expectErrorBody(await login({ brandId: other.brandId, email: agent.email, password: agent.password }), 'PARLEY_ERR_AUTH_CREDENTIALS')
    })

    it('answers a wrong password, an unknown e-mail and an unknown brand with the same body', async () => {
      const { brand, agent } = await brandAndAgent()
      const wrongPassword = await login({ brandId: brand.brandId, email: agent.email, password: 'wrong password' })
      const unknownEmail = await login({ brandId: brand.brandId, email: email(), password: PASSWORD })
      const unknownBrand = await login({ brandId: 'b_unknown', email: agent.email, password: agent.password })
      expect(wrongPassword.status).toBe(401)
      expect(sansRequestId(unknownEmail)).toEqual(sansRequestId(wrongPassword))
      expect(sansRequestId(unknownBrand)).toEqual(sansRequestId(wrongPassword))
      expect(unknownEmail.status).toBe(wrongPassword.status)
      expect(unknownBrand.status).toBe(wrongPassword.status)
    })

    it('logs in with the right password and never returns the password hash', async () => {
      const { brand, agent } = await brandAndAgent()
      const res = await login({ brandId: brand.brandId, email: agent.email, password: agent.password })
      expect(res.status).toBe(200)
      expect(Object.keys(res.body).sort()).toEqual(['agent', 'expiresAt', 'sessionId', 'token'])
      expect(Object.keys(res.body.agent).sort()).toEqual(['active', 'agentId', 'brandId', 'capacity', 'createdAt', 'email', 'name', 'role', 'skills'])
      expect(res.raw).not.toMatch(/scrypt|passwordHash|password_hash/)
    })
  })

  describe('agent accounts', () => {
    it('creates an agent with the brand API key and returns no secret', async () => {
      const { brand } = await brandAndAgent()
      const res = await createAgent(brand.apiKey, { email: email(), name: 'New', password: PASSWORD })
      expect(res.status).toBe(201)
      expect(Object.keys(res.body).sort()).toEqual(['active', 'agentId', 'brandId', 'capacity', 'createdAt', 'email', 'name', 'role', 'skills'])
      expect(res.body.brandId).toBe(brand.brandId)
      expect(res.body).toMatchObject({ role: 'agent', active: true })
    })

    it('answers a duplicate agent e-mail with 409 PARLEY_ERR_TENANT_EXISTS', async () => {
      const { brand, agent } = await brandAndAgent()
      expectErrorBody(await createAgent(brand.apiKey, { email: agent.email, name: 'Twin', password: 'another password' }), 'PARLEY_ERR_TENANT_EXISTS')
      const res = await login({ brandId: brand.brandId, email: agent.email, password: 'another password' })
      expectErrorBody(res, 'PARLEY_ERR_AUTH_CREDENTIALS')
    })

    it('answers a duplicate agent e-mail in another letter case with 409 PARLEY_ERR_TENANT_EXISTS', async () => {
      const { brand, agent } = await brandAndAgent()
      expectErrorBody(await createAgent(brand.apiKey, { email: agent.email.toUpperCase(), name: 'Twin', password: PASSWORD }), 'PARLEY_ERR_TENANT_EXISTS')
    })

    it("creates an agent whose e-mail another brand's agent already uses", async () => {
      const { agent } = await brandAndAgent()
      const other = await createTestBrand(relay)
      const res = await createAgent(other.apiKey, { email: agent.email, name: 'Same address', password: PASSWORD })
      expect(res.status).toBe(201)
      expect(res.body.brandId).toBe(other.brandId)
    })

    it("answers a supervisor's token creating an agent with 403 PARLEY_ERR_AUTH_ROLE and creates nothing", async () => {
      const { brand, agent } = await brandAndAgent()
      const address = email()
      // Accounts are the admins' (accounts.manage); the test agent is a supervisor.
      expectErrorBody(await createAgent(agent.token, { email: address, name: 'Sneaky', password: PASSWORD }), 'PARLEY_ERR_AUTH_ROLE')
      await expectEmailFree(brand, address)
    })

    it('answers a visitor token creating an agent with 403 PARLEY_ERR_AUTH_FORBIDDEN and creates nothing', async () => {
      const { brand } = await brandAndAgent()
      const visitor = await visitorOf(relay, brand)
      const address = email()
      expectErrorBody(await createAgent(visitor.token, { email: address, name: 'Sneaky', password: PASSWORD }), 'PARLEY_ERR_AUTH_FORBIDDEN')
      await expectEmailFree(brand, address)
    })

    it('answers creating an agent without credentials with 401 PARLEY_ERR_AUTH_REQUIRED and creates nothing', async () => {
      const { brand } = await brandAndAgent()
      const address = email()
      expectErrorBody(await createAgent(undefined, { email: address, name: 'Anon', password: PASSWORD }), 'PARLEY_ERR_AUTH_REQUIRED')
      await expectEmailFree(brand, address)
    })

    it('answers the brand API key on an agent-only route with 403 PARLEY_ERR_AUTH_FORBIDDEN', async () => {
      const { brand } = await brandAndAgent()
      expectErrorBody(await callRest(relay, { url: '/v1/agents/me', token: brand.apiKey }), 'PARLEY_ERR_AUTH_FORBIDDEN')
    })
  })

  describe('agent list', () => {
    const list = (token: string | undefined) => callRest(relay, { url: '/v1/agents', token })

    it("lists the brand's agents by name, to the brand key and to its agents, with no secret and no e-mail", async () => {
      const brand = await createTestBrand(relay)
      const zoe = await createTestAgent(relay, brand.brandId, 'Zoe')
      const ana = await createTestAgent(relay, brand.brandId, 'Ana')
      for (const token of [brand.apiKey, zoe.token]) {
        const res = await list(token)
        expect(res.status, res.raw).toBe(200)
        expect(res.body.agents.map((a: { name: string }) => a.name)).toEqual(['Ana', 'Zoe'])
        expect(res.body.agents.map((a: { agentId: string }) => a.agentId)).toEqual([ana.agentId, zoe.agentId])
        expect(res.body.agents[0]).toEqual({ agentId: ana.agentId, name: 'Ana' })
        expect(res.raw).not.toMatch(/password|hash|scrypt|@/i)
      }
    })

    it("never shows another brand's agents, and refuses visitors and anonymous callers", async () => {
      const a = await brandAndAgent()
      const b = await brandAndAgent()
      const res = await list(b.agent.token)
      expect(res.body.agents.map((x: { agentId: string }) => x.agentId)).toEqual([b.agent.agentId])
      expect(res.raw).not.toContain(a.agent.agentId)
      const v = await visitorOf(relay, a.brand)
      expectErrorBody(await list(v.token), 'PARLEY_ERR_AUTH_FORBIDDEN')
      v.client.close()
      expectErrorBody(await list(undefined), 'PARLEY_ERR_AUTH_REQUIRED')
    })
  })

  describe('error bodies', () => {
    it('uses only codes from the error table, with the table status, across refusals', async () => {
      const { brand, agent } = await brandAndAgent()
      const responses = await Promise.all([
        callRest(relay, { url: '/v1/nope' }),
        callRest(relay, { url: '/v1/conversations' }),
        callRest(relay, { url: '/v1/conversations', token: 'garbage' }),
        callRest(relay, { url: '/v1/conversations/none', token: brand.apiKey }),
        callRest(relay, { url: '/v1/conversations?limit=0', token: brand.apiKey }),
        login({ brandId: brand.brandId, email: agent.email, password: 'nope nope' }),
        createAgent(agent.token, { email: email(), name: 'N', password: PASSWORD }),
        createAgent(brand.apiKey, { email: agent.email, name: 'N', password: PASSWORD }),
        login('{'),
      ])
      for (const res of responses) {
        expect(isErrorCode(res.body.code), res.raw).toBe(true)
        expectErrorBody(res, res.body.code)
      }
      expect(new Set(responses.map((r) => r.body.code)).size).toBe(8)
    })
  })
})
