import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppendRequest, Store } from '../../../../../server/src/store/store.js'
import { SQLITE_FACTORIES } from '../../../../helpers/stores.js'

// SQLite keeps a visitor's newest messages unindexed for a while; last_visitor_at reaches the
// conversations table with the index write, so it holds after a restart (the contract suite,
// waiting.test.ts, checks the behaviour: the chat is not closed as quiet).

const MIN = 60_000
const T = 10_000_000
const say = (clientMsgId: string, at: number): AppendRequest => ({
  brandId: 'b1', convId: 'c1', clientMsgId, from: { kind: 'visitor', id: 'v1' }, text: 'hi', at, context: null,
})

describe.each(SQLITE_FACTORIES)('last_visitor_at on the $name store', (factory) => {
  let store: Store
  let file: string
  let reopen: () => Promise<Store>
  let dispose: () => Promise<void>
  beforeAll(async () => { ({ store, file, reopen, dispose } = await factory.create()) })
  afterAll(async () => { await dispose() })

  it('writes last_visitor_at with the index, so it holds after a restart', async () => {
    await store.createBrand({ brandId: 'b1', name: 'B', siteKey: 's1', allowedOrigins: [], apiKeyHash: 'h1', createdAt: 0 })
    await store.createAgent({ brandId: 'b1', agentId: 'ag', email: 'a@x.example', name: 'A', passwordHash: 'x', createdAt: 0 })
    await store.appendMessages([say('m1', T)])
    await store.assignConversation('b1', 'c1', 'ag', T, { onlyIfWaiting: true })
    await store.appendMessages([say('m2', T + 10 * MIN)])
    store = await reopen()
    // The restart indexed every waiting row on close or read it back: either way the newest visitor message counts.
    expect(await store.closeIdleConversations('b1', T + 5 * MIN, T + 40 * MIN, 100)).toEqual([])
    const db = new Database(file, { readonly: true })
    try {
      const row = db.prepare("SELECT last_visitor_at FROM conversations WHERE conv_id = 'c1'").get() as { last_visitor_at: number }
      expect([T, T + 10 * MIN]).toContain(row.last_visitor_at)
    } finally {
      db.close()
    }
  })
})
