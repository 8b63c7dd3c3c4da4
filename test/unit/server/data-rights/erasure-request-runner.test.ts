import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { runDueErasures, type ErasureRequestDeps } from '../../../../server/src/data-rights/erasure-request-runner.js'
import { createSqliteStore } from '../../../../server/src/store/sqlite/sqlite-store.js'
import type { Store } from '../../../../server/src/store/store.js'
import { createStoreBrand } from '../../../helpers/brand.js'
import { createFakeClock } from '../../../helpers/fake-clock.js'
import { tempDir } from '../../../helpers/temp-dir.js'

// The sweep of due erasure requests on a real SQLite store: a request that fails (its store call
// throws) is reported by ids and code and left scheduled, and the requests due after it still run.

describe('running due erasure requests', () => {
  let dir: ReturnType<typeof tempDir>
  let store: Store
  beforeEach(() => { dir = tempDir('parley-erasure-run-'); store = createSqliteStore({ file: join(dir.dir, 'parley.db') }) })
  afterEach(async () => { await store.close(); dir.remove() })

  it('reports a failing request, leaves it scheduled, and runs the ones due after it', async () => {
    const clock = createFakeClock(1_700_000_000_000)
    const brandId = await createStoreBrand(store)
    for (const [n, visitorId] of [[1, 'v_broken'], [2, 'v_fine']] as const) {
      await store.createErasureRequest({
        brandId, requestId: `er_${n}`, status: 'scheduled', selectorKind: 'visitorId', selector: { visitorId }, requestedAt: clock.now() - 10 + n,
        requestedBy: 'key:k_1', runAt: clock.now() - 10 + n, cancelledAt: null, receipt: null,
      })
    }
    // The first due request's lookup fails, as a store error would.
    const failing: ErasureRequestDeps['store'] = Object.assign(Object.create(store) as Store, {
      findVisitorIds: (b: string, selector: { visitorId?: string }) => selector.visitorId === 'v_broken'
        ? Promise.reject(Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' }))
        : store.findVisitorIds(b, selector as Parameters<Store['findVisitorIds']>[1]),
    })
    const failed: unknown[] = []
    const deps: ErasureRequestDeps = {
      store: failing, clock, ledger: null, audit: async () => {}, visitorTokenTtlMs: 86_400_000,
      bus: { publish: () => {}, publishToNodes: () => {} } as unknown as ErasureRequestDeps['bus'],
    }

    expect(await runDueErasures(deps, undefined, (f) => failed.push(f))).toBe(1)
    expect(failed).toEqual([{ brandId, requestId: 'er_1', code: 'SQLITE_IOERR' }])
    expect((await store.getErasureRequest(brandId, 'er_1'))?.status).toBe('scheduled')
    expect((await store.getErasureRequest(brandId, 'er_2'))?.status).toBe('done')
  })
})
