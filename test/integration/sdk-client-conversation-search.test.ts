import { describe, expect, it } from 'vitest'
import { Parley } from '@parley/sdk'
import { createTestAgent, createTestBrand } from '../helpers/brand.js'
import { rejection, sdkRelay } from '../helpers/sdk-relay.js'
import { seedHistory } from '../helpers/history-seed.js'

// parley.conversations.list with the search filters, against a real relay: open conversations found
// by words, agent/topic/date/CSAT filters, every page of a filtered listing, typed refusals.

const T0 = Date.UTC(2026, 10, 2, 12)
const HOUR = 3_600_000

describe('parley.conversations.list with filters', () => {
  const s = sdkRelay()

  it('finds open and closed conversations by words, narrowed by agent, topic, date and CSAT, over every page', async () => {
    const agent = await createTestAgent(s.relay, s.brand.brandId, 'Ada')
    const ids = await seedHistory(s.relay.deps.store, s.brand.brandId, Array.from({ length: 7 }, (_, i) => ({
      at: T0 + i * HOUR, text: `the blender broke, case ${i}`, topic: 'returns', agent: agent.agentId,
      closed: i % 2 === 1, ...(i % 2 === 1 ? { csat: i === 5 ? 5 : 3 } : {}),
    })))
    const all = await s.parley.conversations.list({ q: 'blender', topic: 'returns', agentId: agent.agentId, limit: 2 }).toArray(100)
    expect(all.map((c) => c.convId)).toEqual([...ids].reverse())
    expect(all.filter((c) => c.status === 'open')).toHaveLength(4)
    expect(all[0]).toMatchObject({ preview: 'the blender broke, case 6', routing: { topic: 'returns' } })

    const rated = await s.parley.conversations.list({ csatMin: 3, csatMax: 4, from: T0, to: T0 + 6 * HOUR }).toArray(100)
    expect(rated.map((c) => [c.convId, c.csat])).toEqual([[ids[3], 3], [ids[1], 3]])
  })

  it('lists a visitor\'s earlier conversations newest first', async () => {
    const ids = await seedHistory(s.relay.deps.store, s.brand.brandId, [
      { at: T0, visitorId: 'returning-1', text: 'first visit', closed: true },
      { at: T0 + HOUR, visitorId: 'returning-1', text: 'second visit' },
      { at: T0 + HOUR, visitorId: 'someone-else', text: 'not theirs' },
    ])
    const page = await s.parley.conversations.list({ visitorId: 'returning-1' }).toArray(10)
    expect(page.map((c) => [c.convId, c.status, c.preview])).toEqual([[ids[1], 'open', 'second visit'], [ids[0], 'closed', 'first visit']])
  })

  it('refuses a CSAT out of range with PARLEY_ERR_REQUEST_INVALID, and another brand sees none of it', async () => {
    const err = await rejection(s.parley.conversations.list({ csatMin: 9 }).toArray(1))
    expect(err).toMatchObject({ code: 'PARLEY_ERR_REQUEST_INVALID', status: 400 })
    const other = await createTestBrand(s.relay)
    const theirs = new Parley({ relay: s.relay.url, apiKey: other.apiKey })
    expect(await theirs.conversations.list({ q: 'blender*' }).toArray(10)).toEqual([])
  })
})
