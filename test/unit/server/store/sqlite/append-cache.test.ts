import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { AppendRequest, Store } from '../../../../../server/src/store/store.js'
import { MAX_CACHED_CONVERSATIONS } from '../../../../../server/src/store/sqlite/append.js'
import { createSqliteStore } from '../../../../../server/src/store/sqlite/sqlite-store.js'
import { tempDir } from '../../../../helpers/temp-dir.js'

// The conversation cache holds, during a batch, the seqs the batch has given out and no table knows
// yet. Starting it over in the middle of a batch once gave two messages of one conversation the same
// seq: both were acknowledged, and the second vanished from the transcript once folded.

const visitor = (c: number) => ({ kind: 'visitor' as const, id: `v${c}` })
const message = (c: number, clientMsgId: string): AppendRequest => ({
  brandId: 'b1', convId: `c${c}`, clientMsgId, from: visitor(c), text: `text ${clientMsgId}`, at: 1, context: null,
})

describe('the SQLite store at its conversation cache bound', () => {
  const dir = tempDir('parley-cache-')
  let store: Store | undefined
  afterEach(async () => {
    await store?.close()
    dir.remove()
  })

  it('gives every message of a batch its own seq when the batch crosses the bound, and keeps them all', async () => {
    const file = join(dir.dir, 'parley.db')
    store = createSqliteStore({ file, synchronous: 'NORMAL' })
    await store.createBrand({ brandId: 'b1', name: 'B', siteKey: 's1', allowedOrigins: [], apiKeyHash: 'h1', createdAt: 0 })
    // One conversation short of the bound, each opened by a first message.
    const full = MAX_CACHED_CONVERSATIONS - 1
    for (let from = 0; from < full; from += 2000) {
      const batch: AppendRequest[] = []
      for (let c = from; c < Math.min(from + 2000, full); c++) batch.push(message(c, `first-${c}`))
      await store.appendMessages(batch)
    }
    // Conversation 0 twice, around two new conversations that take the cache past its bound.
    const results = await store.appendMessages([
      message(0, 'x1'), message(full, `first-${full}`), message(full + 1, `first-${full + 1}`), message(0, 'x2'),
    ])
    expect(results.map((r) => (r.ok ? r.message.seq : r.code))).toEqual([2, 1, 1, 3])
    const read = async () => (await store!.readMessages('b1', 'c0', 0, 10)).map((m) => [m.seq, m.clientMsgId])
    const expected = [[1, 'first-0'], [2, 'x1'], [3, 'x2']]
    expect(await read()).toEqual(expected)
    // Closing folds every waiting row into the index tables; a new store reads from them alone.
    await store.close()
    store = createSqliteStore({ file, synchronous: 'NORMAL' })
    expect(await read()).toEqual(expected)
    // And the next message goes after them.
    const [next] = await store.appendMessages([message(0, 'x3')])
    expect(next!.ok && next!.message.seq).toBe(4)
  }, 60_000)
})
