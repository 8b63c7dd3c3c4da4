import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createInProcessBus } from '../../../../server/src/bus/in-process.js'
import { createSqliteStore } from '../../../../server/src/store/sqlite/sqlite-store.js'
import type { Store } from '../../../../server/src/store/store.js'
import { QueueAnnouncer } from '../../../../server/src/waiting/queue-announcer.js'
import { createFakeClock } from '../../../helpers/fake-clock.js'
import { createFakeScheduler } from '../../../helpers/fake-scheduler.js'
import { tempDir } from '../../../helpers/temp-dir.js'

// Every node hears every queue change; only a node with a visitor of the brand connected has
// anyone to tell a place, so only it reads the brand's queue and keeps looking while chats wait.

describe('QueueAnnouncer on a node', () => {
  const dir = tempDir('parley-queue-announcer-')
  let store: Store
  beforeAll(async () => {
    store = createSqliteStore({ file: join(dir.dir, 'parley.db') })
    await store.createBrand({ brandId: 'b1', name: 'B', siteKey: 'site_1', allowedOrigins: [], apiKeyHash: 'hash_1', createdAt: 0 })
  })
  afterAll(async () => { await store.close(); dir.remove() })

  function announcer(local: Set<string>) {
    const clock = createFakeClock(0)
    const due: (() => void)[] = []
    const a = new QueueAnnouncer({
      store, bus: createInProcessBus(), clock, debounceMs: 100, scheduler: createFakeScheduler(clock), refreshMs: 30_000,
      timers: { set: (fn) => due.push(fn), clear: () => {} },
      hasLocalVisitors: (brandId) => local.has(brandId),
      onError: (err) => { throw err },
    })
    return { a, due }
  }

  it('works out nothing for a brand with no visitor connected to this node', () => {
    const { a, due } = announcer(new Set())
    a.changed('b1')
    expect(due).toHaveLength(0)
    a.close()
  })

  it('works the places out for a brand with a visitor connected here', () => {
    const { a, due } = announcer(new Set(['b1']))
    a.changed('b1')
    expect(due).toHaveLength(1)
    a.close()
  })
})
