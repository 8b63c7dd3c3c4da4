#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { DEFAULT_LIMITS, ROLES, SCOPES, type Limits, type Role, type Scope } from '@parley/sdk/contract'
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import { buildApp } from './app.js'
import { resolveStoreThread } from './store/sqlite/worker-store.js'
import { createInProcessBus } from './bus/in-process.js'
import { randomIds, systemClock, type Deps } from './deps.js'
import { loadSecret, openDataDir } from './data-dir.js'
import { erasureLedgerPath } from './data-rights/erasure-ledger.js'
import { blobStoreFromEnv } from './attachments/blob-store-config.js'
import { limitFlag, readClusterSettings, readLimits, readStoreSettings, type ClusterSettings, type StoreSettings } from './config.js'
import { openStore } from './open-store.js'
import { openCluster, type ClusterLink } from './open-cluster.js'
import { HELP } from './cli-help.js'
import { postgresAddress } from './store/postgres/postgres-address.js'
import { createBrand } from './admin/brands.js'
import { createAgent } from './admin/agents.js'
import { issueApiKey } from './admin/api-keys.js'
import { createAuditLog } from './audit/audit-log.js'
import { ensureDemo } from './demo.js'
import { startDemoSite } from './demo-site.js'
import { maskExisting } from './masking/mask-existing-command.js'
import { backupOrRestore, replayErasuresCommand } from './backup/backup-cli.js'
import { replayLedgerAtStart } from './backup/startup-replay.js'
import { applyHeapGrowth, readHeapGrowth } from './heap-growth.js'

// The composition root: parses the command line, picks the real store, bus, clock and ids, and runs.

const limitOptions = Object.fromEntries(
  (Object.keys(DEFAULT_LIMITS) as (keyof Limits)[]).map((n) => [limitFlag(n), { type: 'string' as const }]),
)

/** The command line, parsed. */
function parseFlags(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'help': { type: 'boolean', short: 'h' },
      'data-dir': { type: 'string' },
      'port': { type: 'string' },
      'host': { type: 'string' },
      'log-level': { type: 'string' },
      'synchronous': { type: 'string' },
      'store-thread': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'trust-proxy': { type: 'boolean' },
      'country-header': { type: 'string' },
      'geoip-db': { type: 'string' },
      'demo': { type: 'boolean' },
      'widget-dir': { type: 'string' },
      'no-demo': { type: 'boolean' },
      'no-demo-rules': { type: 'boolean' },
      'no-demo-surveys': { type: 'boolean' },
      'json': { type: 'boolean' },
      'name': { type: 'string' },
      'origin': { type: 'string', multiple: true },
      'brand': { type: 'string' },
      'email': { type: 'string' },
      'password': { type: 'string' },
      'batch-size': { type: 'string' },
      'pause-ms': { type: 'string' },
      'vacuum': { type: 'boolean' },
      'database-url': { type: 'string' },
      'redis-url': { type: 'string' },
      'node-id': { type: 'string' },
      'redis-prefix': { type: 'string' },
      'public-url': { type: 'string' },
      'role': { type: 'string' },
      'scopes': { type: 'string' },
      'expires-days': { type: 'string' },
      'out': { type: 'string' },
      'erasures': { type: 'string', multiple: true },
      ...limitOptions,
    },
  })
}

