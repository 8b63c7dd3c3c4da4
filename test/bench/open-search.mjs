import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createSqliteStore } from '../../server/dist/store/sqlite/sqlite-store.js'

// What a transcript search with words costs now that it reads open conversations as it runs
// (server/src/store/sqlite/open-transcript-search.ts): one brand with OPEN open conversations of
// MESSAGES 90-byte messages each, searched for a word in a few of them and for a word in none.
// The store runs the search on the thread that commits appends, in slices: the longest pause of that
// thread's event loop during a search is how long an append can wait behind it. `node test/bench/open-search.mjs` (after `npm run build`).

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

/** Runs `fn` while a setImmediate loop notes the longest gap between its turns: how long an append would have waited. */
async function longestPause(fn) {
  let last = performance.now()
  let longest = 0
  let running = true
  const tick = () => {
    const now = performance.now()
    longest = Math.max(longest, now - last)
    last = now
    if (running) setImmediate(tick)
  }
  setImmediate(tick)
  const value = await fn()
  running = false
  longest = Math.max(longest, performance.now() - last)
  return { value, longest }
}

async function time(q) {
  const ms = []
  const pauses = []
  let found = 0
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now()
    const { value, longest } = await longestPause(() => store.listConversations(brandId, { q, limit: 50 }))
    ms.push(performance.now() - t)
    pauses.push(longest)
    found = value.conversations.length
  }
  ms.sort((a, b) => a - b)
  pauses.sort((a, b) => a - b)
  const r = (x) => +x.toFixed(2)
  return { q, found, medianMs: r(ms[ROUNDS >> 1]), maxMs: r(ms[ROUNDS - 1]), medianLongestPauseMs: r(pauses[ROUNDS >> 1]), maxLongestPauseMs: r(pauses[ROUNDS - 1]) }
}

console.log(`${OPEN} open conversations x ${MESSAGES} messages`)
console.table([await time('zebra'), await time('nothing-matches'), await time('parcel')])
await store.close()
rmSync(dir, { recursive: true, force: true })
