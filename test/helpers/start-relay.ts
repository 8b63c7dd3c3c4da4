import type { FastifyInstance } from 'fastify'
import type { Limits } from '@parley/sdk/contract'
import { buildApp, type RelayOptions } from '../../server/src/app.js'
import { createInProcessBus } from '../../server/src/bus/in-process.js'
import { createSqliteStore } from '../../server/src/store/sqlite/sqlite-store.js'
import { createWorkerSqliteStore } from '../../server/src/store/sqlite/worker-store.js'
import { randomIds, systemClock, type Clock, type Deps } from '../../server/src/deps.js'
import { databaseFile } from '../../server/src/data-dir.js'
import { tempDir } from './temp-dir.js'
import { createTestAgent, createTestBrand, type TestAgent, type TestBrand } from './brand.js'
import { join } from 'node:path'
import { createDirectoryBlobStore } from '../../server/src/attachments/directory-blob-store.js'
import type { BlobStore } from '../../server/src/attachments/blob-store.js'

/** A running relay for a test: real SQLite file in a temp dir, listening on an ephemeral port. */
export interface TestRelay {
  app: FastifyInstance
  deps: Deps
  /** http://127.0.0.1:PORT */
  url: string
  /** ws://127.0.0.1:PORT/v1/live */
  wsUrl: string
  dataDir: string
  /** Closes the relay and the store and removes the temp dir. */
  close(): Promise<void>
}

/**
 * Starts a relay; `limits` override the defaults, `clock` replaces the system clock. The store runs
 * on a worker thread as in production (`PARLEY_TEST_STORE=main` keeps it on the test's thread).
 */
export async function startRelay(opts: {
  limits?: Partial<Limits>; clock?: Clock; tokenSecret?: Buffer; widgetDir?: string
  verifyPassword?: Deps['verifyPassword']
  /** Agents' presence counts (default: in-process), e.g. one that records what the relay counted. */
  presence?: Deps['presence']
  /** Rate-limit buckets (default: in-process), e.g. ones standing in for a slow Redis. */
  buckets?: Deps['buckets']
  /** Id source (default: random ids), e.g. one that fails on demand. */
  ids?: Deps['ids']
  /** Where the relay's log lines go (at `logLevel`, default trace); none by default. */
  logStream?: { write(line: string): void }; logLevel?: string
  maskingRuns?: RelayOptions['maskingRuns']
  /** Run on this directory's database (a restart: the caller removes it); default a fresh temp dir removed on close. */
  dataDir?: string
  /** Relay options beyond the ones above (country sources, trust-proxy). */
  relay?: Pick<RelayOptions, 'countryHeader' | 'geoIpDb' | 'trustProxy' | 'routing' | 'inactivitySweepMs' | 'sessionRecheckMs' | 'auditRetentionSweepMs' | 'allowPrivateKeyUrls' | 'retentionPurge' | 'erasureLedger' | 'erasureSweepMs' | 'allowPrivateWebhookUrls' | 'webhooks'>
  /** Where attachment bytes go (default: a directory store in the data directory). */
  blobs?: BlobStore
} = {}): Promise<TestRelay> {
  const { dir, remove } = opts.dataDir ? { dir: opts.dataDir, remove: () => {} } : tempDir()
  const file = databaseFile(dir)
  const store = process.env.PARLEY_TEST_STORE === 'main' ? createSqliteStore({ file }) : await createWorkerSqliteStore({ file })
  const deps: Deps = {
    store,
    bus: createInProcessBus(),
    clock: opts.clock ?? systemClock,
    ids: opts.ids ?? randomIds,
    tokenSecret: opts.tokenSecret ?? Buffer.from('test-secret-test-secret-test-secret!!'),
    ...(opts.verifyPassword ? { verifyPassword: opts.verifyPassword } : {}),
    ...(opts.presence ? { presence: opts.presence } : {}),
    ...(opts.buckets ? { buckets: opts.buckets } : {}),
    blobs: opts.blobs ?? await createDirectoryBlobStore(join(dir, 'attachments')),
  }
  const logger = opts.logStream ? { level: opts.logLevel ?? 'trace', stream: opts.logStream }
    : process.env.PARLEY_TEST_LOG ? { level: process.env.PARLEY_TEST_LOG } : false
  // Every test client comes from 127.0.0.1, so the per-address opening and login limits would couple
  // unrelated tests sharing a relay; the tests of those limits set them.
  const limits: Partial<Limits> = { visitorConversationsPerMinute: 1e6, ipConversationsPerMinute: 1e6, agentLoginsPerIpPerMinute: 1e6, ...opts.limits }
  // Erasures keep their ledger beside the database, as the CLI does (a test may pass null: none).
  const app = await buildApp(deps, { erasureLedger: join(dir, 'erasure-ledger.jsonl'), ...opts.relay, limits, widgetDir: opts.widgetDir ?? null, logger, ...(opts.maskingRuns ? { maskingRuns: opts.maskingRuns } : {}) })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const addr = app.server.address()
  const port = typeof addr === 'object' && addr ? addr.port : 0
  return {
    app, deps, dataDir: dir,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/v1/live`,
    async close() {
      // A test's HTTP client may keep a connection open with an answer it never read (a download a
      // test refused to read): the relay's close would then wait for its keep-alive timeout, past
      // the hook's. Once the relay has had a moment to close gracefully, such leftovers are cut.
      const cut = setTimeout(() => app.server.closeAllConnections(), 2000)
      await app.close().finally(() => clearTimeout(cut))
      await store.close()
      remove()
    },
  }
}

/** A relay with a brand and a logged-in agent of it. */
export interface RelayWithAgent {
  relay: TestRelay
  brand: TestBrand
  agent: TestAgent
}

/** Starts a relay (`opts` as startRelay's), creates a brand and logs an agent of it in; the relay is closed again if either fails. */
export async function startRelayWithAgent(opts: Parameters<typeof startRelay>[0] = {}): Promise<RelayWithAgent> {
  const relay = await startRelay(opts)
  try {
    const brand = await createTestBrand(relay)
    return { relay, brand, agent: await createTestAgent(relay, brand.brandId) }
  } catch (err) {
    await relay.close()
    throw err
  }
}