/** The parsed flags. */
type ParsedFlags = ReturnType<typeof parseFlags>['values']

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values: f, positionals } = parseFlags(argv)
  const command = positionals.join(' ')
  if (f.help || command === '' || command === 'help') {
    process.stdout.write(HELP)
    return command === '' && !f.help ? 1 : 0
  }
  // Both work on files, not on an opened store: restore needs a data directory nothing created yet.
  if (positionals[0] === 'backup' || positionals[0] === 'restore') return backupOrRestore(positionals, f, env)
  const dataDir = openDataDir(f['data-dir'] ?? env.PARLEY_DATA_DIR ?? '.parley-data')
  const synchronous = (f.synchronous ?? env.PARLEY_SYNCHRONOUS ?? 'FULL').toUpperCase()
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL') throw new Error('--synchronous must be FULL or NORMAL')
  const storeThread = resolveStoreThread(f['store-thread'] ?? env.PARLEY_STORE_THREAD ?? 'auto')
  const storeSettings = readStoreSettings(f, env)
  const cluster = readClusterSettings(f, env, () => `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`)
  const forRelay = command === 'start'
  // Checked with the other settings, before anything opens.
  const heapGrowth = forRelay ? readHeapGrowth(env.PARLEY_HEAP_GROWTH) : 0
  applyHeapGrowth(heapGrowth)
  // Checked before anything opens: a node that cannot share tokens must not start half-way.
  const tokenSecret = loadSecret(dataDir, env, cluster.redisUrl !== null ? 'REDIS_URL is set' : undefined)
  // Nodes on SQLite files of their own would each keep different conversations behind one balancer.
  if (forRelay && cluster.redisUrl !== null && storeSettings.kind === 'sqlite') {
    throw new Error('REDIS_URL is set but DATABASE_URL is not: the nodes of a cluster must share one PostgreSQL database (set DATABASE_URL), or unset REDIS_URL to run one node on SQLite')
  }
  // Background failures of the store's pool and the cluster's parts go to stderr until the relay's logger exists.
  const reportBackground: BackgroundReports = {
    to: (err, what) => process.stderr.write(`parley: ${what} failed: ${err instanceof Error ? err.message : String(err)}\n`),
    recovered: () => process.stderr.write('parley: Redis answers again\n'),
  }
  const opened: StartupFacts = { migrated: null }
  const store = await openStore(storeSettings, dataDir, { synchronous, storeThread }, forRelay, {
    onPoolError: (err) => reportBackground.to(err, 'an idle PostgreSQL connection'),
    onMigrated: (from, to) => { opened.migrated = { from, to } },
  })
  const link = forRelay
    ? await openCluster(cluster, systemClock, (err, what) => reportBackground.to(err, what), () => reportBackground.recovered()).catch(async (err: unknown) => { await store.close(); throw err })
    : null
  // Every way out but a relay that serves lets go of the pool and the Redis clients: either would
  // keep the process alive (ioredis reconnects for ever), hanging a failed start instead of exiting.
  let released = false
  const release = async () => {
    if (released) return
    released = true
    await link?.close().catch(() => {})
    await store.close().catch(() => {})
  }
  try {
    const deps: Deps = {
      store, clock: systemClock, ids: randomIds, tokenSecret,
      bus: link?.bus ?? createInProcessBus(),
      ...link?.deps,
      ...(forRelay ? { blobs: await blobStoreFromEnv(dataDir, env) } : {}),
    }
    const code = await run(command, deps, f, env, { dataDir, storeSettings, storeThread, heapGrowth, cluster, reportBackground, opened, link })
    if (code >= 0) await release()
    return code
  } catch (err) {
    await release()
    throw err
  }
}

/** The --role flag as a role; throws naming the allowed ones. */
function roleFlag(value: string): Role {
  if (!(ROLES as readonly string[]).includes(value)) throw new Error(`--role must be one of ${ROLES.join(', ')}`)
  return value as Role
}

