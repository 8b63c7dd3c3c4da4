import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { RelayProcess, createBrandWithCli, loginAgent, runCli, runCliToExit } from '../helpers/relay-process.js'
import { fetchRest } from '../helpers/rest.js'
import { tempDir } from '../helpers/temp-dir.js'

// The CLI's part of roles and keys: `brand create` says its key is the admin key, `agent create`
// takes --role, and `key create` makes a scoped key whose secret works on a relay at once.

describe('parley brand/agent/key create', () => {
  const cleanup: (() => Promise<unknown> | void)[] = []
  afterEach(async () => { for (const c of cleanup.splice(0).reverse()) await c() })

  function dataDir(): string {
    const dir = tempDir()
    cleanup.push(dir.remove)
    return dir.dir
  }

  it('says the bootstrap key is the admin key, shown once', async () => {
    const out = await runCliToExit(['brand', 'create', '--data-dir', dataDir(), '--name', 'Printed'])
    expect(out.code).toBe(0)
    expect(out.stdout).toMatch(/admin API key \(every scope; shown once, keep it safe\): sk_\S+/)
  })

  it('creates an admin agent with --role and a scoped key with key create, both honoured by the relay', async () => {
    const dir = dataDir()
    const brand = await createBrandWithCli(dir, 'CLI access', ['https://shop.example'])
    const admin = await runCli<{ agentId: string; role: string }>([
      'agent', 'create', '--data-dir', dir, '--brand', brand.brandId, '--email', 'root@shop.example', '--name', 'Root', '--role', 'admin', '--json',
    ], { PARLEY_AGENT_PASSWORD: 'a long passphrase' })
    expect(admin.role).toBe('admin')
    const key = await runCli<{ keyId: string; scopes: string[]; secret: string; expiresAt: number | null }>([
      'key', 'create', '--data-dir', dir, '--brand', brand.brandId, '--name', 'reports job', '--scopes', 'reports:read, transcripts:read', '--expires-days', '30', '--json',
    ])
    expect(key.scopes).toEqual(['reports:read', 'transcripts:read'])
    expect(key.expiresAt).toBeGreaterThan(Date.now() + 29 * 86_400_000)

    const relay = await RelayProcess.start({ dataDir: dir })
    cleanup.push(() => relay.kill('SIGTERM'))
    expect((await fetchRest(relay.url, 'GET', '/v1/supervisor', key.secret)).status).toBe(200)
    expect((await fetchRest(relay.url, 'GET', '/v1/keys', key.secret)).body.code).toBe('PARLEY_ERR_AUTH_SCOPE')
    const listed = await fetchRest(relay.url, 'GET', '/v1/keys', brand.apiKey)
    expect(listed.body.keys.find((k: { keyId: string }) => k.keyId === key.keyId)).toMatchObject({ name: 'reports job', createdBy: 'cli' })
    const token = await loginAgent(relay.url, { brandId: brand.brandId, email: 'root@shop.example', password: 'a long passphrase' })
    expect((await fetchRest(relay.url, 'GET', '/v1/accounts', token)).status).toBe(200)
    const audit = await fetchRest(relay.url, 'GET', '/v1/audit?actorKind=system', brand.apiKey)
    expect(audit.body.entries.map((e: { action: string; resource: { id: string } }) => [e.action, e.resource.id]).reverse()).toEqual([
      ['account.create', admin.agentId], ['key.create', key.keyId],
    ])
  })

  it('refuses an unknown role or scope, and creates nothing', async () => {
    const dir = dataDir()
    const brand = await createBrandWithCli(dir, 'CLI refusals', [])
    const role = await runCliToExit(['agent', 'create', '--data-dir', dir, '--brand', brand.brandId, '--email', 'x@shop.example', '--name', 'X', '--password', 'a long passphrase', '--role', 'owner'])
    expect(role.code).toBe(2)
    expect(role.stderr).toContain('--role must be one of agent, supervisor, admin')
    const scope = await runCliToExit(['key', 'create', '--data-dir', dir, '--brand', brand.brandId, '--name', 'k', '--scopes', 'reports:read,everything'])
    expect(scope.code).toBe(2)
    expect(scope.stderr).toContain('--scopes: unknown everything')
    const relay = await RelayProcess.start({ dataDir: dir })
    cleanup.push(() => relay.kill('SIGTERM'))
    expect((await fetchRest(relay.url, 'GET', '/v1/keys', brand.apiKey)).body.keys).toHaveLength(1)
    expect((await fetchRest(relay.url, 'GET', '/v1/accounts', brand.apiKey)).body.accounts).toEqual([])
  })

  it('changes an account\'s role with agent role, audited by system, and keeps the last admin', async () => {
    const dir = dataDir()
    const brand = await createBrandWithCli(dir, 'CLI roles', [])
    const made = await runCli<{ agentId: string; role: string }>([
      'agent', 'create', '--data-dir', dir, '--brand', brand.brandId, '--email', 'Sam@shop.example', '--name', 'Sam', '--json',
    ], { PARLEY_AGENT_PASSWORD: 'a long passphrase' })
    expect(made.role).toBe('agent')
    const promoted = await runCli<{ agentId: string; role: string; previousRole: string }>([
      'agent', 'role', '--data-dir', dir, '--brand', brand.brandId, '--email', 'sam@shop.example', '--role', 'admin', '--json',
    ])
    expect(promoted).toMatchObject({ agentId: made.agentId, role: 'admin', previousRole: 'agent' })
    const last = await runCliToExit(['agent', 'role', '--data-dir', dir, '--brand', brand.brandId, '--email', 'sam@shop.example', '--role', 'supervisor'])
    expect(last.code).toBe(2)
    expect(last.stderr).toContain('last active admin')
    const unknown = await runCliToExit(['agent', 'role', '--data-dir', dir, '--brand', brand.brandId, '--email', 'nobody@shop.example', '--role', 'admin'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('no agent with e-mail nobody@shop.example')

    const relay = await RelayProcess.start({ dataDir: dir })
    cleanup.push(() => relay.kill('SIGTERM'))
    expect((await fetchRest(relay.url, 'GET', '/v1/accounts', brand.apiKey)).body.accounts).toEqual([expect.objectContaining({ agentId: made.agentId, role: 'admin' })])
    const audit = await fetchRest(relay.url, 'GET', '/v1/audit?actorKind=system&action=account.change', brand.apiKey)
    expect(audit.body.entries).toEqual([expect.objectContaining({
      actor: { kind: 'system', id: null }, resource: { type: 'agent', id: made.agentId }, detail: { fields: 'role', role: 'admin', previousRole: 'agent', via: 'cli' },
    })])
  })

  it('makes the demo agent an admin, so a first look at the console shows every page', async () => {
    const dir = dataDir()
    const relay = await RelayProcess.start({ dataDir: dir, args: ['--demo'] })
    cleanup.push(() => relay.kill('SIGTERM'))
    const demo = JSON.parse(readFileSync(join(dir, 'demo.json'), 'utf8')) as { brandId: string; agentEmail: string; agentPassword: string }
    const token = await loginAgent(relay.url, { brandId: demo.brandId, email: demo.agentEmail, password: demo.agentPassword })
    expect((await fetchRest(relay.url, 'GET', '/v1/agents/me', token)).body.role).toBe('admin')
    expect((await fetchRest(relay.url, 'GET', '/v1/accounts', token)).status).toBe(200)
  })
})
