import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Value } from '@sinclair/typebox/value'
import { Report } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestAgent, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'
import { visitorOf } from '../helpers/tracked-clients.js'
import { seedReportChats } from '../helpers/report-seed.js'
import { REPORTS_PER_MINUTE } from '../../server/src/plugins/rest/reports.js'

// GET /v1/reports over a real relay: who may read it, the periods it refuses, and that a brand's
// report holds its own chats only.

describe('GET /v1/reports', () => {
  let relay: TestRelay
  let brand: TestBrand
  let agent: TestAgent
  let other: TestBrand
  beforeAll(async () => {
    relay = await startRelay()
    brand = await createTestBrand(relay)
    agent = await createTestAgent(relay, brand.brandId, 'Alice')
    other = await createTestBrand(relay)
    await seedReportChats(relay.deps.store, brand.brandId, [
      { day: '2026-03-01', agent: agent.agentId, replyAfterSec: 30, topic: 'Billing', closed: true, post: { csat: 5, nps: 10 } },
      { day: '2026-03-02', agent: agent.agentId, replyAfterSec: 90, closed: true, post: { csat: 3, nps: 6 } },
    ])
    await seedReportChats(relay.deps.store, other.brandId, [
      { day: '2026-03-01', closed: true, post: { csat: 1, nps: 0 } },
    ])
  })
  afterAll(async () => { await relay.close() })

  const get = (query: string, token: string) => callRest(relay, { url: `/v1/reports?${query}`, token })

  it('answers the brand\'s API key with a report that matches the contract', async () => {
    const res = await get('from=2026-03-01&to=2026-03-02', brand.apiKey)
    expect(res.status).toBe(200)
    expect(Value.Check(Report, res.body)).toBe(true)
    expect(res.body.total).toMatchObject({
      chats: 2, closed: 2, answered: 2, responseRate: 1,
      csat: { average: 4, count: 2, distribution: [0, 0, 1, 0, 1] },
      nps: { score: 0, promoters: 1, passives: 0, detractors: 1 },
      firstResponse: { medianSec: 60, averageSec: 60, count: 2 },
    })
    expect(res.body.rows.map((r: { key: string }) => r.key)).toEqual(['2026-03-01', '2026-03-02'])
  })

  it('answers an agent of the brand, grouped as asked', async () => {
    const res = await get('from=2026-03-01&to=2026-03-02&groupBy=agent', agent.token)
    expect(res.status).toBe(200)
    expect(res.body.rows.map((r: { key: string; label: string; chats: number }) => [r.key, r.label, r.chats])).toEqual([[agent.agentId, 'Alice', 2]])
  })

  it('never counts another brand\'s chats', async () => {
    const res = await get('from=2026-03-01&to=2026-03-02', other.apiKey)
    expect(res.body.total).toMatchObject({ chats: 1, csat: { average: 1, count: 1 } })
    const mine = await get('from=2026-03-01&to=2026-03-01&groupBy=topic', brand.apiKey)
    expect(mine.body.rows.map((r: { label: string; chats: number }) => [r.label, r.chats])).toEqual([['Billing', 1]])
  })

  it('refuses a period whose start is after its end with PARLEY_ERR_REPORT_RANGE', async () => {
    const res = await get('from=2026-03-02&to=2026-03-01', brand.apiKey)
    expectErrorBody(res, 'PARLEY_ERR_REPORT_RANGE')
    expect(res.body.message).toContain('after')
  })

  it('refuses a period of more than 366 days with PARLEY_ERR_REPORT_RANGE', async () => {
    expectErrorBody(await get('from=2025-01-01&to=2026-01-02', brand.apiKey), 'PARLEY_ERR_REPORT_RANGE')
    expect((await get('from=2024-01-01&to=2024-12-31', brand.apiKey)).status).toBe(200)
  })

  it('refuses a day the calendar does not have with PARLEY_ERR_REPORT_RANGE', async () => {
    expectErrorBody(await get('from=2026-02-30&to=2026-03-01', brand.apiKey), 'PARLEY_ERR_REPORT_RANGE')
  })

  it.each([
    ['no period', ''],
    ['a day in another format', 'from=01-03-2026&to=2026-03-02'],
    ['an unknown grouping', 'from=2026-03-01&to=2026-03-02&groupBy=visitor'],
    ['an unknown parameter', 'from=2026-03-01&to=2026-03-02&visitorId=v1'],
  ])('refuses %s with PARLEY_ERR_REQUEST_INVALID', async (_name, query) => {
    expectErrorBody(await get(query, brand.apiKey), 'PARLEY_ERR_REQUEST_INVALID')
  })

  it('refuses a request without credentials with PARLEY_ERR_AUTH_REQUIRED', async () => {
    expectErrorBody(await callRest(relay, { url: '/v1/reports?from=2026-03-01&to=2026-03-02' }), 'PARLEY_ERR_AUTH_REQUIRED')
  })

  it('refuses a visitor token with PARLEY_ERR_AUTH_FORBIDDEN', async () => {
    const visitor = await visitorOf(relay, brand)
    expectErrorBody(await get('from=2026-03-01&to=2026-03-02', visitor.token), 'PARLEY_ERR_AUTH_FORBIDDEN')
  })

  it('refuses a brand past its reports a minute with PARLEY_ERR_LIMIT_RATE and Retry-After', async () => {
    const busy = await createTestBrand(relay)
    for (let i = 0; i < REPORTS_PER_MINUTE; i++) expect((await get('from=2026-03-01&to=2026-03-01', busy.apiKey)).status).toBe(200)
    const refused = await get('from=2026-03-01&to=2026-03-01', busy.apiKey)
    expectErrorBody(refused, 'PARLEY_ERR_LIMIT_RATE')
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)
    // Another brand's reports are counted apart.
    expect((await get('from=2026-03-01&to=2026-03-01', other.apiKey)).status).toBe(200)
  })
})
