import { randomBytes } from 'node:crypto'
import { RelayProcess, loginAgent, runCli, type CliAgent, type CliBrand } from './relay-process.js'
import { createTestDatabase, type TestDatabase } from './postgres.js'
import { tempDir } from './temp-dir.js'

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
    PARLEY_REDIS_PREFIX: `parley-test-${randomBytes(4).toString('hex')}:`,
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
