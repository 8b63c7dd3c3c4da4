import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestBrand, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { createFakeClock } from '../helpers/fake-clock.js'
import { until } from '../helpers/until.js'

// The relay runs the audit retention pass by itself: with the clock moved past the brand's period,
// the old entries leave on the next sweep and the log says so; shutdown waits for a pass in flight.

const DAY = 24 * 60 * 60 * 1000

describe('the relay\'s audit retention sweep', () => {
  const clock = createFakeClock(Date.UTC(2026, 0, 1))
  let relay: TestRelay
  let brand: TestBrand
  beforeAll(async () => {
    relay = await startRelay({ clock, relay: { auditRetentionSweepMs: 20 } })
    brand = await createTestBrand(relay)
  })
  afterAll(async () => { await relay.close() })

  it('purges entries past the brand\'s auditRetentionDays and records retention.purge', async () => {
    const saved = await callRest(relay, { method: 'PUT', url: '/v1/security', token: brand.apiKey, body: { auditRetentionDays: 7 } })
    expect(saved.status, saved.raw).toBe(200)
    const before = await relay.deps.store.listAudit(brand.brandId, { limit: 100 })
    expect(before.map((e) => e.action)).toEqual(['config.change'])

    clock.advance(7 * DAY + 1)
    const purge = await until(async () => (await relay.deps.store.listAudit(brand.brandId, { limit: 100 })).find((e) => e.action === 'retention.purge'), 'retention.purge entry')
    expect(purge).toMatchObject({ actor: { kind: 'system', id: null }, detail: { count: 1 } })
    const after = await relay.deps.store.listAudit(brand.brandId, { limit: 100 })
    expect(after.map((e) => e.action)).toEqual(['retention.purge'])
  })
})
