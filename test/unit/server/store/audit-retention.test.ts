import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SecurityConfig } from '@parley/sdk/contract'
import { STORES, type OpenedStore } from '../../../helpers/stores.js'
import { createStoreBrand } from '../../../helpers/brand.js'
import { createFakeClock } from '../../../helpers/fake-clock.js'
import { createAuditLog } from '../../../../server/src/audit/audit-log.js'
import { purgeExpiredAudit } from '../../../../server/src/audit/audit-retention.js'

// The retention pass on each real store, time moved by the fake clock: entries leave once they are
// past their brand's period, in batches, other brands' entries and newer ones stay, and the log
// records the purge.

const DAY = 24 * 60 * 60 * 1000

describe.each(STORES)('$name store: audit retention', (factory) => {
  let opened: OpenedStore
  beforeAll(async () => { opened = await factory.create() })
  afterAll(async () => { await opened.dispose() })

  it('purges each brand past its own period, in batches, and records retention.purge', async () => {
    const store = opened.store
    const clock = createFakeClock(Date.UTC(2026, 0, 1))
    const configs = new Map<string, SecurityConfig>()
    const settings = async (b: string) => configs.get(b) ?? null
    const audit = createAuditLog({ store, clock, settings })
    const yearly = await createStoreBrand(store)
    const monthly = await createStoreBrand(store)
    configs.set(monthly, { auditRetentionDays: 30 })
    const write = async (brandId: string, n: number) => {
      for (let i = 0; i < n; i++) await audit.record({ brandId, actor: { kind: 'system', id: null }, action: 'config.change', detail: { i } })
    }
    await write(yearly, 5)
    await write(monthly, 5)
    clock.advance(31 * DAY)
    await write(yearly, 2)
    await write(monthly, 2)
    const deps = { store, clock, audit, settings }

    // 31 days on: the monthly brand loses its first five, the yearly brand nothing.
    const first = await purgeExpiredAudit(deps, { batch: 2 })
    expect(first.entries).toBe(5)
    const monthlyLeft = await store.listAudit(monthly, { limit: 100 })
    expect(monthlyLeft.map((e) => e.action)).toEqual(['retention.purge', 'config.change', 'config.change'])
    expect(monthlyLeft[0]).toMatchObject({ actor: { kind: 'system', id: null }, detail: { count: 5 } })
    expect(await store.listAudit(yearly, { limit: 100 })).toHaveLength(7)

    // A year on, the yearly brand's first five go too; the pass again records itself.
    clock.advance(335 * DAY)
    const second = await purgeExpiredAudit(deps, { batch: 2 })
    expect(second.entries).toBeGreaterThanOrEqual(5)
    const yearlyLeft = await store.listAudit(yearly, { limit: 100 })
    expect(yearlyLeft.filter((e) => e.action === 'config.change')).toHaveLength(2)
    expect(yearlyLeft[0]).toMatchObject({ action: 'retention.purge', detail: { count: 5 } })
  })

  it('prunes token refusals once they have expired', async () => {
    const store = opened.store
    const clock = createFakeClock(Date.UTC(2026, 0, 1))
    const brandId = await createStoreBrand(store)
    await store.revokeTokenIds(brandId, [{ id: 'gone-1', until: clock.now() + 10 }, { id: 'kept-1', until: clock.now() + DAY }])
    clock.advance(11)
    const r = await purgeExpiredAudit({ store, clock, audit: { record: async () => {} }, settings: async () => null })
    expect(r.tokenIds).toBeGreaterThanOrEqual(1)
    expect(await store.isTokenIdRevoked(brandId, 'kept-1', clock.now())).toBe(true)
  })
})
