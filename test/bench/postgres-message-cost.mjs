import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { createBenchDatabase, adminQuery } from './pg-database.mjs'
import { createServiceCpu } from './service-cpu.mjs'

// The database's CPU per message over a conversation's life on the PostgreSQL store, counted from
// /proc for the backends of a database of its own (other databases on the server do not count):
// appends (batches of 50 over 200 open conversations, one batch in flight, the benchmark's 200-byte
// words), then a search with words while those conversations are open, then closing every one.
// Work moved from the append to the close (building search words later, say) shows in the sum.
// `node test/bench/postgres-message-cost.mjs` after `npm run build`. PARLEY_BENCH_DIST names
// another build's server/dist to measure (an older commit's, for alternating pairs);
// BENCH_PG_COST_BATCHES the number of batches (200); BENCH_PG_URL a superuser URL (default: this
// machine's test server). WAL is the server's, so other databases' commits in the same seconds
// count too: compare it only where nothing else writes.

const DIST = process.env.PARLEY_BENCH_DIST ?? new URL('../../server/dist/', import.meta.url).pathname
const CONVERSATIONS = 200
const BATCH = 50
const BATCHES = Number(process.env.BENCH_PG_COST_BATCHES ?? 200)
const SEARCHES = 5
const WORDS = 'thanks for getting back to me so quickly I wanted to ask about my order and when it ships '
const TEXT = WORDS.repeat(3).slice(0, 200)

const { createPostgresStore } = await import(pathToFileURL(`${DIST}/store/postgres/pg-store.js`).href)
const db = await createBenchDatabase('parley_cost')
const cpu = createServiceCpu({ postgresDatabase: db.name })
const walLsn = async () => (await adminQuery('SELECT pg_current_wal_lsn()::text AS lsn', [], db.adminUrl))[0].lsn
const walBytes = async (from, to) => Number((await adminQuery('SELECT pg_wal_lsn_diff($2, $1)::bigint AS d', [from, to], db.adminUrl))[0].d)

/** Runs `work` and measures it: the database's CPU (µs) and WAL bytes per `count`, and wall ms. */
async function phase(count, work) {
  const [c0, w0, t0] = [cpu.sample(), await walLsn(), performance.now()]
  await work()
  const ms = performance.now() - t0
  const [c1, w1] = [cpu.sample(), await walLsn()]
  return { cpuUsPerMessage: +(cpu.used(c0, c1).postgres * 1e6 / count).toFixed(1), walBytesPerMessage: Math.round(await walBytes(w0, w1) / count), ms: Math.round(ms) }
}

const store = await createPostgresStore({ url: db.url, ownerUrl: db.ownerUrl, poolSize: 8 })
try {
  const brandId = 'b_cost'
  await store.createBrand({ brandId, name: 'Cost', siteKey: 'site_cost', allowedOrigins: ['https://cost.example'], apiKeyHash: 'hash_cost', createdAt: Date.now() })
  const convs = Array.from({ length: CONVERSATIONS }, (_, i) => ({ convId: `c${i}`, v: { kind: 'visitor', id: `v${i}` } }))
  await store.appendMessages(convs.map((c) => ({ brandId, convId: c.convId, clientMsgId: 'open', from: c.v, text: TEXT, at: Date.now(), context: null })))
  let n = 0
  const messages = BATCHES * BATCH
  const append = await phase(messages, async () => {
    for (let b = 0; b < BATCHES; b++) {
      const batch = Array.from({ length: BATCH }, () => {
        const c = convs[Math.floor(Math.random() * convs.length)]
        return { brandId, convId: c.convId, clientMsgId: `m${n++}`, from: c.v, text: TEXT, at: Date.now(), context: null }
      })
      const results = await store.appendMessages(batch)
      if (!results.every((r) => r.ok && !r.duplicate)) throw new Error('an append was refused')
    }
  })
  const total = messages + CONVERSATIONS
  const searchMs = []
  const search = await phase(SEARCHES, async () => {
    for (let i = 0; i < SEARCHES; i++) {
      const t = performance.now()
      const found = (await store.listConversations(brandId, { q: 'quickly ships' })).conversations.length
      searchMs.push(performance.now() - t)
      if (found === 0) throw new Error('the search found nothing')
    }
  })
  const close = await phase(total, async () => {
    for (const c of convs) {
      const r = await store.closeConversation(brandId, c.convId, c.v, Date.now())
      if (!r.ok) throw new Error(`close refused: ${r.code}`)
    }
  })
  searchMs.sort((a, b) => a - b)
  console.log(`PostgreSQL store, ${DIST}: ${messages} appends in batches of ${BATCH} over ${CONVERSATIONS} conversations, ${TEXT.length}-byte words`)
  console.table({
    append: { ...append, messages },
    'close (per message closed)': { ...close, messages: total },
    'append + close': { cpuUsPerMessage: +(append.cpuUsPerMessage * messages / total + close.cpuUsPerMessage).toFixed(1), walBytesPerMessage: Math.round(append.walBytesPerMessage * messages / total + close.walBytesPerMessage) },
  })
  console.log(`search over ${total} messages of open conversations: median ${searchMs[Math.floor(SEARCHES / 2)].toFixed(1)} ms (database CPU ${(search.cpuUsPerMessage / 1000).toFixed(1)} ms a search)`)
} finally {
  await store.close()
  await db.drop()
}
