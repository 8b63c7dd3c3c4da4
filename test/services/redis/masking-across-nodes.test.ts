import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Bus } from '../../../server/src/bus/bus.js'
import { createRedisBus } from '../../../server/src/cluster/redis-bus.js'
import { BrandMaskers } from '../../../server/src/masking/brand-maskers.js'
import { re2Compiler } from '../../../server/src/masking/re2-compiler.js'
import { createSqliteStore } from '../../../server/src/store/sqlite/sqlite-store.js'
import type { Store } from '../../../server/src/store/store.js'
import { describeWithRedis, REDIS_URL } from '../../helpers/redis.js'
import { tempDir } from '../../helpers/temp-dir.js'
import { until } from '../../helpers/until.js'

// A masking configuration saved on one node must reach the others: each node compiles a brand's
// masker once and keeps it, so without a word on the bus node B kept masking with the old one.

const CARD = '4111 1111 1111 1111'

describeWithRedis('Masking configuration across nodes', () => {
  const dir = tempDir('parley-masking-nodes-')
  let store: Store
  let buses: Bus[]
  beforeAll(async () => {
    store = createSqliteStore({ file: `${dir.dir}/parley.db` })
    const prefix = `test:${randomBytes(4).toString('hex')}:`
    buses = await Promise.all(['a', 'b'].map((nodeId) => createRedisBus({ url: REDIS_URL, nodeId, prefix })))
  })
  afterAll(async () => {
    await Promise.all(buses.map((b) => b.close()))
    await store.close()
    dir.remove()
  })

  it("makes the other node forget the brand's masker when one node saves", async () => {
    await store.createBrand({ brandId: 'b1', name: 'B', siteKey: 'site_1', allowedOrigins: [], apiKeyHash: 'hash_1', createdAt: 0 })
    const [onA, onB] = buses.map((bus) => new BrandMaskers(store, re2Compiler, bus)) as [BrandMaskers, BrandMaskers]
    expect((await onB.get('b1')).mask(CARD).text).toBe('[card]')
    const config = { card: { replacement: '[new]' } }
    const checked = onA.check(config)
    if (!checked.ok) throw new Error('refused')
    await store.setMaskingConfig('b1', config)
    onA.saved('b1', checked.masker)
    await until(() => onB.peek('b1') === undefined, 'node B forgot its masker')
    expect((await onB.get('b1')).mask(CARD).text).toBe('[new]')
    onA.close()
    onB.close()
  })
})
