import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { SignJWT } from 'jose'
import type { Welcome } from '@parley/sdk/contract'
import { buildApp } from '../../../server/src/app.js'
import { createRedisCluster, type RedisCluster } from '../../../server/src/cluster/redis-cluster.js'
import { randomIds, systemClock, type Deps } from '../../../server/src/deps.js'
import type { Store } from '../../../server/src/store/store.js'
import { describeWithPostgres, usePostgresStores } from '../../helpers/postgres.js'
import { describeWithRedis, REDIS_URL, testRedisPrefix } from '../../helpers/redis.js'
import { createTestBrand, type TestBrand } from '../../helpers/brand.js'
import { fetchRest } from '../../helpers/rest.js'
import { TestClient } from '../../helpers/ws-client.js'
import { until } from '../../helpers/until.js'

// Verified identity on two nodes sharing PostgreSQL and Redis: a customer identified on node A is
// recognised on node B with their history, and logging out on node B ends the visit on node A at
// once (its socket closes with 4401, its token and the identity token are refused there).

interface Node { app: FastifyInstance; deps: Deps; cluster: RedisCluster; url: string; wsUrl: string }
type VisitorIdentity = Extract<Welcome['identity'], { kind: 'visitor' }>

describeWithPostgres('verified identity across nodes', () => {
  describeWithRedis('on PostgreSQL and Redis', () => {
    const pg = usePostgresStores({ nodes: 2 })
    const prefix = testRedisPrefix()
    const nodes: Node[] = []

    async function startNode(store: Store): Promise<Node> {
      const cluster = await createRedisCluster({ url: REDIS_URL, nodeId: `node-${randomBytes(3).toString('hex')}`, prefix, clock: systemClock })
      const deps: Deps = { store, clock: systemClock, ids: randomIds, tokenSecret: Buffer.from('test-secret-test-secret-test-secret!!'), ...cluster.deps }
      const app = await buildApp(deps, { logger: false })
      await app.listen({ host: '127.0.0.1', port: 0 })
      const addr = app.server.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      const node = { app, deps, cluster, url: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/v1/live` }
      nodes.push(node)
      return node
    }

    let a: Node
    let b: Node
    beforeAll(async () => {
      a = await startNode(pg.nodes[0]!)
      b = await startNode(pg.nodes[1]!)
    })
    afterAll(async () => {
      for (const n of nodes) {
        await n.app.close()
        await n.cluster.close()
      }
    })

    async function visitor(on: Node, brand: TestBrand, token?: string): Promise<{ client: TestClient; identity: VisitorIdentity; welcome: Welcome }> {
      const client = await TestClient.connect(`${on.wsUrl}?site=${encodeURIComponent(brand.siteKey)}`)
      client.send({ type: 'hello', protocol: 1, auth: token ? { kind: 'visitor', token } : { kind: 'visitor' } })
      const welcome = await client.next('welcome')
      return { client, welcome, identity: welcome.identity as VisitorIdentity }
    }

    async function identify(client: TestClient, token: string): Promise<VisitorIdentity> {
      client.send({ type: 'visitor.identify', token, ref: 'id' })
      const f = await client.next('visitor.identified')
      expect(await client.closed()).toBe(1000)
      return f.identity
    }

    it('recognises the customer on the other node, and a logout there ends the visit here', async () => {
      const brand = await createTestBrand(a)
      const created = await fetchRest(a.url, 'POST', '/v1/identity/secrets', brand.apiKey)
      expect(created.status).toBe(201)
      const sign = (jti: string) => new SignJWT({ name: 'Ada', jti }).setProtectedHeader({ alg: 'HS256' }).setSubject('cust-x')
        .setAudience(brand.brandId).setIssuedAt().setExpirationTime('5m').sign(Buffer.from(created.body.secret, 'base64url'))

      const laptop = await visitor(a, brand)
      laptop.client.send({ type: 'message.send', convId: 'conv-laptop', clientMsgId: 'l1', text: 'hello from the laptop' })
      await laptop.client.next('message.ack')
      const first = await sign('one')
      const onLaptop = await identify(laptop.client, first)

      const phone = await visitor(b, brand)
      const onPhone = await identify(phone.client, await sign('two'))
      expect(onPhone.visitorId).toBe(onLaptop.visitorId)
      const phoneBack = await visitor(b, brand, onPhone.token)
      expect(phoneBack.welcome.conversations.map((c) => c.convId)).toEqual(['conv-laptop'])
      expect(phoneBack.identity.customer).toMatchObject({ customerId: 'cust-x', name: 'Ada' })

      // The laptop's visit has two tabs, one on each node; it logs out on node B.
      const tabA = await visitor(a, brand, onLaptop.token)
      const tabB = await visitor(b, brand, onLaptop.token)
      tabB.client.send({ type: 'visitor.forget', ref: 'bye' })
      await tabB.client.next('visitor.forgotten')
      expect(await until(() => tabA.client.closeCode, 'tab A to close', 5_000)).toBe(4401)
      const again = await TestClient.connect(`${a.wsUrl}?site=${encodeURIComponent(brand.siteKey)}`)
      again.send({ type: 'hello', protocol: 1, auth: { kind: 'visitor', token: onLaptop.token } })
      expect((await again.error('PARLEY_ERR_AUTH_SESSION_REVOKED')).code).toBe('PARLEY_ERR_AUTH_SESSION_REVOKED')
      const fresh = await visitor(a, brand)
      fresh.client.send({ type: 'visitor.identify', token: first, ref: 'replay' })
      expect((await fresh.client.error('PARLEY_ERR_IDENTITY_REVOKED')).ref).toBe('replay')
      // The phone's visit is its own: still signed in.
      const phoneStill = await visitor(b, brand, onPhone.token)
      expect(phoneStill.identity.customer?.customerId).toBe('cust-x')
      for (const c of [laptop, phone, phoneBack, tabA, tabB, fresh, phoneStill]) c.client.close()
      again.close()
    })
  })
})
