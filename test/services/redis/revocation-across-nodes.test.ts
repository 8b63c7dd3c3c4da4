import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { buildApp, type RelayOptions } from '../../../server/src/app.js'
import { createRedisCluster, type RedisCluster } from '../../../server/src/cluster/redis-cluster.js'
import { randomIds, systemClock, type Deps } from '../../../server/src/deps.js'
import type { Store } from '../../../server/src/store/store.js'
import { describeWithPostgres, usePostgresStores } from '../../helpers/postgres.js'
import { describeWithRedis, REDIS_URL, testRedisPrefix } from '../../helpers/redis.js'
import { createTestAgent, createTestBrand } from '../../helpers/brand.js'
import { fetchRest } from '../../helpers/rest.js'
import { TestClient } from '../../helpers/ws-client.js'
import { until } from '../../helpers/until.js'
import { SESSION_RECHECK_MS } from '../../../server/src/relay/session-recheck.js'

// A session revoked on one node ends everywhere: node B, which shares node A's PostgreSQL and hears
// it over Redis, closes the agent's socket with 4401 at once (docs/security.md, Sessions: the
// sessions-revoked note) and refuses the token's next REST call (it reads the store). Should the
// note be lost, a node's periodic recheck closes the socket within SESSION_RECHECK_MS; node C runs
// it every 200 ms to show that path without the note.

interface Node { app: FastifyInstance; deps: Deps; cluster: RedisCluster; url: string; wsUrl: string }

describeWithPostgres('session revocation across nodes', () => {
  describeWithRedis('on PostgreSQL and Redis', () => {
    const pg = usePostgresStores({ nodes: 3 })
    const prefix = testRedisPrefix()
    const nodes: Node[] = []

    async function startNode(store: Store, relay: Pick<RelayOptions, 'sessionRecheckMs'> = {}): Promise<Node> {
      const cluster = await createRedisCluster({ url: REDIS_URL, nodeId: `node-${randomBytes(3).toString('hex')}`, prefix, clock: systemClock })
      const deps: Deps = { store, clock: systemClock, ids: randomIds, tokenSecret: Buffer.from('test-secret-test-secret-test-secret!!'), ...cluster.deps }
      const app = await buildApp(deps, { ...relay, limits: { agentLoginsPerIpPerMinute: 1e6 }, logger: false })
      await app.listen({ host: '127.0.0.1', port: 0 })
      const addr = app.server.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      const node = { app, deps, cluster, url: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/v1/live` }
      nodes.push(node)
      return node
    }

    let a: Node
    let b: Node
    let c: Node
    beforeAll(async () => {
      a = await startNode(pg.nodes[0]!)
      b = await startNode(pg.nodes[1]!)
      c = await startNode(pg.nodes[2]!, { sessionRecheckMs: 200 })
    })
    afterAll(async () => {
      for (const n of nodes) {
        await n.app.close()
        await n.cluster.close()
      }
    })

    /** The session id a token names. */
    const sidOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sid: string }).sid

    /** A brand (its admin API key), an agent role signed in on node A, and their socket on `on`. */
    async function agentOn(on: Node) {
      const brand = await createTestBrand(a)
      const agent = await createTestAgent(a, brand.brandId, 'Remote', 'agent')
      const { client } = await TestClient.agent(on.wsUrl, agent.token)
      return { brand, agent, client }
    }

    async function expectRevokedOn(node: Node, client: TestClient, token: string, code = 'PARLEY_ERR_AUTH_SESSION_REVOKED', frameCode = code) {
      expect(await until(() => client.closeCode, 'the socket to close', 5_000)).toBe(4401)
      expect(client.all('error').at(-1)).toMatchObject({ code: frameCode })
      const rest = await fetchRest(node.url, 'GET', '/v1/agent/sessions', token)
      expect(rest.status).toBe(401)
      expect(rest.body.code).toBe(code)
    }

    it("closes the agent's socket on node B with 4401 when an admin revokes the session through node A's REST", async () => {
      const { brand, agent, client } = await agentOn(b)
      const res = await fetch(`${a.url}/v1/sessions/${sidOf(agent.token)}`, { method: 'DELETE', headers: { authorization: `Bearer ${brand.apiKey}` } })
      expect(res.status).toBe(204)
      // Well within SESSION_RECHECK_MS: node B's recheck cannot have done it, the note did.
      await expectRevokedOn(b, client, agent.token)
      expect(SESSION_RECHECK_MS).toBeGreaterThan(5_000)
    })

    it('closes the socket on node B when the agent signs out on node A', async () => {
      const { agent, client } = await agentOn(b)
      const res = await fetch(`${a.url}/v1/agent/sessions/current`, { method: 'DELETE', headers: { authorization: `Bearer ${agent.token}` } })
      expect(res.status).toBe(204)
      await expectRevokedOn(b, client, agent.token)
    })

    it("closes every socket of a deactivated account on node B, and node B refuses the account's token", async () => {
      const { brand, agent, client } = await agentOn(b)
      const second = (await TestClient.agent(b.wsUrl, agent.token)).client
      const res = await fetchRest(a.url, 'PATCH', `/v1/agents/${agent.agentId}`, brand.apiKey, { active: false })
      expect(res.status).toBe(200)
      // The socket is told why (the console says the account was deactivated); REST refuses the revoked session.
      await expectRevokedOn(b, client, agent.token, 'PARLEY_ERR_AUTH_SESSION_REVOKED', 'PARLEY_ERR_AUTH_ACCOUNT_INACTIVE')
      expect(await until(() => second.closeCode, 'the second tab to close', 5_000)).toBe(4401)
    })

    it('closes the socket on a node that heard no note, at its next recheck', async () => {
      const { brand, agent, client } = await agentOn(c)
      // Revoked in the store alone, as if the note were lost on the way.
      await pg.nodes[0]!.revokeSession(brand.brandId, sidOf(agent.token), Date.now())
      await expectRevokedOn(c, client, agent.token)
    })

    it('leaves the other sessions of the brand open', async () => {
      const { brand, agent, client } = await agentOn(b)
      const other = await createTestAgent(a, brand.brandId, 'Stays', 'agent')
      const stays = (await TestClient.agent(b.wsUrl, other.token)).client
      await fetch(`${a.url}/v1/sessions/${sidOf(agent.token)}`, { method: 'DELETE', headers: { authorization: `Bearer ${brand.apiKey}` } })
      await until(() => client.closeCode, 'the revoked socket to close', 5_000)
      stays.send({ type: 'ping', ref: 'still' })
      await stays.next('pong', (f) => f.ref === 'still')
      stays.ws.close()
    })
  })
})
