import { statSync } from 'node:fs'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Store } from '../../../../../server/src/store/store.js'
import { SQLITE_FACTORIES } from '../../../../helpers/stores.js'
import { until } from '../../../../helpers/until.js'

// truncateWal on every SQLite store: it cannot empty the WAL while another connection reads an older
// snapshot, and does once that reader has ended (the contract suite only checks it resolves).

describe.each(SQLITE_FACTORIES)('truncateWal on the $name store', (factory) => {
  let store: Store
  let file: string
  let dispose: () => Promise<void>
  beforeAll(async () => { ({ store, file, dispose } = await factory.create()) })
  afterAll(async () => { await dispose() })

  it('answers false while another connection reads an older snapshot, and empties the WAL once it has ended', async () => {
    const reader = new Database(file)
    try {
      reader.exec('BEGIN')
      reader.prepare('SELECT count(*) FROM brands').get()
      await store.createBrand({ brandId: 'b1', name: 'B', siteKey: 's1', allowedOrigins: [], apiKeyHash: 'h1', createdAt: 0 })
      await store.appendMessages([{ brandId: 'b1', convId: 'c1', clientMsgId: 'm1', from: { kind: 'visitor', id: 'v1' }, text: 'hi', at: 1, context: null }])
      expect(await store.truncateWal()).toBe(false)
      expect(statSync(`${file}-wal`).size).toBeGreaterThan(0)
      reader.exec('COMMIT')
      // The checkpointer thread, where there is one, may be mid-round: busy for a moment.
      await until(() => store.truncateWal(), 'the WAL emptied')
      expect(statSync(`${file}-wal`).size).toBe(0)
    } finally {
      reader.close()
    }
  })
})
