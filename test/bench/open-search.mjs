import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createSqliteStore } from '../../server/dist/store/sqlite/sqlite-store.js'

// What a transcript search with words costs now that it reads open conversations as it runs
// (server/src/store/sqlite/open-transcript-search.ts): one brand with OPEN open conversations of
// MESSAGES 90-byte messages each, searched for a word in a few of them and for a word in none.
// The store runs the search on the thread that commits appends, so its time is how long appends
// wait behind one search. `node test/bench/open-search.mjs` (after `npm run build`).

const OPEN = Number(process.env.BENCH_OPEN ?? 200)
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 30)
const ROUNDS = 20

const dir = mkdtempSync(join(tmpdir(), 'parley-open-search-'))
const store = createSqliteStore({ file: join(dir, 'bench.db'), synchronous: 'NORMAL' })
const brandId = 'bench-brand'
await store.createBrand({ brandId, name: 'Bench', siteKey: 'bench-site', allowedOrigins: ['https://bench.example'], apiKeyHash: 'x', createdAt: 0 })
const words = ['parcel', 'refund', 'invoice', 'address', 'jacket', 'courier', 'warehouse', 'discount']
for (let m = 1; m <= MESSAGES; m++) {
  const batch = []
  for (let c = 0; c < OPEN; c++) {
    const text = `Message ${m} about the ${words[(c + m) % words.length]} and the ${words[(c * 3 + m) % words.length]}, thanks for waiting${c % 50 === 0 && m === MESSAGES ? ' zebra' : ''}`
    batch.push({ brandId, convId: `c-${c}`, clientMsgId: `m-${c}-${m}`, from: { kind: 'visitor', id: `v-${c}` }, text, at: 1_000_000 + c, context: null })
  }
  await store.appendMessages(batch)
}

async function time(q) {
  const ms = []
  let found = 0
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now()
    found = (await store.listConversations(brandId, { q, limit: 50 })).conversations.length
    ms.push(performance.now() - t)
  }
  ms.sort((a, b) => a - b)
  return { q, found, medianMs: +ms[ROUNDS >> 1].toFixed(2), maxMs: +ms[ROUNDS - 1].toFixed(2) }
}

console.log(`${OPEN} open conversations x ${MESSAGES} messages`)
console.table([await time('zebra'), await time('nothing-matches'), await time('parcel')])
await store.close()
rmSync(dir, { recursive: true, force: true })
