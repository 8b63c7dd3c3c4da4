import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import type { Limits } from '@parley/sdk/contract'
import { buildApp, type RelayOptions } from '../../server/src/app.js'
import { createSqliteStore } from '../../server/src/store/sqlite/sqlite-store.js'
import { randomIds, systemClock, type Deps } from '../../server/src/deps.js'
import { databaseFile } from '../../server/src/data-dir.js'
import { createRedisCluster, type RedisCluster } from '../../server/src/cluster/redis-cluster.js'
import type { Store } from '../../server/src/store/store.js'
import { tempDir } from './temp-dir.js'
import { testRedisPrefix } from './redis.js'

// Several relay nodes in one test process, joined by Redis, on one store: each node is a full
// relay (its own app, fan-out, presence share, router) as in production; the store is shared, as
// the nodes of a cluster share one database.

/** One running node. */
export interface ClusterNode {
  nodeId: string
  app: FastifyInstance
  deps: Deps
  cluster: RedisCluster
  url: string
  wsUrl: string
  /** The directory of the shared store. */
  dataDir: string
  /** Closes the node cleanly (its presence share leaves with it). */
  close(): Promise<void>
  /** The node stops as if killed: its sockets are cut and its presence share is left behind to expire. */
  die(): Promise<void>
}

/** Nodes sharing one store. */
export interface TestCluster {
  nodes: ClusterNode[]
  store: Store
  close(): Promise<void>
}

/** Starts `count` nodes on `redisUrl`, sharing one SQLite store. */
export async function startCluster(opts: {
  redisUrl: string; count?: number; limits?: Partial<Limits>; presenceTtlMs?: number
  /** Relay options beyond the limits (webhooks to this machine). */
  relay?: Pick<RelayOptions, 'allowPrivateWebhookUrls' | 'webhooks'>
}): Promise<TestCluster> {
  const { dir, remove } = tempDir('parley-cluster-')
  const store = createSqliteStore({ file: databaseFile(dir) })
  const limits: Partial<Limits> = { visitorConversationsPerMinute: 1e6, ipConversationsPerMinute: 1e6, agentLoginsPerIpPerMinute: 1e6, ...opts.limits }
  const nodes: ClusterNode[] = []
  // A cluster of its own on the shared Redis: parallel test files never share a bus, leases or gaps.
  const prefix = testRedisPrefix()
  for (let i = 0; i < (opts.count ?? 2); i++) {
    const nodeId = `node-${i}-${randomBytes(3).toString('hex')}`
    const cluster = await createRedisCluster({
      url: opts.redisUrl, nodeId, prefix, clock: systemClock, ...(opts.presenceTtlMs ? { presenceTtlMs: opts.presenceTtlMs } : {}),
    })
    const deps: Deps = {
      store, clock: systemClock, ids: randomIds, tokenSecret: Buffer.from('test-secret-test-secret-test-secret!!'),
      ...cluster.deps,
    }
    const app = await buildApp(deps, { ...opts.relay, limits, logger: process.env.PARLEY_TEST_LOG ? { level: process.env.PARLEY_TEST_LOG } : false })
    await app.listen({ host: '127.0.0.1', port: 0 })
    const addr = app.server.address()
    const port = typeof addr === 'object' && addr ? addr.port : 0
    let closed = false
    nodes.push({
      nodeId, app, deps, cluster, dataDir: dir,
      url: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/v1/live`,
      async close() {
        if (closed) return
        closed = true
        const cut = setTimeout(() => app.server.closeAllConnections(), 2000)
        await app.close().finally(() => clearTimeout(cut))
        await cluster.close()
      },
      async die() {
        if (closed) return
        closed = true
        // No goodbye: the heartbeat stops and the share stays in Redis until it expires.
        await cluster.presence.close({ leave: false })
        for (const ws of app.websocketServer.clients) ws.terminate()
        app.server.closeAllConnections()
        await cluster.bus.close()
        await app.close().catch(() => {})
      },
    })
  }
  return {
    nodes, store,
    async close() {
      for (const n of nodes) await n.close()
      await store.close()
      remove()
    },
  }
}

