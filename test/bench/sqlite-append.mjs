import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createSqliteStore } from '../../server/dist/store/sqlite/sqlite-store.js'
import { conversationId, messageId } from './load/message-ids.mjs'

// The SQLite store's group commit alone, shaped like the relay benchmark's load: 200 open
// conversations, each opened by its visitor's first message and then joined by an agent, then
// batches of BATCH visitor messages (200-byte texts, the loadgen's clientMsgIds), each to a
// conversation picked at random, one batch after the other on this thread as the relay commits
// on its event loop. Prints the store's CPU time per message.
//
// `node test/bench/sqlite-append.mjs [MESSAGES]` after `npm run build`. On a shared machine the
// CPU time moves with the neighbours; instructions do not. To count them, run it under callgrind at
// two sizes and divide the difference by the difference in messages (setup cancels out):
//   valgrind --tool=callgrind --callgrind-out-file=/tmp/a.out node test/bench/sqlite-append.mjs 30000
//   valgrind --tool=callgrind --callgrind-out-file=/tmp/b.out node test/bench/sqlite-append.mjs 50000
// The store's monotonic clock (performance.now, which decides when a waiting conversation is old
// enough to index) is paced by the messages, as if BENCH_APPEND_RATE messages arrived each second:
// under callgrind the program runs some fifty times slower, and a real clock would index every
// conversation after a few rows instead of after many, as the relay does at that rate.
// Knobs: BENCH_APPEND_BATCH (15: what a batch holds at 10k msgs/s), BENCH_APPEND_RATE (10000),
// BENCH_APPEND_SYNC (NORMAL, so fsync waits do not set the CPU figure; FULL as the relay runs).
// WAL checkpoints are off: the relay runs them on a thread of its own (checkpointer.ts).

const MESSAGES = Number(process.argv[2] ?? 30_000)
const BATCH = Number(process.env.BENCH_APPEND_BATCH ?? 15)
const RATE = Number(process.env.BENCH_APPEND_RATE ?? 10_000)
const SYNC = process.env.BENCH_APPEND_SYNC ?? 'NORMAL'
const CONVERSATIONS = 200
const TEXT = 'lorem ipsum dolor sit amet '.repeat(8).slice(0, 200)

const realNow = performance.now.bind(performance)
let pacedMs = realNow()
performance.now = () => pacedMs

const dir = mkdtempSync(join(tmpdir(), 'parley-sqlite-append-'))
const store = createSqliteStore({ file: join(dir, 'parley.db'), synchronous: SYNC, checkpoint: 'external' })
try {
  const brandId = 'b_bench'
  await store.createBrand({ brandId, name: 'Bench', siteKey: 'site_bench', allowedOrigins: ['https://bench.example'], apiKeyHash: 'hash_bench', createdAt: Date.now() })
  const tag = 'rbench'
  const convs = Array.from({ length: CONVERSATIONS }, (_, i) => ({ convId: conversationId(tag, i), from: { kind: 'visitor', id: `v_${tag}${i}` }, n: 0 }))
  for (const [i, c] of convs.entries()) {
    const [opened] = await store.appendMessages([{ brandId, convId: c.convId, clientMsgId: `${c.convId}-setup`, from: c.from, text: 'hello', at: Date.now(), context: null }])
    if (!opened?.ok) throw new Error('setup: a conversation did not open')
    await store.joinConversation(brandId, c.convId, `a_${tag}${i}`, Date.now())
  }
  // A fixed sequence of picks, so two runs of one size do the same work.
  let seed = 1
  const pick = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % CONVERSATIONS
  const start = realNow()
  const cpu = process.cpuUsage()
  for (let sent = 0; sent < MESSAGES; sent += BATCH) {
    const batch = []
    for (let i = 0; i < BATCH && sent + i < MESSAGES; i++) {
      const c = convs[pick()]
      batch.push({ brandId, convId: c.convId, clientMsgId: messageId(c.convId, c.n++), from: c.from, text: TEXT, at: Date.now(), context: null })
    }
    pacedMs += (1000 * batch.length) / RATE
    const results = await store.appendMessages(batch)
    for (const r of results) if (!r.ok || r.duplicate) throw new Error('an append was refused or taken for a resend')
  }
  const used = process.cpuUsage(cpu)
  const seconds = (realNow() - start) / 1000
  console.log(JSON.stringify({
    messages: MESSAGES, batch: BATCH, rate: RATE, synchronous: SYNC,
    cpuMicrosPerMessage: Number(((used.user + used.system) / MESSAGES).toFixed(2)),
    appendsPerSecond: Math.round(MESSAGES / seconds),
  }))
} finally {
  await store.close()
  rmSync(dir, { recursive: true, force: true })
}
