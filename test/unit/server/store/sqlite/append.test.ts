import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AppendRequest, Store } from '../../../../../server/src/store/store.js'
import { MAX_CACHED_CONVERSATIONS } from '../../../../../server/src/store/sqlite/append.js'
import { createSqliteStore } from '../../../../../server/src/store/sqlite/sqlite-store.js'
import { tempDir } from '../../../../helpers/temp-dir.js'

// The SQLite appender beyond what the store contract checks: batches larger than one multi-row
// INSERT (bulk.ts), ids it gives out itself, and the conversation cache at its bound.

const visitor = (c: number) => ({ kind: 'visitor' as const, id: `v${c}` })
const message = (c: number, clientMsgId: string): AppendRequest => ({
  brandId: 'b1', convId: `c${c}`, clientMsgId, from: visitor(c), text: `text ${clientMsgId}`, at: 1, context: null,
})

describe('the SQLite appender', () => {
  let dir: ReturnType<typeof tempDir>
  let store: Store | undefined
  beforeEach(() => { dir = tempDir('parley-append-') })
  afterEach(async () => {
    await store?.close()
    store = undefined
    dir.remove()
  })

  const open = async () => {
    store = createSqliteStore({ file: join(dir.dir, 'parley.db'), synchronous: 'NORMAL' })
    await store.createBrand({ brandId: 'b1', name: 'B', siteKey: 's1', allowedOrigins: [], apiKeyHash: 'h1', createdAt: 0 })
    return store
  }
  const transcript = async (s: Store, c: number) => (await s.readMessages('b1', `c${c}`, 0, 1000)).map((m) => [m.seq, m.clientMsgId, m.text])

  it('stores a batch of several multi-row statements in order, with a resend inside it, and reads it back after a restart', async () => {
    const s = await open()
    // 151 messages over three conversations opened in this batch; one is a resend of an earlier one.
    const batch: AppendRequest[] = []
    for (let i = 0; i < 151; i++) batch.push(message(i % 3, i === 99 ? 'm9' : `m${i}`))
    const results = await s.appendMessages(batch)
    expect(results[99]).toMatchObject({ ok: true, duplicate: true, message: { seq: 4, clientMsgId: 'm9', text: 'text m9' } })
    const expected = (c: number) => batch.filter((m, i) => i % 3 === c && i !== 99).map((m, k) => [k + 1, m.clientMsgId, m.text])
    for (const c of [0, 1, 2]) expect(await transcript(s, c)).toEqual(expected(c))
    // Closing folds 150 rows (three statements per index table); a new store reads them from disk.
    await s.close()
    store = createSqliteStore({ file: join(dir.dir, 'parley.db'), synchronous: 'NORMAL' })
    for (const c of [0, 1, 2]) expect(await transcript(store, c)).toEqual(expected(c))
    const [again] = await store.appendMessages([message(0, 'm9')])
    expect(again).toMatchObject({ ok: true, duplicate: true, message: { seq: 4 } })
  })

  it('leaves nothing of a batch that fails in its last statement, and the next batch takes the same seqs', async () => {
    const s = await open()
    await s.appendMessages([message(0, 'first')])
    // 70 rows: the 66th has no text, so the second INSERT fails after the first succeeded.
    const bad = Array.from({ length: 70 }, (_, i) => message(0, `x${i}`))
    bad[65] = { ...bad[65]!, text: null as unknown as string }
    await expect(s.appendMessages(bad)).rejects.toThrow()
    expect(await transcript(s, 0)).toEqual([[1, 'first', 'text first']])
    const good = Array.from({ length: 70 }, (_, i) => message(0, `x${i}`))
    const results = await s.appendMessages(good)
    expect(results.map((r) => r.ok && !r.duplicate && r.message.seq)).toEqual(good.map((_, i) => i + 2))
    expect(await transcript(s, 0)).toHaveLength(71)
  })

  it('rolls a batch back when SQLite does not number its rows on from the last id', async () => {
    const s = await open()
    await s.appendMessages([message(0, 'first')])
    // A row at the largest id makes SQLite pick the next ids at random (not the batch's expectation).
    const other = new Database(join(dir.dir, 'parley.db'))
    other.prepare(`INSERT INTO message_log (id, conv, seq, sender, client_msg_id, text, at)
      SELECT ?, conv, 1000, sender, 'planted', 'planted', 0 FROM message_log LIMIT 1`).run(9223372036854775807n)
    other.close()
    await expect(s.appendMessages([message(0, 'second')])).rejects.toThrow(/ids out of step/)
    expect(await transcript(s, 0)).toEqual([[1, 'first', 'text first']])
  })

  // The conversation cache holds, during a batch, the seqs the batch has given out and no table
  // knows yet. Starting it over in the middle of a batch once gave two messages of one conversation
  // the same seq: both were acknowledged, and the second vanished from the transcript once folded.
  it('gives every message of a batch its own seq when the batch crosses the cache bound, and keeps them all', async () => {
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
