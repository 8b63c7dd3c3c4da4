import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { registerCleanup } from './lifecycle.mjs'
import { startParley } from './parley-target.mjs'
import { adminQuery, createBenchDatabase } from './pg-database.mjs'
import { REDIS_URL, clientNames, redisServerPid, withRedis } from './redis-probe.mjs'

// Parley as it runs in production: on PostgreSQL (a fresh database per target, dropped at the
// end), alone or as two relay nodes joined through Redis. The relay is started through its CLI
// with the environment an operator sets (DATABASE_URL, PARLEY_DATABASE_OWNER_URL, REDIS_URL,
// PARLEY_NODE_ID, PARLEY_BUS_BATCH, PARLEY_SECRET, PARLEY_BLOB_URL), so the benchmark measures the real wiring. Before the load
// it checks that the relay really stored its brand in PostgreSQL and that every node connected to
// Redis: a CLI that ignored those variables would otherwise be measured as SQLite, in-process.

/**
 * Starts Parley on PostgreSQL with `nodes` relay processes (1, or 2 joined through Redis); the
 * other options are startParley's. Resolves with the target description plus `services`
 * ({ postgresDatabase, redisPid }) whose CPU the loadgen measures beside the relays'. Rejects with
 * the reason when PostgreSQL or Redis is missing or the relay did not use them.
 */
export async function startParleyPostgres({ nodes = 1, name, ...options }) {
  const redisPid = nodes > 1 ? await withRedis(redisServerPid) : null
  const db = await createBenchDatabase()
  const unregister = registerCleanup(db.dropSync)
  const dropDatabase = async () => {
    unregister()
    await db.drop().catch((err) => process.stderr.write(`bench: could not drop ${db.name}: ${err.message}\n`))
  }
  const run = randomBytes(3).toString('hex')
  const nodeIds = Array.from({ length: nodes }, (_, i) => `bench-${run}-${i + 1}`)
  // Several nodes must sign and check each other's agent tokens: one secret for all of them.
  const secret = randomBytes(32).toString('hex')
  // Nodes share one attachment directory, as the operations guide asks (the load sends none).
  const blobDir = mkdtempSync(join(tmpdir(), 'parley-bench-blobs-'))
  const removeBlobDir = () => rmSync(blobDir, { recursive: true, force: true, maxRetries: 3 })
  const unregisterBlobDir = registerCleanup(removeBlobDir)
  const env = {
    DATABASE_URL: db.url, PARLEY_DATABASE_OWNER_URL: db.ownerUrl, PARLEY_SECRET: secret,
    PARLEY_BLOB_URL: pathToFileURL(blobDir).href,
    // Every node runs this build, so each reads the others' batched bus envelopes.
    ...(nodes > 1 ? { REDIS_URL, PARLEY_BUS_BATCH: '1' } : {}),
  }
  const cleanUp = async () => {
    await dropDatabase()
    removeBlobDir()
    unregisterBlobDir()
  }
  let target
  try {
    target = await startParley({ ...options, name, env, nodeEnvs: nodeIds.map((id) => ({ PARLEY_NODE_ID: id })) })
  } catch (err) {
    await cleanUp()
    throw err
  }
  try {
    await checkBrandInPostgres(db, target.brandId)
    if (nodes > 1) await checkNodesOnRedis(nodeIds)
  } catch (err) {
    await target.stop()
    await cleanUp()
    throw err
  }
  return {
    ...target,
    services: { postgresDatabase: db.name, redisPid },
    async stop() {
      const exit = await target.stop()
      await cleanUp()
      return exit
    },
  }
}

async function checkBrandInPostgres(db, brandId) {
  const rows = await adminQuery('SELECT count(*)::int AS n FROM brands WHERE brand_id = $1', [brandId], db.adminUrl)
    .catch((err) => { throw new Error(`the relay did not use DATABASE_URL: ${err.message} in ${db.name}`) })
  if (rows[0].n !== 1) throw new Error(`the relay did not use DATABASE_URL: brand ${brandId} is not in ${db.name} (does this CLI read DATABASE_URL?)`)
}

// The cluster code names its Redis connections after the node (`parley:<nodeId>` and the bus's).
async function checkNodesOnRedis(nodeIds) {
  const names = await withRedis(clientNames)
  const missing = nodeIds.filter((id) => !names.some((n) => n.endsWith(`:${id}`)))
  if (missing.length) throw new Error(`node(s) ${missing.join(', ')} did not connect to Redis at ${REDIS_URL} (does this CLI read REDIS_URL and PARLEY_NODE_ID?)`)
}