/** Runs `command` on the opened deps; -1 for a relay that now serves until it is stopped. */
async function run(command: string, deps: Deps, f: ParsedFlags, env: NodeJS.ProcessEnv, placement: Placement & { link: ClusterLink | null }): Promise<number> {
  const print = (human: string, data: unknown) => process.stdout.write(f.json ? JSON.stringify(data) + '\n' : human + '\n')
  // Accounts and keys made on the relay's machine are in the brand's audit log too, by `system`.
  const audit = createAuditLog({ store: deps.store, clock: deps.clock, settings: (brandId) => deps.store.getSecurityConfig(brandId) })
  switch (command) {
    case 'brand create': {
      if (!f.name) throw new Error('brand create needs --name')
      const { brand, apiKey } = await createBrand(deps, { name: f.name, origins: f.origin ?? [] })
      print(
        `brand ${brand.brandId} created\n  site key: ${brand.siteKey}\n  admin API key (every scope; shown once, keep it safe): ${apiKey}\n  origins: ${brand.allowedOrigins.join(', ') || '(none)'}`,
        { brandId: brand.brandId, siteKey: brand.siteKey, apiKey, allowedOrigins: brand.allowedOrigins },
      )
      return 0
    }
    case 'agent create': {
      // The environment keeps the password out of the process list and shell history.
      const password = f.password ?? env.PARLEY_AGENT_PASSWORD
      if (!f.brand || !f.email || !f.name || !password) throw new Error('agent create needs --brand, --email, --name and --password (or PARLEY_AGENT_PASSWORD)')
      const role = roleFlag(f.role ?? 'agent')
      if (!(await deps.store.getBrand(f.brand))) throw new Error(`no brand ${f.brand}`)
      const agent = await createAgent(deps, { brandId: f.brand, email: f.email, name: f.name, password, role })
      if (!agent) throw new Error(`an agent with e-mail ${f.email} already exists in ${f.brand}`)
      await audit.record({
        brandId: agent.brandId, actor: { kind: 'system', id: null }, action: 'account.create', resource: { type: 'agent', id: agent.agentId }, detail: { role: agent.role, via: 'cli' },
      })
      print(`agent ${agent.agentId} (${agent.role}) created for ${agent.email}`, { agentId: agent.agentId, brandId: agent.brandId, email: agent.email, name: agent.name, role: agent.role })
      return 0
    }
    case 'agent role': {
      // After the upgrade to roles every account is a supervisor: this names the brand's admins.
      if (!f.brand || !f.email || !f.role) throw new Error(`agent role needs --brand, --email and --role (${ROLES.join(', ')})`)
      const role = roleFlag(f.role)
      const before = await deps.store.getAgentByEmail(f.brand, f.email.trim().toLowerCase())
      if (!before) throw new Error(`no agent with e-mail ${f.email} in ${f.brand}`)
      const changed = await deps.store.setAgentAccess(f.brand, before.agentId, { role }, deps.clock.now())
      if (!changed.ok) {
        throw new Error(changed.code === 'PARLEY_ERR_AUTH_LAST_ADMIN' ? `${f.email} is the brand's last active admin: name another admin first` : `no agent with e-mail ${f.email} in ${f.brand}`)
      }
      const agent = changed.agent
      await audit.record({
        brandId: agent.brandId, actor: { kind: 'system', id: null }, action: 'account.change', resource: { type: 'agent', id: agent.agentId },
        detail: { fields: 'role', role: agent.role, previousRole: before.role, via: 'cli' },
      })
      print(`agent ${agent.agentId} (${agent.email}) is now ${agent.role} (was ${before.role})`, { agentId: agent.agentId, brandId: agent.brandId, email: agent.email, role: agent.role, previousRole: before.role })
      return 0
    }
    case 'key create': {
      if (!f.brand || !f.name || !f.scopes) throw new Error(`key create needs --brand, --name and --scopes (comma-separated: ${SCOPES.join(',')})`)
      const scopes = [...new Set(f.scopes.split(',').map((s) => s.trim()).filter((s) => s !== ''))]
      const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s))
      if (scopes.length === 0 || unknown.length > 0) throw new Error(`--scopes: unknown ${unknown.join(', ') || '(none given)'}; choose from ${SCOPES.join(', ')}`)
      const name = f.name.trim()
      if (name === '' || name.length > 128) throw new Error('--name must be 1-128 characters')
      const days = wholeNumber(f['expires-days'], '--expires-days', 1)
      if (!(await deps.store.getBrand(f.brand))) throw new Error(`no brand ${f.brand}`)
      const expiresAt = days === undefined ? null : deps.clock.now() + days * 86_400_000
      const { record, secret } = await issueApiKey(deps, { brandId: f.brand, name, scopes: scopes as Scope[], expiresAt, createdBy: 'cli' })
      await audit.record({
        brandId: record.brandId, actor: { kind: 'system', id: null }, action: 'key.create', resource: { type: 'key', id: record.keyId },
        detail: { name: record.name, scopes: record.scopes.join(','), via: 'cli' },
      })
      print(
        `API key ${record.keyId} "${record.name}" created\n  scopes: ${record.scopes.join(', ')}\n  expires: ${expiresAt === null ? 'never' : new Date(expiresAt).toISOString()}\n  secret (shown once, keep it safe): ${secret}`,
        { keyId: record.keyId, brandId: record.brandId, name: record.name, scopes: record.scopes, expiresAt, secret },
      )
      return 0
    }
    case 'mask-existing': {
      if (!f.brand) throw new Error('mask-existing needs --brand')
      if (!(await deps.store.getBrand(f.brand))) throw new Error(`no brand ${f.brand}`)
      // Ctrl-C stops after the current batch; the run resumes where it stopped on the next start.
      const interrupt = new AbortController()
      process.once('SIGINT', () => interrupt.abort())
      process.once('SIGTERM', () => interrupt.abort())
      const code = await maskExisting(deps, {
        brandId: f.brand, json: Boolean(f.json),
        batchSize: wholeNumber(f['batch-size'], '--batch-size', 1), pauseMs: wholeNumber(f['pause-ms'], '--pause-ms', 0),
        vacuum: Boolean(f.vacuum), out: process.stdout, err: process.stderr, signal: interrupt.signal,
      })
      return code
    }
    case 'replay-erasures':
      return replayErasuresCommand(deps.store, placement, f, env)
    case 'start':
      return start(deps, { ...placement, link: placement.link! }, f, env)
    default:
      throw new Error(`unknown command "${command}"; see parley --help`)
  }
}

