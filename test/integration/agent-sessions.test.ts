import { scryptSync } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Value } from '@sinclair/typebox/value'
import { AccountList, SessionList } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestAgent, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody, expectRefusal } from '../helpers/expect-error.js'
import { closeAfterTest } from '../helpers/tracked-clients.js'
import { TestClient } from '../helpers/ws-client.js'
import { until } from '../helpers/until.js'

// Agent sessions and accounts: signing out and an admin's revocation refuse the token at once over
// REST and hello; deactivation ends every session and refuses login; the last admin stays; a role
// change takes effect on the very next request; a password hashed with older parameters is hashed
// again at its next sign-in.

describe('agent sessions and accounts', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  const me = (token: string) => callRest(relay, { url: '/v1/agents/me', token })
  const login = (brand: TestBrand, agent: TestAgent) =>
    callRest(relay, { method: 'POST', url: '/v1/agent/sessions', body: { brandId: brand.brandId, email: agent.email, password: agent.password } })
  async function hello(token: string): Promise<TestClient> {
    const client = closeAfterTest(await TestClient.connect(relay.wsUrl))
    client.send({ type: 'hello', protocol: 1, auth: { kind: 'agent', token } })
    return client
  }
  const patch = (brand: TestBrand, agentId: string, body: Record<string, unknown>, token = brand.apiKey) =>
    callRest(relay, { method: 'PATCH', url: `/v1/agents/${agentId}`, token, body })

  it('signs out: the token is refused over REST and hello with PARLEY_ERR_AUTH_SESSION_REVOKED', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    expect((await me(agent.token)).status).toBe(200)
    expect((await callRest(relay, { method: 'DELETE', url: '/v1/agent/sessions/current', token: agent.token })).status).toBe(204)
    expectErrorBody(await me(agent.token), 'PARLEY_ERR_AUTH_SESSION_REVOKED')
    await expectRefusal(await hello(agent.token), 'PARLEY_ERR_AUTH_SESSION_REVOKED')
    // Another session of the same agent still works.
    const again = await login(brand, agent)
    expect((await me(again.body.token)).status).toBe(200)
  })

  it('closes the live connection of a signed-out session, and only that one', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const other = (await login(brand, agent)).body.token as string
    const signedOut = closeAfterTest((await TestClient.agent(relay.wsUrl, agent.token)).client)
    const kept = closeAfterTest((await TestClient.agent(relay.wsUrl, other)).client)
    expect((await callRest(relay, { method: 'DELETE', url: '/v1/agent/sessions/current', token: agent.token })).status).toBe(204)
    await expectRefusal(signedOut, 'PARLEY_ERR_AUTH_SESSION_REVOKED')
    kept.send({ type: 'ping' })
    expect(await kept.next('pong')).toBeDefined()
  })

  it("closes every live connection of an account when it is deactivated", async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId, 'Agent', 'agent')
    const live = closeAfterTest((await TestClient.agent(relay.wsUrl, agent.token)).client)
    expect((await patch(brand, agent.agentId, { active: false })).status).toBe(200)
    // Its own code, not SESSION_REVOKED: the console tells the agent the account was deactivated.
    await expectRefusal(live, 'PARLEY_ERR_AUTH_ACCOUNT_INACTIVE')
  })

  it("lists one's own working sessions, marking the current one", async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const second = (await login(brand, agent)).body as { token: string; sessionId: string }
    const res = await callRest(relay, { url: '/v1/agent/sessions', token: second.token })
    expect(Value.Check(SessionList, res.body), res.raw).toBe(true)
    expect(res.body.sessions).toHaveLength(2)
    expect(res.body.sessions.filter((s: { current: boolean }) => s.current).map((s: { sessionId: string }) => s.sessionId)).toEqual([second.sessionId])
    await callRest(relay, { method: 'DELETE', url: '/v1/agent/sessions/current', token: agent.token })
    const after = await callRest(relay, { url: '/v1/agent/sessions', token: second.token })
    expect(after.body.sessions.map((s: { sessionId: string }) => s.sessionId)).toEqual([second.sessionId])
  })

  it("lets an admin list an agent's sessions and revoke one, refused at once", async () => {
    const brand = await createTestBrand(relay)
    const admin = await createTestAgent(relay, brand.brandId, 'Admin', 'admin')
    const agent = await createTestAgent(relay, brand.brandId, 'Agent', 'agent')
    const listed = await callRest(relay, { url: `/v1/sessions?agentId=${agent.agentId}`, token: admin.token })
    expect(Value.Check(SessionList, listed.body), listed.raw).toBe(true)
    expect(listed.body.sessions).toHaveLength(1)
    const { sessionId } = listed.body.sessions[0]
    expect((await callRest(relay, { url: '/v1/sessions', token: brand.apiKey })).body.sessions).toHaveLength(2)
    expect((await callRest(relay, { method: 'DELETE', url: `/v1/sessions/${sessionId}`, token: admin.token })).status).toBe(204)
    expectErrorBody(await me(agent.token), 'PARLEY_ERR_AUTH_SESSION_REVOKED')
    await expectRefusal(await hello(agent.token), 'PARLEY_ERR_AUTH_SESSION_REVOKED')
    expect((await me(admin.token)).status).toBe(200)
    expectErrorBody(await callRest(relay, { method: 'DELETE', url: '/v1/sessions/s_nope', token: admin.token }), 'PARLEY_ERR_SESSION_NOT_FOUND')
  })

  it('answers a repeat revoke of a session with 204 and audits it once; a signed-out token cannot sign out again', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId, 'Agent', 'agent')
    const other = await createTestAgent(relay, brand.brandId, 'Other', 'agent')
    const [{ sessionId }] = (await callRest(relay, { url: `/v1/sessions?agentId=${agent.agentId}`, token: brand.apiKey })).body.sessions
    const revoke = () => callRest(relay, { method: 'DELETE', url: `/v1/sessions/${sessionId}`, token: brand.apiKey })
    expect((await revoke()).status).toBe(204)
    expect((await revoke()).status).toBe(204)
    const signOut = () => callRest(relay, { method: 'DELETE', url: '/v1/agent/sessions/current', token: other.token })
    expect((await signOut()).status).toBe(204)
    expectErrorBody(await signOut(), 'PARLEY_ERR_AUTH_SESSION_REVOKED')
    const actions = (await relay.deps.store.listAudit(brand.brandId, { limit: 50 })).map((e) => e.action)
    expect(actions.filter((a) => a === 'session.revoke')).toHaveLength(1)
    expect(actions.filter((a) => a === 'session.sign_out')).toHaveLength(1)
  })

  it("refuses listing and revoking others' sessions to a supervisor with PARLEY_ERR_AUTH_ROLE", async () => {
    const brand = await createTestBrand(relay)
    const sup = await createTestAgent(relay, brand.brandId, 'Sup', 'supervisor')
    expectErrorBody(await callRest(relay, { url: '/v1/sessions', token: sup.token }), 'PARLEY_ERR_AUTH_ROLE')
    expectErrorBody(await callRest(relay, { method: 'DELETE', url: '/v1/sessions/s_any', token: sup.token }), 'PARLEY_ERR_AUTH_ROLE')
  })

  it('does not reveal or revoke another brand\'s session', async () => {
    const brand = await createTestBrand(relay)
    const other = await createTestBrand(relay)
    const theirs = await createTestAgent(relay, other.brandId)
    const sessionId = (await callRest(relay, { url: '/v1/agent/sessions', token: theirs.token })).body.sessions[0].sessionId
    expect((await callRest(relay, { url: '/v1/sessions', token: brand.apiKey })).body.sessions).toEqual([])
    expectErrorBody(await callRest(relay, { method: 'DELETE', url: `/v1/sessions/${sessionId}`, token: brand.apiKey }), 'PARLEY_ERR_SESSION_NOT_FOUND')
    expect((await me(theirs.token)).status).toBe(200)
  })

  it('deactivation ends every session and refuses login; reactivation lets them sign in again', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId, 'Agent', 'agent')
    const second = (await login(brand, agent)).body.token as string
    const res = await patch(brand, agent.agentId, { active: false })
    expect(res.status, res.raw).toBe(200)
    expect(res.body).toMatchObject({ active: false, role: 'agent' })
    for (const token of [agent.token, second]) {
      expect([401]).toContain((await me(token)).status)
      expect(['PARLEY_ERR_AUTH_SESSION_REVOKED', 'PARLEY_ERR_AUTH_ACCOUNT_INACTIVE']).toContain((await me(token)).body.code)
    }
    expectErrorBody(await login(brand, agent), 'PARLEY_ERR_AUTH_ACCOUNT_INACTIVE')
    expect((await patch(brand, agent.agentId, { active: true })).body.active).toBe(true)
    const back = await login(brand, agent)
    expect(back.status).toBe(200)
    expect((await me(back.body.token)).status).toBe(200)
  })

  it('keeps the last active admin: demoting or deactivating them is refused and changes nothing', async () => {
    const brand = await createTestBrand(relay)
    const admin = await createTestAgent(relay, brand.brandId, 'Only admin', 'admin')
    expectErrorBody(await patch(brand, admin.agentId, { role: 'supervisor', name: 'Renamed' }), 'PARLEY_ERR_AUTH_LAST_ADMIN')
    expectErrorBody(await patch(brand, admin.agentId, { active: false }), 'PARLEY_ERR_AUTH_LAST_ADMIN')
    expectErrorBody(await patch(brand, admin.agentId, { role: 'agent' }, admin.token), 'PARLEY_ERR_AUTH_LAST_ADMIN')
    const account = (await callRest(relay, { url: '/v1/accounts', token: brand.apiKey })).body.accounts[0]
    expect(account).toMatchObject({ name: 'Only admin', role: 'admin', active: true })
    expect((await me(admin.token)).status).toBe(200)
    const second = await createTestAgent(relay, brand.brandId, 'Second admin', 'admin')
    expect((await patch(brand, admin.agentId, { role: 'supervisor' }, second.token)).body.role).toBe('supervisor')
  })

  it('audits a last-admin refusal as access.denied with PARLEY_ERR_AUTH_LAST_ADMIN', async () => {
    const brand = await createTestBrand(relay)
    const admin = await createTestAgent(relay, brand.brandId, 'Only admin', 'admin')
    expectErrorBody(await patch(brand, admin.agentId, { active: false }, admin.token), 'PARLEY_ERR_AUTH_LAST_ADMIN')
    const denied = (await relay.deps.store.listAudit(brand.brandId, { limit: 50 })).filter((e) => e.action === 'access.denied')
    expect(denied).toEqual([expect.objectContaining({
      actor: { kind: 'agent', id: admin.agentId }, outcome: 'denied', code: 'PARLEY_ERR_AUTH_LAST_ADMIN', resource: { type: 'agent', id: admin.agentId },
    })])
  })

  it('applies a role change on the next request of the same token', async () => {
    const brand = await createTestBrand(relay)
    await createTestAgent(relay, brand.brandId, 'Admin', 'admin')
    const agent = await createTestAgent(relay, brand.brandId, 'Agent', 'agent')
    expectErrorBody(await callRest(relay, { url: '/v1/accounts', token: agent.token }), 'PARLEY_ERR_AUTH_ROLE')
    expect((await patch(brand, agent.agentId, { role: 'admin' })).status).toBe(200)
    expect((await callRest(relay, { url: '/v1/accounts', token: agent.token })).status).toBe(200)
    expect((await patch(brand, agent.agentId, { role: 'agent' })).status).toBe(200)
    expectErrorBody(await callRest(relay, { url: '/v1/accounts', token: agent.token }), 'PARLEY_ERR_AUTH_ROLE')
  })

  it('creates accounts with a role and lists them in full for admins', async () => {
    const brand = await createTestBrand(relay)
    const created = await callRest(relay, { method: 'POST', url: '/v1/agents', token: brand.apiKey, body: { email: 'Sup@Example.com', name: 'Sup', password: 'long enough pw', role: 'supervisor' } })
    expect(created.status, created.raw).toBe(201)
    expect(created.body).toMatchObject({ role: 'supervisor', active: true, email: 'sup@example.com' })
    const plain = await callRest(relay, { method: 'POST', url: '/v1/agents', token: brand.apiKey, body: { email: 'a@example.com', name: 'Plain', password: 'long enough pw' } })
    expect(plain.body.role).toBe('agent')
    const res = await callRest(relay, { url: '/v1/accounts', token: brand.apiKey })
    expect(Value.Check(AccountList, res.body), res.raw).toBe(true)
    expect(res.body.accounts.map((a: { email: string; role: string }) => `${a.email}:${a.role}`).sort()).toEqual(['a@example.com:agent', 'sup@example.com:supervisor'])
    expect(res.raw).not.toContain('passwordHash')
  })

  it('audits sign-in, failed sign-in, sign-out, revocation and account changes without values', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId, 'Agent', 'agent')
    await callRest(relay, { method: 'POST', url: '/v1/agent/sessions', body: { brandId: brand.brandId, email: agent.email, password: 'wrong password' } })
    await callRest(relay, { method: 'POST', url: '/v1/agent/sessions', body: { brandId: brand.brandId, email: 'nobody@example.com', password: 'wrong password' } })
    await callRest(relay, { method: 'DELETE', url: '/v1/agent/sessions/current', token: agent.token })
    const second = (await login(brand, agent)).body.sessionId as string
    expect((await callRest(relay, { method: 'DELETE', url: `/v1/sessions/${second}`, token: brand.apiKey })).status).toBe(204)
    await patch(brand, agent.agentId, { name: 'Secret Name', role: 'supervisor' })
    await patch(brand, agent.agentId, { active: false })
    const entries = (await relay.deps.store.listAudit(brand.brandId, { limit: 50 })).reverse()
    expect(entries.map((e) => e.action)).toEqual([
      'session.sign_in', 'session.sign_in_failed', 'session.sign_in_failed', 'session.sign_out', 'session.sign_in', 'session.revoke',
      'account.change', 'account.deactivate',
    ])
    expect(entries[5]!.resource).toEqual({ type: 'session', id: second })
    expect(entries[5]!.detail).toEqual({ agentId: agent.agentId })
    expect(entries[1]!.actor).toEqual({ kind: 'agent', id: agent.agentId })
    expect(entries[2]!.actor).toEqual({ kind: 'anonymous', id: null })
    expect(entries[2]!.code).toBe('PARLEY_ERR_AUTH_CREDENTIALS')
    expect(entries[6]!.detail).toEqual({ fields: 'name,role', role: 'supervisor', previousRole: 'agent' })
    const text = JSON.stringify(entries)
    for (const secret of ['Secret Name', 'wrong password', agent.password, 'nobody@example.com']) expect(text).not.toContain(secret)
  })

  it('stores a password hashed with older parameters again with the current ones at its next sign-in', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    // The account's hash as a release with N = 2^14 made it.
    const salt = Buffer.from('0123456789abcdef')
    const older = ['scrypt', 16384, 8, 1, salt.toString('base64url'), scryptSync(agent.password, salt, 32, { N: 16384, r: 8, p: 1 }).toString('base64url')].join('$')
    expect(await relay.deps.store.replacePasswordHash(brand.brandId, agent.agentId, (await relay.deps.store.getAgent(brand.brandId, agent.agentId))!.passwordHash, older)).toBe(true)

    expect((await login(brand, { ...agent, password: 'not the password' })).status).toBe(401)
    expect((await relay.deps.store.getAgent(brand.brandId, agent.agentId))!.passwordHash).toBe(older)
    expect((await login(brand, agent)).status).toBe(200)
    // Stored just after the answer.
    const stored = await until(async () => {
      const hash = (await relay.deps.store.getAgent(brand.brandId, agent.agentId))!.passwordHash
      return hash !== older && hash
    }, 'the password hashed again')
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$/)
    expect((await login(brand, agent)).status).toBe(200)
    // Already current: a later sign-in leaves it as it is (a rehash would have landed by now: one
    // scrypt takes about 0.1 s here).
    await new Promise((resolve) => setTimeout(resolve, 1000))
    expect((await relay.deps.store.getAgent(brand.brandId, agent.agentId))!.passwordHash).toBe(stored)
  })
})
