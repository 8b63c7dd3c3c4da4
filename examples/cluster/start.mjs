#!/usr/bin/env node
// Two Parley relay nodes on PostgreSQL + Redis behind a round-robin load balancer, with the demo
// brand page, in one command:
//
//   npm run build && node examples/cluster/start.mjs        (or: npm run cluster)
//
// It creates the database and its two roles when missing (as the PostgreSQL admin), starts node A
// and node B (each a `parley start` process with a data dir of its own), and the balancer on PORT
// (relay, console) and PORT+1 (the demo brand page). Ctrl-C stops everything. See README.md.

import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath, pathToFileURL } from 'node:url'
import pg from 'pg'
import { startBalancer } from './balancer.mjs'

const env = process.env
const ADMIN_URL = env.PARLEY_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const REDIS_URL = env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const DATABASE = env.PARLEY_CLUSTER_DATABASE ?? 'parley_cluster'
const OWNER_ROLE = env.PARLEY_CLUSTER_OWNER_ROLE ?? 'parley_owner'
const SERVING_ROLE = env.PARLEY_CLUSTER_SERVING_ROLE ?? 'parley_app'
const HOST = env.HOST ?? '127.0.0.1'
const PORT = Number(env.PORT ?? 8080)
const NODE_PORTS = (env.PARLEY_CLUSTER_NODE_PORTS ?? `${PORT + 100},${PORT + 200}`).split(',').map(Number)
const DIR = resolve(env.PARLEY_CLUSTER_DIR ?? '.parley-cluster')
const CLI = fileURLToPath(new URL('../../server/dist/parley.mjs', import.meta.url))
const DIE_WITH_LAUNCHER = new URL('./die-with-launcher.mjs', import.meta.url).href
const NAME = /^[a-z_][a-z0-9_]*$/

if (!existsSync(CLI)) fail('server/dist/parley.mjs is missing: run npm run build first')
for (const name of [DATABASE, OWNER_ROLE, SERVING_ROLE]) if (!NAME.test(name)) fail(`${name}: use lowercase letters, digits and _`)

/** Creates the owner and serving roles and the database when missing; resolves the two URLs. */
async function prepareDatabase() {
  const admin = new pg.Client({ connectionString: ADMIN_URL })
  await admin.connect().catch((err) => fail(`cannot reach PostgreSQL at ${ADMIN_URL} (${err.message}); set PARLEY_ADMIN_DATABASE_URL`))
  try {
    // The owner owns the schema and runs migrations; the serving role owns nothing and cannot
    // bypass row-level security, so each brand's rows stay apart in the database itself.
    for (const [role, extra] of [[OWNER_ROLE, ''], [SERVING_ROLE, ' NOBYPASSRLS']]) {
      const { rowCount } = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])
      if (rowCount === 0) await admin.query(`CREATE ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE${extra}`)
    }
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE])
    if (rowCount === 0) {
      await admin.query(`CREATE DATABASE ${DATABASE} OWNER ${OWNER_ROLE}`)
      const inDb = new pg.Client({ connectionString: urlFor(ADMIN_URL, null, DATABASE) })
      await inDb.connect()
      await inDb.query(`REVOKE ALL ON SCHEMA public FROM PUBLIC; ALTER SCHEMA public OWNER TO ${OWNER_ROLE}`)
      await inDb.end()
      console.log(`  created database ${DATABASE} (owner ${OWNER_ROLE}, served as ${SERVING_ROLE})`)
    }
  } finally {
    await admin.end()
  }
  return { url: urlFor(ADMIN_URL, SERVING_ROLE, DATABASE), ownerUrl: urlFor(ADMIN_URL, OWNER_ROLE, DATABASE) }
}

/** ADMIN_URL with another role (no password: this machine's trust auth) and database. */
function urlFor(base, role, database) {
  const u = new URL(base)
  if (role) { u.username = role; u.password = '' }
  u.pathname = `/${database}`
  return u.toString()
}

/** The token secret both nodes sign with, kept so a restart keeps visitors' and agents' tokens. */
function sharedSecret() {
  if (env.PARLEY_SECRET) return env.PARLEY_SECRET
  const file = join(DIR, 'secret')
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 })
  return readFileSync(file, 'utf8').trim()
}

/**
 * Starts one node and resolves once its demo site listens. The node reads its stdin from us and
 * stops when it ends (die-with-launcher.mjs): it cannot outlive this script, even a kill -9 of it.
 */
