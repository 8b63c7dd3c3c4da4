import { randomUUID } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AppendRequest, Store } from '../../../../../server/src/store/store.js'
import { createRelaySqliteStore, type StoreThread } from '../../../../../server/src/store/sqlite/worker-store.js'
import { CHECKPOINT_INTERVAL_MS as DEFAULT_INTERVAL_MS } from '../../../../../server/src/store/sqlite/connection-pragmas.js'
import { messagesInFileAlone } from '../../../../helpers/checkpointed-messages.js'
import { tempDir } from '../../../../helpers/temp-dir.js'
import { until } from '../../../../helpers/until.js'

// Under steady writes the WAL must start over now and then. On the worker thread, a checkpoint on the
// checkpointer's own connection cannot make that happen while the relay keeps committing
// (checkpointer.ts); without the hand-off to the writer, the file grew by every frame ever written
// until the load stopped. On the main thread the writer checkpoints between its own commits.

const CONVERSATIONS = 50
const BATCHES = 700
const BATCH = 40
// Short, so that one second of writes spans many checkpoint rounds.
const CHECKPOINT_INTERVAL_MS = 20

const MESSAGES = 200
const BRAND = { brandId: 'b1', name: 'B', siteKey: 's1', allowedOrigins: [], apiKeyHash: 'h1', createdAt: 0 }

describe('the relay store\'s WAL', () => {
  let store: Store | undefined
  let dir: ReturnType<typeof tempDir>
  beforeEach(() => { dir = tempDir('parley-wal-') })
  afterEach(async () => {
    await store?.close()
    store = undefined
    dir.remove()
  })

  it.each<StoreThread>(['main', 'worker'])('stays a small fraction of what was written under steady writes, store on the %s thread: the writer rewinds it once a checkpoint has caught up', async (thread) => {
    const file = join(dir.dir, 'parley.db')
    store = await createRelaySqliteStore({ file }, thread, { checkpointIntervalMs: CHECKPOINT_INTERVAL_MS })
    await store.createBrand(BRAND)
    const convs = Array.from({ length: CONVERSATIONS }, (_, i) => ({ convId: `c${i}`, visitor: `v${i}` }))
    const text = 'x'.repeat(300)
    const request = (i: number): AppendRequest => {
      const c = convs[i % CONVERSATIONS]!
      return { brandId: 'b1', convId: c.convId, clientMsgId: randomUUID(), from: { kind: 'visitor', id: c.visitor }, text, at: i, context: null }
    }
    let written = 0
    let largestWal = 0
    for (let b = 0; b < BATCHES; b++) {
      const results = await store.appendMessages(Array.from({ length: BATCH }, (_, i) => request(b * BATCH + i)))
      expect(results.every((r) => r.ok)).toBe(true)
      written += BATCH * text.length
      largestWal = Math.max(largestWal, statSync(`${file}-wal`).size)
      // Let the writer's own checkpoint (a setImmediate, or the timer on the main thread) run between
      // batches, as between the relay's turns; the timer needs the loop to reach its timers phase.
      await new Promise((resolve) => setImmediate(resolve))
      if (b % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 1))
    }
    const stored = await store.readMessages('b1', 'c0', 0, 1_000_000)
    expect(stored).toHaveLength((BATCHES * BATCH) / CONVERSATIONS)
    await store.close()
    store = undefined
    // Everything written is now in the database file; a WAL that kept every frame would be at least
    // that large. A rewound one holds the frames written between two rewinds: a few checkpoint
    // rounds' worth, usually a tenth of the database here, more when a busy machine (the rest of the
    // suite in parallel) delays the checkpointer thread, so the bound leaves room for that.
    const database = statSync(file).size
    expect(database).toBeGreaterThan(written)
    expect(largestWal).toBeLessThan(database / 2)
  }, 60_000)

  it('is copied into the database file once the writes stop, with the store on the main thread and no checkpointer thread', async () => {
    const file = join(dir.dir, 'parley.db')
    // libuv's pool starts its threads on first use: start them before counting.
    await stat(dir.dir)
    const threadsBefore = threadCount()
    store = await createRelaySqliteStore({ file }, 'main')
    // No more than before (a thread of the pool may end meanwhile): a Worker would be one more.
    expect(threadCount()).toBeLessThanOrEqual(threadsBefore)
    await store.createBrand(BRAND)
    const results = await store.appendMessages(Array.from({ length: MESSAGES }, (_, i): AppendRequest => ({
      brandId: 'b1', convId: `c${i % 10}`, clientMsgId: randomUUID(), from: { kind: 'visitor', id: `v${i % 10}` }, text: 'y'.repeat(500), at: i, context: null,
    })))
    expect(results.every((r) => r.ok)).toBe(true)
    // The database file alone (copied without its WAL) holds the messages once a checkpoint has run.
    expect(messagesInFileAlone(file, dir.dir)).toBe(0)
    await until(() => messagesInFileAlone(file, dir.dir) === MESSAGES, 'every message in the database file', 10 * DEFAULT_INTERVAL_MS + 5_000)
  }, 30_000)
})

/** Threads of this process, from the kernel (a Worker is one more). */
function threadCount(): number {
  return Number(/^Threads:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))![1])
}