/** Where this relay's state lives, for its start-up log line and the demo. */
interface Placement {
  dataDir: string
  storeSettings: StoreSettings
  storeThread: string
  /** PARLEY_HEAP_GROWTH as applied (0: V8's own heap choices). */
  heapGrowth: number
  cluster: ClusterSettings
  /** Where the cluster's background failures go: the relay's log once it exists. */
  reportBackground: BackgroundReports
  /** What opening the store did, for the relay's log. */
  opened: StartupFacts
}

/** Where background failures (and Redis's recovery) are told; swapped for the relay's log once it exists. */
interface BackgroundReports {
  to: (err: unknown, what: string) => void
  recovered: () => void
}

/** What happened while the store opened, before the relay's logger existed. */
interface StartupFacts {
  /** The schema versions this start migrated between, or null when it was current. */
  migrated: { from: number; to: number } | null
}

async function start(deps: Deps, placement: Placement & { link: ClusterLink }, f: Record<string, unknown>, env: NodeJS.ProcessEnv): Promise<number> {
  const { dataDir, storeSettings, storeThread, cluster, link } = placement
  const port = Number(f.port ?? env.PORT ?? 8080)
  const host = String(f.host ?? env.HOST ?? '127.0.0.1')
  const certFile = (f['tls-cert'] ?? env.PARLEY_TLS_CERT) as string | undefined
  const keyFile = (f['tls-key'] ?? env.PARLEY_TLS_KEY) as string | undefined
  if (Boolean(certFile) !== Boolean(keyFile)) throw new Error('--tls-cert and --tls-key go together')
  const https = certFile && keyFile ? { cert: readFileSync(certFile), key: readFileSync(keyFile) } : null
  const geoIpFile = (f['geoip-db'] ?? env.PARLEY_GEOIP_DB) as string | undefined
  const countryHeader = (f['country-header'] ?? env.PARLEY_COUNTRY_HEADER) as string | undefined
  if (countryHeader !== undefined && !/^[A-Za-z0-9-]{1,64}$/.test(countryHeader)) throw new Error('--country-header must be a header name, e.g. CF-IPCountry')
  const widgetDir = String(f['widget-dir'] ?? env.PARLEY_WIDGET_DIR ?? fileURLToPath(new URL('../../widget/dist/', import.meta.url)))
  const app = await buildApp(deps, {
    widgetDir,
    limits: readLimits(f, env),
    logger: { level: String(f['log-level'] ?? env.PARLEY_LOG_LEVEL ?? 'info') },
    https,
    trustProxy: Boolean(f['trust-proxy'] ?? (env.PARLEY_TRUST_PROXY === '1' || env.PARLEY_TRUST_PROXY === 'true')),
    allowPrivateKeyUrls: env.PARLEY_ALLOW_PRIVATE_KEY_URLS === '1' || env.PARLEY_ALLOW_PRIVATE_KEY_URLS === 'true',
    allowPrivateWebhookUrls: env.PARLEY_ALLOW_PRIVATE_WEBHOOK_URLS === '1' || env.PARLEY_ALLOW_PRIVATE_WEBHOOK_URLS === 'true',
    countryHeader: countryHeader ?? null,
    geoIpDb: geoIpFile ? readFileSync(geoIpFile) : null,
    erasureLedger: erasureLedgerPath(dataDir, env),
    maskingRuns: {
      batchSize: wholeNumber(env.PARLEY_MASKING_BATCH_SIZE, 'PARLEY_MASKING_BATCH_SIZE', 1),
      pauseMs: wholeNumber(env.PARLEY_MASKING_PAUSE_MS, 'PARLEY_MASKING_PAUSE_MS', 0),
    },
  })
  placement.reportBackground.to = (err, what) => app.log.warn({ err, nodeId: cluster.nodeId }, `cluster: ${what} failed`)
  placement.reportBackground.recovered = () => app.log.info({ nodeId: cluster.nodeId }, 'cluster: Redis answers again')
  let stopping = false
  const onStop: (() => Promise<void>)[] = []
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    app.log.info({ signal }, 'relay stopping')
    Promise.all(onStop.map((f) => f())).then(() => app.close()).then(() => link.close()).then(() => deps.store.close()).then(() => process.exit(0), (err: unknown) => {
      app.log.error({ err }, 'unclean shutdown')
      process.exit(1)
    })
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
  logStore(app.log, placement)
  try {
    await replayLedgerAtStart(app.log, deps.store, erasureLedgerPath(dataDir, env), env)
    return await serve(app, deps, placement, onStop, { port, host, https: https !== null, widgetDir }, f, env)
  } catch (err) {
    // The caller closes the store and the cluster link; the app's timers and the demo site are ours.
    await Promise.all(onStop.map((f) => f().catch(() => {})))
    await app.close().catch(() => {})
    throw err
  }
}

