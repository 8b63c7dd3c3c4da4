import { describe, expect, it } from 'vitest'
import { AuthenticationError, ConflictError, NotFoundError, Parley, PermissionError } from '@parley/sdk'
import { createTestAgent } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { rejection, sdkRelay } from '../helpers/sdk-relay.js'

// parley.keys, parley.sessions, parley.accounts and the role and activity of parley.agents.update
// against a real relay: what they return, and their typed errors.

describe('parley.keys', () => {
  const s = sdkRelay()

  it('creates a key whose secret works with its scopes only, rotates it and revokes it', async () => {
    const { key, secret } = await s.parley.keys.create({ name: 'reports', scopes: ['reports:read'] })
    expect(key).toMatchObject({ name: 'reports', scopes: ['reports:read'], revokedAt: null })
    const narrow = new Parley({ relay: s.relay.url, apiKey: secret, maxRetries: 0 })
    expect((await narrow.supervisor.get()).agents).toEqual([])
    const refused = await rejection(narrow.keys.list())
    expect(refused).toBeInstanceOf(PermissionError)
    expect(refused.code).toBe('PARLEY_ERR_AUTH_SCOPE')

    const next = await s.parley.keys.rotate(key.keyId, { graceSeconds: 0 })
    expect(next.key).toMatchObject({ name: 'reports', scopes: ['reports:read'] })
    const revoked = await rejection(narrow.supervisor.get())
    expect(revoked).toBeInstanceOf(AuthenticationError)
    expect(revoked.code).toBe('PARLEY_ERR_AUTH_KEY_REVOKED')
    await s.parley.keys.revoke(next.key.keyId)
    const listed = await s.parley.keys.list()
    expect(listed.filter((k) => k.name === 'reports').every((k) => k.revokedAt !== null)).toBe(true)
    expect(JSON.stringify(listed)).not.toContain(next.secret)
  })

  it('throws NotFoundError PARLEY_ERR_KEY_NOT_FOUND for an unknown key', async () => {
    for (const p of [s.parley.keys.revoke('k_nope'), s.parley.keys.rotate('k_nope')]) {
      const e = await rejection(p)
      expect(e).toBeInstanceOf(NotFoundError)
      expect(e.code).toBe('PARLEY_ERR_KEY_NOT_FOUND')
    }
  })

  it('never keeps a create\'s answer for replay: it holds the secret', async () => {
    const body = { name: 'not replayed', scopes: ['reports:read'] }
    const post = () => callRest(s.relay, { method: 'POST', url: '/v1/keys', token: s.brand.apiKey, body, headers: { 'idempotency-key': 'create-once-1' } })
    const [first, again] = [await post(), await post()]
    expect([first.status, again.status]).toEqual([201, 201])
    expect(again.headers['idempotent-replayed']).toBeUndefined()
    expect(again.body.secret).not.toBe(first.body.secret)
  })
})

describe('parley.sessions, parley.accounts and roles', () => {
  const s = sdkRelay()

  it("lists an agent's sessions and revokes one", async () => {
    const agent = await createTestAgent(s.relay, s.brand.brandId, 'Agent', 'agent')
    const sessions = await s.parley.sessions.list({ agentId: agent.agentId })
    expect(sessions).toHaveLength(1)
    expect(sessions[0]).toMatchObject({ agentId: agent.agentId, revokedAt: null, current: false })
    await s.parley.sessions.revoke(sessions[0]!.sessionId)
    expect(await s.parley.sessions.list({ agentId: agent.agentId })).toEqual([])
    expect((await callRest(s.relay, { url: '/v1/agents/me', token: agent.token })).body.code).toBe('PARLEY_ERR_AUTH_SESSION_REVOKED')
    const missing = await rejection(s.parley.sessions.revoke('s_nope'))
    expect(missing).toBeInstanceOf(NotFoundError)
    expect(missing.code).toBe('PARLEY_ERR_SESSION_NOT_FOUND')
  })

  it('changes role and activity with agents.update, lists accounts, and keeps the last admin', async () => {
    const ana = await s.parley.agents.create({ email: 'ana@example.com', name: 'Ana', password: 'a long passphrase', role: 'admin' })
    expect(ana).toMatchObject({ role: 'admin', active: true })
    const last = await rejection(s.parley.agents.update(ana.agentId, { active: false }))
    expect(last).toBeInstanceOf(ConflictError)
    expect(last.code).toBe('PARLEY_ERR_AUTH_LAST_ADMIN')
    const bo = await s.parley.agents.create({ email: 'bo@example.com', name: 'Bo', password: 'a long passphrase' })
    expect((await s.parley.agents.update(bo.agentId, { role: 'supervisor', active: false })).active).toBe(false)
    const accounts = await s.parley.accounts.list()
    expect(accounts.map((a) => [a.email, a.role, a.active])).toEqual(expect.arrayContaining([
      ['ana@example.com', 'admin', true], ['bo@example.com', 'supervisor', false],
    ]))
  })
})
