import { beforeAll, describe, expect, it } from 'vitest'
import { InvalidRequestError, type Parley } from '@parley/sdk'
import type { TestRelay } from '../helpers/start-relay.js'
import { rejection, sdkRelay } from '../helpers/sdk-relay.js'
import { createAgent } from '../../server/src/admin/agents.js'
import { seedReportChats } from '../helpers/report-seed.js'

// parley.reports against a real relay: the figures of the brand's chats, grouped as asked, and a
// refused period as a typed error.

describe('parley.reports against the relay', () => {
  const s = sdkRelay()
  let relay: TestRelay
  let parley: Parley
  beforeAll(async () => {
    ({ relay, parley } = s)
    const agent = await createAgent(relay.deps, { brandId: s.brand.brandId, email: 'rae@agents.example', name: 'Rae', password: 'correct horse battery' })
    await seedReportChats(relay.deps.store, s.brand.brandId, [
      { day: '2026-04-01', agent: agent!.agentId, replyAfterSec: 20, topic: 'Returns', closed: true, post: { csat: 4, nps: 9 } },
      { day: '2026-04-03', agent: agent!.agentId, replyAfterSec: 40, closed: true },
      { day: '2026-04-03', offline: true },
    ])
  })

  it('reads a day per row for a period given as Dates, with the total', async () => {
    const report = await parley.reports.get({ from: new Date('2026-04-01T15:00:00Z'), to: '2026-04-03' })
    expect(report.groupBy).toBe('day')
    expect(report.rows.map((r) => [r.key, r.chats])).toEqual([['2026-04-01', 1], ['2026-04-02', 0], ['2026-04-03', 2]])
    expect(report.total).toMatchObject({
      chats: 3, offline: 1, closed: 2, answered: 1, responseRate: 0.5,
      csat: { average: 4, count: 1, satisfied: 1 }, nps: { score: 100, promoters: 1 },
      firstResponse: { medianSec: 30, averageSec: 30, count: 2 },
    })
  })

  it('groups by topic', async () => {
    const report = await parley.reports.get({ from: '2026-04-01', to: '2026-04-03', groupBy: 'topic' })
    expect(report.rows.map((r) => [r.label, r.chats])).toEqual([['Returns', 1], ['No topic', 2]])
  })

  it('refuses a period longer than 366 days with InvalidRequestError PARLEY_ERR_REPORT_RANGE', async () => {
    const err = await rejection(parley.reports.get({ from: '2024-01-01', to: '2025-12-31' }))
    expect(err).toBeInstanceOf(InvalidRequestError)
    expect(err).toMatchObject({ code: 'PARLEY_ERR_REPORT_RANGE', status: 400, retryable: false })
  })
})