/** Says which store this relay serves from and, when this start migrated it, between which versions. */
function logStore(log: FastifyBaseLogger, placement: Placement): void {
  const { storeSettings, dataDir, opened } = placement
  if (storeSettings.kind === 'postgres') {
    const database = postgresAddress(storeSettings.url)
    log.info({ store: 'postgres', database }, `store: PostgreSQL at ${database}`)
  } else {
    log.info({ store: 'sqlite', dataDir }, `store: SQLite in ${dataDir}`)
  }
  const m = opened.migrated
  if (m) log.info({ from: m.from, to: m.to }, `PostgreSQL schema migrated from version ${m.from} to ${m.to}`)
}

/** Where and how the relay listens. */
interface Listening { port: number; host: string; https: boolean; widgetDir: string }

/** Listens, says where, and starts the demo when asked; -1: the relay serves until stopped. */
async function serve(app: FastifyInstance, deps: Deps, placement: Placement, onStop: (() => Promise<void>)[], on: Listening, f: Record<string, unknown>, env: NodeJS.ProcessEnv): Promise<number> {
  const { dataDir, storeSettings, storeThread, heapGrowth, cluster } = placement
  const { port, host, https, widgetDir } = on
  await app.listen({ port, host })
  const addr = app.server.address()
  const boundPort = typeof addr === 'object' && addr ? addr.port : port
  const scheme = https ? 'https' : 'http'
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host
  const url = `${scheme}://${shownHost}:${boundPort}`
  const storeKind = storeSettings.kind
  app.log.info({ url, dataDir, store: storeKind, ...(storeKind === 'sqlite' ? { storeThread } : {}), heapGrowth, nodeId: cluster.nodeId, cluster: cluster.redisUrl !== null }, 'relay listening')
  if (cluster.redisUrl !== null && !env.PARLEY_BLOB_URL) app.log.warn({ dataDir }, 'attachments are kept in this node\'s data directory, which the other nodes do not see: set PARLEY_BLOB_URL to an s3:// bucket or a file:// directory every node shares')
  if (!existsSync(join(widgetDir, 'parley.js'))) app.log.warn({ widgetDir }, 'no widget bundles here: /parley.js, /w and /console answer 404 (run npm run build)')
  if (f.demo && !f['no-demo']) {
    // Behind a load balancer the page must reach the relay through it, on any node.
    const publicUrl = publicAddress(f['public-url'] ?? env.PARLEY_PUBLIC_URL)
    const demo = await ensureDemo(deps, dataDir, publicUrl ? Number(publicUrl.port) : boundPort, {
      rules: !f['no-demo-rules'], surveys: !f['no-demo-surveys'],
      // Nodes of one cluster must arrive at one demo brand, whichever starts first.
      shared: storeKind === 'postgres' || cluster.redisUrl !== null,
    })
    const site = await startDemoSite({ host, port: boundPort + 1, relayUrl: publicUrl?.origin ?? url, siteKey: demo.siteKey })
    onStop.push(() => site.close())
    app.log.info({ url: site.url }, 'demo site listening')
    process.stderr.write(
      `\n  Demo brand page  ${site.url}/   (open it and chat in the widget)\n` +
      `  Agent console    ${url}/console?brand=${demo.brandId}\n` +
      `  Agent login      ${demo.agentEmail} / ${demo.agentPassword}\n\n` +
      `  Parley relay   ${url}\n` +
      `  WebSocket      ${url.replace(/^http/, 'ws')}/v1/live?site=${demo.siteKey}\n` +
      `  Demo brand     ${demo.brandId}   site key ${demo.siteKey}\n` +
      `  Demo agent     ${demo.agentEmail} / ${demo.agentPassword}   (brand ${demo.brandId})\n` +
      `  Demo API key   ${demo.apiKey}\n` +
      `  Data           ${dataDir}\n\n`,
    )
  }
  return -1
}

/** The relay's public address (PARLEY_PUBLIC_URL), or null when it is reached directly. */
function publicAddress(raw: unknown): URL | null {
  if (raw === undefined || raw === '') return null
  const u = URL.canParse(String(raw)) ? new URL(String(raw)) : null
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:') || u.port === '') throw new Error('--public-url (PARLEY_PUBLIC_URL) must be an http(s) URL with a port, e.g. http://localhost:8080')
  return u
}

/** A whole number of at least `min` from a flag or variable; undefined when not given. */
function wholeNumber(raw: unknown, name: string, min: number): number | undefined {
  if (raw === undefined || raw === '') return undefined
  const n = Number(raw)
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`${name} must be a whole number of at least ${min}`)
  return n
}

main(process.argv.slice(2), process.env).then(
  (code) => { if (code >= 0) process.exitCode = code },
  (err: unknown) => {
    process.stderr.write(`parley: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exitCode = 2
  },
)
