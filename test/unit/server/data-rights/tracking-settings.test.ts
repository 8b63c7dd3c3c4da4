import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { createTrackingSettings } from '../../../../server/src/data-rights/tracking-settings.js'
import { createInProcessBus } from '../../../../server/src/bus/in-process.js'
import { createSqliteStore } from '../../../../server/src/store/sqlite/sqlite-store.js'
import type { Store } from '../../../../server/src/store/store.js'
import { createStoreBrand } from '../../../helpers/brand.js'
import { createFakeClock } from '../../../helpers/fake-clock.js'
import { tempDir } from '../../../helpers/temp-dir.js'

// The tracking setting every visitor hello asks for, on a real SQLite store: read once per brand
// for a few seconds, read again at once when another node (here: the bus) says the widget
// configuration was saved.

describe('cached tracking settings', () => {
  let dir: ReturnType<typeof tempDir>
  let store: Store
  beforeEach(() => { dir = tempDir('parley-tracking-'); store = createSqliteStore({ file: join(dir.dir, 'parley.db') }) })
  afterEach(async () => { await store.close(); dir.remove() })

  it('reads the store once within the TTL, again after it, and at once after a save on any node', async () => {
    const clock = createFakeClock()
    const brandId = await createStoreBrand(store)
    let reads = 0
    const counting = { getWidgetConfig: (b: string) => { reads++; return store.getWidgetConfig(b) } }
    const bus = createInProcessBus()
    const here = createTrackingSettings(counting, bus, () => clock.now())
    const there = createTrackingSettings(store, bus, () => clock.now())

    expect(await here.tracking(brandId)).toBe('on')
    expect(await here.tracking(brandId)).toBe('on')
    expect(reads).toBe(1)

    await store.setWidgetConfig(brandId, { tracking: 'opt-in' })
    expect(await here.tracking(brandId)).toBe('on')
    there.saved(brandId)
    expect(await here.tracking(brandId)).toBe('opt-in')
    expect(reads).toBe(2)

    clock.advance(5_000)
    expect(await here.tracking(brandId)).toBe('opt-in')
    expect(reads).toBe(3)
    here.close()
    there.close()
  })
})
