import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll } from 'vitest'
import { RelayProcess, killRelayProcesses, loginAgent, runCli, type CliAgent, type CliBrand } from './relay-process.js'
import { createTestDatabase, type TestDatabase } from './postgres.js'
import { startPrivateRedis, testRedisPrefix, type PrivateRedis } from './redis.js'
import { liveClient, type LiveClient } from './live-client.js'
import { tempDir } from './temp-dir.js'
import { until } from './until.js'

// Relay nodes as separate processes on one PostgreSQL database, joined by Redis, as in production:
// each with a data directory of its own, one shared token secret, the schema migrated by whichever
// node starts first. Admin commands run as the CLI on the same database.

/** Limits that would couple a test's many clients from 127.0.0.1. */
const LOOSE_LIMITS = ['--visitor-conversations-per-minute', '1000000', '--ip-conversations-per-minute', '1000000', '--agent-logins-per-ip-per-minute', '1000000']

/** A logged-in agent of a cluster's brand. */
export interface ClusterAgent extends CliAgent {
  password: string
}

/** Nodes on one database and one Redis. */
export interface ProcessCluster {
  db: TestDatabase
  redisUrl: string
  /** The environment every node and admin command gets. */
  env: Readonly<Record<string, string>>
  /** Starts node `nodeId` (a process of its own); `args` go to `parley start`. */
  startNode(nodeId: string, args?: readonly string[]): Promise<RelayProcess>
  /** `parley brand create --json` on the cluster's database. */
  createBrand(origins: readonly string[]): Promise<CliBrand>
  /** `parley agent create --json`, then logs the agent in on `url`; returns the session token too. */
  createAgent(brandId: string, url: string): Promise<ClusterAgent & { token: string }>
  /** Kills every node (SIGKILL), removes their data dirs, and drops the database. */
  close(): Promise<void>
}

/** A cluster on a fresh database of the server `adminUrl` reaches (default: the test server) and Redis at `redisUrl`. */
export async function startProcessCluster(opts: { redisUrl: string; adminUrl?: string }): Promise<ProcessCluster> {
  const db = await createTestDatabase('parley_c', opts.adminUrl)
  const env = {
    DATABASE_URL: db.url, PARLEY_DATABASE_OWNER_URL: db.ownerUrl, REDIS_URL: opts.redisUrl,
    PARLEY_SECRET: randomBytes(32).toString('base64url'), PARLEY_PG_POOL_SIZE: '4',
    PARLEY_REDIS_PREFIX: testRedisPrefix(),
  }
  const nodes: RelayProcess[] = []
  const dirs: (() => void)[] = []
  const adminDir = tempDir('parley-admin-')
  dirs.push(adminDir.remove)
  return {
    db, redisUrl: opts.redisUrl, env,
    async startNode(nodeId, args = []) {
      const { dir, remove } = tempDir(`parley-${nodeId}-`)
      dirs.push(remove)
      const node = await RelayProcess.start({ dataDir: dir, args: [...LOOSE_LIMITS, ...args], env: { ...env, PARLEY_NODE_ID: nodeId } })
      nodes.push(node)
      return node
    },
    createBrand(origins) {
      return runCli<CliBrand>(['brand', 'create', '--data-dir', adminDir.dir, '--name', 'Cluster brand', ...origins.flatMap((o) => ['--origin', o]), '--json'], env)
    },
    async createAgent(brandId, url) {
      const email = `${randomBytes(4).toString('hex')}@agents.example`
      const password = 'correct horse battery'
      const agent = await runCli<CliAgent>(['agent', 'create', '--data-dir', adminDir.dir, '--brand', brandId, '--email', email, '--name', 'Cluster agent', '--json'], { ...env, PARLEY_AGENT_PASSWORD: password })
      return { ...agent, password, token: await loginAgent(url, { brandId, email, password }) }
    },
    async close() {
      await Promise.all(nodes.map((n) => n.kill('SIGKILL')))
      for (const remove of dirs) remove()
      await db.drop()
    },
  }
}

/** A private Redis and a cluster on it. */
export interface ClusterOnPrivateRedis {
  redis: PrivateRedis
  cluster: ProcessCluster
}

/**
 * Starts a private Redis (one the test may stop) and a cluster on it before the suite's tests, and
 * kills every node and stops both after them; call inside the suite's describe. The getter is valid in its tests.
 */
export function useClusterOnPrivateRedis(): () => ClusterOnPrivateRedis {
  let redis: PrivateRedis | undefined
  let cluster: ProcessCluster | undefined
  beforeAll(async () => {
    redis = await startPrivateRedis()
    cluster = await startProcessCluster({ redisUrl: redis.url })
  })
  afterAll(async () => {
    await killRelayProcesses()
    await cluster?.close()
    await redis?.close()
  })
  return () => {
    if (!redis || !cluster) throw new Error('the cluster is not started: call useClusterOnPrivateRedis inside a describe')
    return { redis, cluster }
  }
}

/** Resolves once `client` has sent everything in its outbox (every message acked). */
export async function drainOutbox(client: LiveClient, timeoutMs: number): Promise<void> {
  await until(async () => (await client.conn.outbox()).length === 0, 'outbox empty', timeoutMs)
}

/** A chat across two nodes: its visitor on node A, the agent who joined it on node B. */
export interface CrossNodeChat {
  a: RelayProcess
  b: RelayProcess
  brand: CliBrand
  visitor: LiveClient
  agent: LiveClient
  convId: string
}

/**
 * Starts nodes `node-a` and `node-b`, a brand and an agent, and opens a chat whose `firstText` the
 * visitor sent on node A and whose opening reached the agent on node B (through Redis); the agent has
 * joined it. The caller stops both clients; they are stopped here if the opening fails.
 */
export async function openCrossNodeChat(cluster: ProcessCluster, firstText: string, drainMs: number): Promise<CrossNodeChat> {
  const [a, b] = [await cluster.startNode('node-a'), await cluster.startNode('node-b')]
  const brand = await cluster.createBrand(['https://cluster-shop.example'])
  const agentLogin = await cluster.createAgent(brand.brandId, b.url)
  const agent = liveClient({ url: b.wsUrl, auth: { kind: 'agent', token: agentLogin.token } })
  const visitor = liveClient({ url: `${a.wsUrl}?site=${brand.siteKey}`, auth: { kind: 'visitor' } })
  try {
    await Promise.all([agent.open(), visitor.open()])
    const convId = visitor.conn.newConversationId()
    await visitor.conn.send(convId, firstText)
    await drainOutbox(visitor, drainMs)
    await until(() => agent.frames.some((f) => f.type === 'conversation.opened' && f.convId === convId), 'opened on node B')
    await agent.conn.request({ type: 'conversation.join', convId, ref: 'join-1' })
    return { a, b, brand, visitor, agent, convId }
  } catch (err) {
    await visitor.conn.stop()
    await agent.conn.stop()
    throw err
  }
}
