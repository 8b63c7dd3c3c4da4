import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { createPostgresStore } from '../../server/dist/store/postgres/pg-store.js'

// The PostgreSQL store's group commit alone, without a relay: batches of 50 appends, each to one of
// 200 open conversations picked at random (as a relay's write batch collects them), 200-byte texts,
// and batches of first messages, each opening a conversation; sent one batch after the other
// (`in flight` 1, as one relay node commits) and with several batches in flight (several nodes on
// one database). Reports appends/s and the median and p99 batch time.
// `node test/bench/postgres-append.mjs` after `npm run build`; PARLEY_BENCH_PG_URL names a superuser
// connection (default: this machine's test server), on which it makes and drops a database of its own.

const ADMIN_URL = process.env.PARLEY_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const CONVERSATIONS = 200
const BATCH = 50
const SECONDS = Number(process.env.BENCH_PG_APPEND_SECONDS ?? 5)
const TEXT = 'x'.repeat(200)
const OWNER = 'parley_bench_owner'
const SERVING = 'parley_bench_app'

async function admin(sql, url = ADMIN_URL) {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try { return (await c.query(sql)).rows } finally { await c.end() }
}

function urlFor(role, database) {
  const u = new URL(ADMIN_URL)
  u.username = role
  u.password = ''
  u.pathname = `/${database}`
  return u.toString()
}

async function createDatabase() {
  for (const role of [OWNER, SERVING]) {
    await admin(`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN
      CREATE ROLE ${role} LOGIN NOSUPERUSER NOBYPASSRLS; END IF; END $$`)
  }
  const name = `parley_bench_${randomBytes(4).toString('hex')}`
  await admin(`CREATE DATABASE ${name} OWNER ${OWNER}`)
  await admin(`REVOKE ALL ON SCHEMA public FROM PUBLIC; ALTER SCHEMA public OWNER TO ${OWNER}`, urlFor(new URL(ADMIN_URL).username || 'postgres', name))
  return name
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]

/** A batch of appends to open conversations picked at random. */
const toOpen = (brandId, convs, label, next) => Array.from({ length: BATCH }, () => {
  const c = convs[Math.floor(Math.random() * convs.length)]
  return { brandId, convId: c.convId, clientMsgId: `${label}-${next()}`, from: c.v, text: TEXT, at: Date.now(), context: null }
})

/** A batch of first messages, each opening a conversation of its own. */
const toFresh = (brandId, _convs, label, next) => Array.from({ length: BATCH }, () => {
  const i = next()
  return { brandId, convId: `${label}-c${i}`, clientMsgId: 'open', from: { kind: 'visitor', id: `${label}-v${i}` }, text: TEXT, at: Date.now(), context: null }
})

/** Appends batches with `inFlight` at once for SECONDS; appends/s and batch times. */
async function run(store, brandId, convs, inFlight, label, makeBatch = toOpen) {
  let n = 0
  const times = []
  const deadline = performance.now() + SECONDS * 1000
  const lane = async () => {
    while (performance.now() < deadline) {
      const batch = makeBatch(brandId, convs, label, () => n++)
      const t = performance.now()
      const results = await store.appendMessages(batch)
      times.push(performance.now() - t)
      if (!results.every((r) => r.ok && !r.duplicate)) throw new Error('an append was refused')
    }
  }
  const start = performance.now()
  await Promise.all(Array.from({ length: inFlight }, lane))
  const seconds = (performance.now() - start) / 1000
  times.sort((a, b) => a - b)
  return { batches: makeBatch === toOpen ? 'to open chats' : 'first messages', inFlight, appendsPerSecond: Math.round((times.length * BATCH) / seconds), medianMs: quantile(times, 0.5).toFixed(1), p99Ms: quantile(times, 0.99).toFixed(1) }
}

const name = await createDatabase()
const store = await createPostgresStore({ url: urlFor(SERVING, name), ownerUrl: urlFor(OWNER, name), poolSize: 8 })
try {
  const brandId = 'b_bench'
  await store.createBrand({ brandId, name: 'Bench', siteKey: 'site_bench', allowedOrigins: ['https://bench.example'], apiKeyHash: 'hash_bench', createdAt: Date.now() })
  const convs = Array.from({ length: CONVERSATIONS }, (_, i) => ({ convId: `c${i}`, v: { kind: 'visitor', id: `v${i}` } }))
  await store.appendMessages(convs.map((c) => ({ brandId, convId: c.convId, clientMsgId: 'open', from: c.v, text: 'hello', at: Date.now(), context: null })))
  const rows = []
  for (const inFlight of [1, 2, 4]) rows.push(await run(store, brandId, convs, inFlight, `f${inFlight}`))
  for (const inFlight of [1, 4]) rows.push(await run(store, brandId, convs, inFlight, `o${inFlight}`, toFresh))
  console.log(`PostgreSQL appendMessages, batches of ${BATCH} (over ${CONVERSATIONS} open conversations, or each opening one), ${SECONDS} s each`)
  console.table(rows)
} finally {
  await store.close()
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
}
