import { randomUUID } from 'node:crypto'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { AppendRequest, Store } from '../../../../../server/src/store/store.js'
import { createRelaySqliteStore, type StoreThread } from '../../../../../server/src/store/sqlite/worker-store.js'
import { tempDir } from '../../../../helpers/temp-dir.js'

// Under steady writes the WAL must start over now and then. A checkpoint on the checkpointer's own
// connection cannot make that happen while the relay keeps committing (checkpointer.ts); without the
// hand-off to the writer, the file grew by every frame ever written until the load stopped.

const CONVERSATIONS = 50
const BATCHES = 700
const BATCH = 40
// Short, so that one second of writes spans many checkpointer rounds.
const CHECKPOINT_INTERVAL_MS = 20

describe.each<StoreThread>(['main', 'worker'])('the WAL under steady writes, store on the %s thread', (thread) => {
  let store: Store | undefined
  const dir = tempDir('parley-wal-')
  afterEach(async () => {
    await store?.close()
    dir.remove()
  })

  it('stays a small fraction of what was written: the writer rewinds it once the checkpointer has caught up', async () => {
    const file = join(dir.dir, 'parley.db')
    store = await createRelaySqliteStore({ file }, thread, { checkpointIntervalMs: CHECKPOINT_INTERVAL_MS })
    await store.createBrand({ brandId: 'b1', name: 'B', siteKey: 's1', allowedOrigins: [], apiKeyHash: 'h1', createdAt: 0 })
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
      // Let the writer's own checkpoint (setImmediate) run between batches, as between the relay's turns.
      await new Promise((resolve) => setImmediate(resolve))
    }
    const stored = await store.readMessages('b1', 'c0', 0, 1_000_000)
    expect(stored).toHaveLength((BATCHES * BATCH) / CONVERSATIONS)
    await store.close()
    store = undefined
    // Everything written is now in the database file; a WAL that kept every frame would be at least
    // that large. A rewound one holds the frames written between two rewinds: a few checkpointer
    // rounds' worth, usually a tenth of the database here, more when a busy machine (the rest of the
    // suite in parallel) delays the checkpointer thread, so the bound leaves room for that.
    const database = statSync(file).size
    expect(database).toBeGreaterThan(written)
    expect(largestWal).toBeLessThan(database / 2)
  }, 60_000)
})
