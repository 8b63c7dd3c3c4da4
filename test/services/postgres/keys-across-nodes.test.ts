import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALL_SCOPES, type CreatedApiKey } from '@parley/sdk/contract'
import { buildApp } from '../../../server/src/app.js'
import { createInProcessBus } from '../../../server/src/bus/in-process.js'
import { randomIds, systemClock, type Deps } from '../../../server/src/deps.js'
import type { Store } from '../../../server/src/store/store.js'
import { describeWithPostgres, usePostgresStores } from '../../helpers/postgres.js'
import { createTestAgent, createTestBrand, type TestBrand } from '../../helpers/brand.js'
import { fetchRest } from '../../helpers/rest.js'

// Keys and accounts on PostgreSQL, two relay nodes on one database: a key created on node A works on
// node B at once, and a key revoked or rotated out, or an account deactivated, on A is refused by
// B's very next request (every request reads the store; no note between the nodes is needed).

interface Node { app: FastifyInstance; deps: Deps; url: string }

describeWithPostgres('API keys and accounts across nodes on PostgreSQL', () => {
  const pg = usePostgresStores({ nodes: 2 })
  const nodes: Node[] = []

  async function startNode(store: Store): Promise<Node> {
    const deps: Deps = { store, bus: createInProcessBus(), clock: systemClock, ids: randomIds, tokenSecret: Buffer.from('test-secret-test-secret-test-secret!!') }
    const app = await buildApp(deps, { limits: { agentLoginsPerIpPerMinute: 1e6 }, logger: false })
    await app.listen({ host: '127.0.0.1', port: 0 })
    const addr = app.server.address()
    const node = { app, deps, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}` }
    nodes.push(node)
    return node
  }

  let a: Node
  let b: Node
  beforeAll(async () => {
    a = await startNode(pg.nodes[0]!)
    b = await startNode(pg.nodes[1]!)
  })
  afterAll(async () => { for (const n of nodes) await n.app.close() })

  async function keyOn(node: Node, brand: TestBrand, scopes: string[]): Promise<CreatedApiKey> {
    const res = await fetchRest(node.url, 'POST', '/v1/keys', brand.apiKey, { name: 'across nodes', scopes })
    expect(res.status).toBe(201)
    return res.body as CreatedApiKey
  }

  it('gives the bootstrap key every scope and enforces a narrow key on the other node', async () => {
    const brand = await createTestBrand(a)
    const k = await keyOn(a, brand, ['reports:read'])
    expect((await fetchRest(b.url, 'GET', '/v1/supervisor', k.secret)).status).toBe(200)
    expect((await fetchRest(b.url, 'GET', '/v1/keys', k.secret)).body.code).toBe('PARLEY_ERR_AUTH_SCOPE')
    const { keys } = (await fetchRest(b.url, 'GET', '/v1/keys', brand.apiKey)).body as { keys: { createdBy: string; scopes: string[] }[] }
    expect([...keys.find((x) => x.createdBy === 'cli')!.scopes].sort()).toEqual([...ALL_SCOPES].sort())
  })

  it('refuses a key revoked on node A at the next request on node B', async () => {
    const brand = await createTestBrand(a)
    const k = await keyOn(a, brand, ['reports:read'])
    expect((await fetchRest(b.url, 'GET', '/v1/supervisor', k.secret)).status).toBe(200)
    expect((await fetch(`${a.url}/v1/keys/${k.key.keyId}`, { method: 'DELETE', headers: { authorization: `Bearer ${brand.apiKey}` } })).status).toBe(204)
    expect((await fetchRest(b.url, 'GET', '/v1/supervisor', k.secret)).body.code).toBe('PARLEY_ERR_AUTH_KEY_REVOKED')
  })

  it('rotates on node A with both keys working on node B, then only the new one once the old is revoked', async () => {
    const brand = await createTestBrand(a)
    const old = await keyOn(a, brand, ['reports:read'])
    const rotated = (await fetchRest(a.url, 'POST', `/v1/keys/${old.key.keyId}/rotate`, brand.apiKey, { graceSeconds: 3600 })).body as CreatedApiKey
    for (const s of [old.secret, rotated.secret]) expect((await fetchRest(b.url, 'GET', '/v1/supervisor', s)).status).toBe(200)
    await fetch(`${a.url}/v1/keys/${old.key.keyId}`, { method: 'DELETE', headers: { authorization: `Bearer ${brand.apiKey}` } })
    expect((await fetchRest(b.url, 'GET', '/v1/supervisor', old.secret)).body.code).toBe('PARLEY_ERR_AUTH_KEY_REVOKED')
    expect((await fetchRest(b.url, 'GET', '/v1/supervisor', rotated.secret)).status).toBe(200)
  })

  it('refuses a deactivated account on node B, and keeps the last admin', async () => {
    const brand = await createTestBrand(a)
    const admin = await createTestAgent(a, brand.brandId, 'Admin', 'admin')
    const agent = await createTestAgent(a, brand.brandId, 'Agent', 'agent')
    expect((await fetchRest(b.url, 'GET', '/v1/agents/me', agent.token)).status).toBe(200)
    expect((await fetchRest(a.url, 'PATCH', `/v1/agents/${agent.agentId}`, admin.token, { active: false })).status).toBe(200)
    expect(['PARLEY_ERR_AUTH_SESSION_REVOKED', 'PARLEY_ERR_AUTH_ACCOUNT_INACTIVE']).toContain((await fetchRest(b.url, 'GET', '/v1/agents/me', agent.token)).body.code)
    expect((await fetchRest(b.url, 'PATCH', `/v1/agents/${admin.agentId}`, brand.apiKey, { role: 'agent' })).body.code).toBe('PARLEY_ERR_AUTH_LAST_ADMIN')
  })
})