function startNode(nodeId, port, shared) {
  const dataDir = join(DIR, nodeId)
  const child = spawn(process.execPath, ['--import', DIE_WITH_LAUNCHER, CLI, 'start', '--demo', '--port', String(port), '--host', HOST, '--data-dir', dataDir], {
    env: { ...env, ...shared, PARLEY_NODE_ID: nodeId },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const prefix = `[${nodeId}] `
  // What a node says on stderr (why it did not start, above all) is shown; its demo banner (the
  // indented lines) is printed once, below, for both nodes.
  createInterface({ input: child.stderr }).on('line', (line) => {
    if (line.trim() !== '' && !line.startsWith('  ')) console.error(prefix + line)
  })
  return new Promise((resolveStart, reject) => {
    child.once('exit', (code) => reject(new Error(`${nodeId} exited (${code}) before it was ready; see its lines above`)))
    createInterface({ input: child.stdout }).on('line', (line) => {
      let entry = null
      try { entry = JSON.parse(line) } catch { /* not a log line */ }
      if (entry?.level >= 40) console.log(prefix + (entry.msg ?? line))
      if (entry?.msg === 'demo site listening') resolveStart({ child, nodeId, dataDir })
    })
  })
}

/** Fails at once, naming the port, when something already listens on one this cluster needs. */
async function checkPortsFree(ports) {
  for (const port of ports) {
    const free = await new Promise((done) => {
      const probe = createServer().once('error', () => done(false))
      probe.listen(port, HOST, () => probe.close(() => done(true)))
    })
    if (!free) fail(`port ${port} on ${HOST} is taken: is an earlier cluster (or another program) still running? Stop it, or set PORT / PARLEY_CLUSTER_NODE_PORTS`)
  }
}

function fail(message) {
  console.error(`cluster example: ${message}`)
  process.exit(1)
}

// Each node listens on its port and its demo site on the next one; the balancer on PORT and PORT + 1.
await checkPortsFree([PORT, PORT + 1, ...NODE_PORTS.flatMap((p) => [p, p + 1])])
mkdirSync(DIR, { recursive: true, mode: 0o700 })
const db = await prepareDatabase()
const publicUrl = `http://localhost:${PORT}`
const shared = {
  DATABASE_URL: db.url, PARLEY_DATABASE_OWNER_URL: db.ownerUrl, REDIS_URL, PARLEY_SECRET: sharedSecret(),
  PARLEY_PUBLIC_URL: publicUrl, PARLEY_BLOB_URL: pathToFileURL(join(DIR, 'attachments')).href,
}
// Both at once: the migration lock and the demo's derived ids make a simultaneous start safe.
const nodes = await Promise.all([startNode('node-a', NODE_PORTS[0], shared), startNode('node-b', NODE_PORTS[1], shared)])
  .catch((err) => fail(err.message))
const relayBalancer = await startBalancer({ host: HOST, port: PORT, targets: NODE_PORTS.map((port) => ({ host: HOST, port })) })
const siteBalancer = await startBalancer({ host: HOST, port: PORT + 1, targets: NODE_PORTS.map((port) => ({ host: HOST, port: port + 1 })) })
const demo = JSON.parse(readFileSync(join(nodes[0].dataDir, 'demo.json'), 'utf8'))

console.log(`
  Parley cluster: node-a :${NODE_PORTS[0]}, node-b :${NODE_PORTS[1]}, on ${DATABASE} + ${REDIS_URL}
  Load balancer   ${publicUrl}  (round robin, no sticky sessions)
  Demo brand page http://localhost:${PORT + 1}/
  Agent console   ${publicUrl}/console?brand=${demo.brandId}
  Agent login     ${demo.agentEmail} / ${demo.agentPassword}
  Demo API key    ${demo.apiKey}

  Ctrl-C stops both nodes and the balancer.
`)

let stopping = false
async function stop() {
  if (stopping) return
  stopping = true
  await Promise.all([relayBalancer.close(), siteBalancer.close()])
  await Promise.all(nodes.map(({ child }) => new Promise((done) => {
    if (child.exitCode !== null) return done()
    child.once('exit', done)
    child.kill('SIGTERM')
  })))
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
for (const { child, nodeId } of nodes) child.once('exit', (code, signal) => { if (!stopping) console.log(`  ${nodeId} exited (${code ?? signal}); the balancer sends its connections to the other node`) })
