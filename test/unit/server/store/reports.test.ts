import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ReportRow } from '@parley/sdk/contract'
import type { Store } from '../../../../server/src/store/store.js'
import { STORES, type OpenedStore } from '../../../helpers/stores.js'
import { seedReportChats, type SeedChat } from '../../../helpers/report-seed.js'
import { createStoreBrand } from '../../../helpers/brand.js'

// readReport over a brand with a known set of chats (written through the store, answers too): every figure below is worked out by hand from
// SEED, so a change in how any one is counted fails here with the figure that moved.

const id = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`
const PERIOD = { from: '2026-03-01', to: '2026-03-03' }
const zeroRow = (key: string | null, label: string): ReportRow => ({
  key, label, chats: 0, offline: 0, closed: 0, answered: 0, responseRate: null,
  csat: { average: null, count: 0, satisfied: 0, distribution: [0, 0, 0, 0, 0] },
  nps: { score: null, count: 0, promoters: 0, passives: 0, detractors: 0 },
  firstResponse: { medianSec: null, averageSec: null, count: 0 },
})

describe.each(STORES)('readReport on the $name store', (factory) => {
  let opened: OpenedStore
  let store: Store
  const brandId = id('b_')
  const alice = id('a_')
  const bob = id('a_')

  beforeAll(async () => {
    opened = await factory.create()
    store = opened.store
    const other = id('b_')
    for (const b of [brandId, other]) {
      await createStoreBrand(store, { brandId: b })
    }
    await store.createAgent({ brandId, agentId: alice, email: 'alice@agents.example', name: 'Alice', passwordHash: 'x', createdAt: 1 })
    await store.createAgent({ brandId, agentId: bob, email: 'bob@agents.example', name: 'Bob', passwordHash: 'x', createdAt: 1 })
    const SEED: SeedChat[] = [
      { day: '2026-03-01', time: '10:00', agent: alice, replyAfterSec: 30, topic: 'Billing', closed: true, post: { csat: 5, nps: 10 } },
      { day: '2026-03-01', time: '11:00', agent: alice, replyAfterSec: 90, topic: 'Billing', closed: true, post: { csat: 4, nps: 8 } },
      { day: '2026-03-01', time: '12:00', agent: bob, replyAfterSec: 60, topic: 'Shipping', closed: true, post: { csat: 2, nps: 3 } },
      { day: '2026-03-01', time: '13:00', agent: bob, replyAfterSec: 120, closed: true },
      { day: '2026-03-03', time: '09:00' },
      { day: '2026-03-03', time: '10:00', offline: true },
      // CSAT skipped, NPS given.
      { day: '2026-03-03', time: '12:00', agent: alice, replyAfterSec: 10, topic: 'Billing', closed: true, post: { csat: null, nps: 9 } },
      // Outside the period, a minute on either side.
      { day: '2026-02-28', time: '23:59', agent: alice, replyAfterSec: 5, topic: 'Billing', closed: true, post: { csat: 1, nps: 0 } },
      { day: '2026-03-04', time: '00:00', agent: alice, replyAfterSec: 5, topic: 'Billing', closed: true, post: { csat: 1, nps: 0 } },
    ]
    await seedReportChats(store, brandId, SEED)
    // Another brand's chats on the same days, with the worst scores: counted nowhere above.
    await seedReportChats(store, other, [
      { day: '2026-03-01', time: '10:30', closed: true, topic: 'Billing', post: { csat: 1, nps: 0 } },
      { day: '2026-03-03', time: '10:30', offline: true },
    ])
  })
  afterAll(async () => { await opened.dispose() })

  it('totals the period: chats, offline, response rate, CSAT, NPS and first response', async () => {
    const report = await store.readReport(brandId, PERIOD)
    expect(report.total).toEqual({
      key: null, label: 'Total', chats: 7, offline: 1, closed: 5, answered: 4, responseRate: 0.8,
      csat: { average: 3.67, count: 3, satisfied: 2, distribution: [0, 1, 0, 1, 1] },
      nps: { score: 25, count: 4, promoters: 2, passives: 1, detractors: 1 },
      firstResponse: { medianSec: 60, averageSec: 62, count: 5 },
    })
  })

  it('has a row for every day of the period, an empty day all zero', async () => {
    const report = await store.readReport(brandId, PERIOD)
    expect(report).toMatchObject({ from: '2026-03-01', to: '2026-03-03', groupBy: 'day' })
    expect(report.rows).toEqual([
      {
        key: '2026-03-01', label: '2026-03-01', chats: 4, offline: 0, closed: 4, answered: 3, responseRate: 0.75,
        csat: { average: 3.67, count: 3, satisfied: 2, distribution: [0, 1, 0, 1, 1] },
        nps: { score: 0, count: 3, promoters: 1, passives: 1, detractors: 1 },
        firstResponse: { medianSec: 75, averageSec: 75, count: 4 },
      },
      zeroRow('2026-03-02', '2026-03-02'),
      {
        key: '2026-03-03', label: '2026-03-03', chats: 3, offline: 1, closed: 1, answered: 1, responseRate: 1,
        csat: { average: null, count: 0, satisfied: 0, distribution: [0, 0, 0, 0, 0] },
        nps: { score: 100, count: 1, promoters: 1, passives: 0, detractors: 0 },
        firstResponse: { medianSec: 10, averageSec: 10, count: 1 },
      },
    ])
  })

  it('groups by agent under their names, the unassigned chats last', async () => {
    const report = await store.readReport(brandId, { ...PERIOD, groupBy: 'agent' })
    expect(report.rows).toEqual([
      {
        key: alice, label: 'Alice', chats: 3, offline: 0, closed: 3, answered: 3, responseRate: 1,
        csat: { average: 4.5, count: 2, satisfied: 2, distribution: [0, 0, 0, 1, 1] },
        nps: { score: 66.7, count: 3, promoters: 2, passives: 1, detractors: 0 },
        firstResponse: { medianSec: 30, averageSec: 43.3, count: 3 },
      },
      {
        key: bob, label: 'Bob', chats: 2, offline: 0, closed: 2, answered: 1, responseRate: 0.5,
        csat: { average: 2, count: 1, satisfied: 0, distribution: [0, 1, 0, 0, 0] },
        nps: { score: -100, count: 1, promoters: 0, passives: 0, detractors: 1 },
        firstResponse: { medianSec: 90, averageSec: 90, count: 2 },
      },
      { ...zeroRow(null, 'Unassigned'), chats: 2, offline: 1 },
    ])
  })

  it('groups by topic, the chats with none last as "No topic"', async () => {
    const report = await store.readReport(brandId, { ...PERIOD, groupBy: 'topic' })
    expect(report.rows.map((r) => [r.key, r.label, r.chats, r.offline, r.closed, r.answered, r.responseRate, r.csat.average, r.nps.score, r.firstResponse.medianSec])).toEqual([
      ['Billing', 'Billing', 3, 0, 3, 3, 1, 4.5, 66.7, 30],
      ['Shipping', 'Shipping', 1, 0, 1, 1, 1, 2, -100, 60],
      [null, 'No topic', 3, 1, 1, 0, 0, null, null, 120],
    ])
  })

  it('reads a longer period a week at a time and adds it up the same', async () => {
    // 2026-02-23 to 2026-03-10 is read as three weeks; 03-01 and 03-03 fall in different ones.
    const long = await store.readReport(brandId, { from: '2026-02-23', to: '2026-03-10' })
    const short = await store.readReport(brandId, PERIOD)
    expect(long.rows).toHaveLength(16)
    expect(long.rows.find((r) => r.key === '2026-03-01')).toEqual(short.rows[0])
    expect(long.rows.find((r) => r.key === '2026-03-03')).toEqual(short.rows[2])
    // With the two chats a minute outside PERIOD, each answered 1 and 0.
    expect(long.total).toMatchObject({ chats: 9, answered: 6, csat: { count: 5, average: 2.6, distribution: [2, 1, 0, 1, 1] } })
  })

  it('never counts another brand\'s chats', async () => {
    const report = await store.readReport(id('b_'), PERIOD)
    expect(report.total).toEqual(zeroRow(null, 'Total'))
    expect(report.rows.map((r) => r.chats)).toEqual([0, 0, 0])
  })

  it('refuses a period of more than 366 days with a RangeError', async () => {
    await expect(store.readReport(brandId, { from: '2025-01-01', to: '2026-01-02' })).rejects.toThrow(/367 days is more than 366/)
  })
})

describe.each(STORES)('readReport on the $name store opened again', (factory) => {
  it('counts the same first responses as before the store was opened again', async () => {
    const opened = await factory.create()
    let store = opened.store
    try {
      const brandId = id('b_')
      const agent = id('a_')
      await store.createBrand({ brandId, name: 'Brand', siteKey: id('site_'), allowedOrigins: [], apiKeyHash: id('hash_'), createdAt: 1 })
      await store.createAgent({ brandId, agentId: agent, email: 'a@agents.example', name: 'Ann', passwordHash: 'x', createdAt: 1 })
      await seedReportChats(store, brandId, [
        { day: '2026-03-01', agent, replyAfterSec: 40 },
        { day: '2026-03-01', agent, replyAfterSec: 20 },
      ])
      const before = await store.readReport(brandId, { from: '2026-03-01', to: '2026-03-01' })
      // On SQLite, closing indexes every waiting row; the reopened store reads the replies from the index.
      store = await opened.reopen()
      const after = await store.readReport(brandId, { from: '2026-03-01', to: '2026-03-01' })
      expect(before.total.firstResponse).toEqual({ medianSec: 30, averageSec: 30, count: 2 })
      expect(after.total.firstResponse).toEqual(before.total.firstResponse)
    } finally {
      await opened.dispose()
    }
  })
})
