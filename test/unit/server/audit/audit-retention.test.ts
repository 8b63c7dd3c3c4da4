import { describe, expect, it } from 'vitest'
import type { SecurityConfig } from '@parley/sdk/contract'
import { auditCutoff, purgeExpiredAudit, type AuditRetentionDeps } from '../../../../server/src/audit/audit-retention.js'
import type { AuditInput } from '../../../../server/src/audit/audit-log.js'
import { createFakeClock } from '../../../helpers/fake-clock.js'

// The retention pass's walk: every brand, a batch at a time, each brand's own period, one
// retention.purge entry per brand that lost entries, and expired token refusals pruned. The rows are
// a few arrays behind the three store methods the pass calls (the stores' own purge is in the store
// contract suite); time is the fake clock.

const DAY = 24 * 60 * 60 * 1000

function harness(brands: Record<string, { at: number[]; config?: SecurityConfig }>, opts: { revoked?: number[] } = {}) {
  const clock = createFakeClock(Date.UTC(2026, 0, 1))
  const rows = new Map(Object.entries(brands).map(([b, v]) => [b, [...v.at]]))
  const revoked = [...(opts.revoked ?? [])]
  const recorded: AuditInput[] = []
  const calls: string[] = []
  const deps: AuditRetentionDeps = {
    clock,
    settings: async (brandId) => brands[brandId]?.config ?? null,
    audit: { record: async (e) => { recorded.push(e) } },
    pause: async () => { calls.push('pause') },
    store: {
      async listBrandIds(after, limit) {
        calls.push(`brands after ${after}`)
        return [...rows.keys()].sort().filter((b) => after === null || b > after).slice(0, limit)
      },
      async purgeAudit(brandId, before, limit) {
        const list = rows.get(brandId)!
        const old = list.filter((at) => at < before).slice(0, limit)
        rows.set(brandId, list.filter((at) => !old.includes(at)))
        calls.push(`purge ${brandId} ${old.length}`)
        return old.length
      },
      async pruneRevokedTokenIds(now, limit) {
        const gone = revoked.filter((until) => until <= now).slice(0, limit)
        for (const g of gone) revoked.splice(revoked.indexOf(g), 1)
        return gone.length
      },
    },
  }
  return { clock, rows, revoked, recorded, calls, deps }
}

describe('auditCutoff', () => {
  it('keeps 365 days by default and the brand\'s auditRetentionDays when set', () => {
    expect(auditCutoff(1000 * DAY, null)).toBe(635 * DAY)
    expect(auditCutoff(1000 * DAY, {})).toBe(635 * DAY)
    expect(auditCutoff(1000 * DAY, { auditRetentionDays: 30 })).toBe(970 * DAY)
  })
})

describe('purgeExpiredAudit', () => {
  it('deletes each brand\'s entries past its own retention and keeps the rest', async () => {
    const h = harness({ b1: { at: [] }, b2: { at: [] } })
    const now = h.clock.now()
    h.rows.set('b1', [now - 400 * DAY, now - 366 * DAY, now - 364 * DAY, now])
    h.rows.set('b2', [now - 400 * DAY, now - 40 * DAY, now - 20 * DAY])
    const brands = { b1: {}, b2: { auditRetentionDays: 30 } } as Record<string, SecurityConfig>
    h.deps.settings = async (b) => brands[b] ?? null
    const r = await purgeExpiredAudit(h.deps)
    expect(h.rows.get('b1')).toEqual([now - 364 * DAY, now])
    expect(h.rows.get('b2')).toEqual([now - 20 * DAY])
    expect(r).toEqual({ brands: 2, entries: 4, tokenIds: 0 })
  })

  it('records one retention.purge entry with the count per brand that lost entries, as the system', async () => {
    const h = harness({ a: { at: [0, 1, 2] }, b: { at: [Date.UTC(2025, 11, 31)] } })
    await purgeExpiredAudit(h.deps)
    expect(h.recorded).toEqual([{
      brandId: 'a', actor: { kind: 'system', id: null }, action: 'retention.purge', resource: { type: 'audit', id: null },
      detail: { count: 3, before: h.clock.now() - 365 * DAY },
    }])
  })

  it('purges in batches of the given size, pausing between them', async () => {
    const h = harness({ a: { at: Array.from({ length: 7 }, (_, i) => i) } })
    const r = await purgeExpiredAudit(h.deps, { batch: 3 })
    expect(r.entries).toBe(7)
    expect(h.calls.filter((c) => c.startsWith('purge') || c === 'pause')).toEqual(['purge a 3', 'pause', 'purge a 3', 'pause', 'purge a 1', 'pause'])
  })

  it('walks every page of brand ids', async () => {
    const brands = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`b${i}`, { at: [i] }]))
    const h = harness(brands)
    const r = await purgeExpiredAudit(h.deps, { brandPage: 2 })
    expect(r.brands).toBe(5)
    expect(h.calls.filter((c) => c.startsWith('brands'))).toEqual(['brands after null', 'brands after b1', 'brands after b3'])
  })

  it('removes an entry once the fake clock passes its retention, not before', async () => {
    const h = harness({ a: { at: [], config: { auditRetentionDays: 1 } } })
    h.rows.set('a', [h.clock.now()])
    h.clock.advance(DAY - 1)
    expect((await purgeExpiredAudit(h.deps)).entries).toBe(0)
    h.clock.advance(2)
    expect((await purgeExpiredAudit(h.deps)).entries).toBe(1)
    expect(h.rows.get('a')).toEqual([])
  })

  it('prunes expired token refusals in batches and keeps those still in force', async () => {
    const h = harness({}, { revoked: [] })
    const now = h.clock.now()
    h.revoked.push(now - 3, now - 2, now - 1, now + 1000)
    const r = await purgeExpiredAudit(h.deps, { batch: 2 })
    expect(r.tokenIds).toBe(3)
    expect(h.revoked).toEqual([now + 1000])
  })

  it('stops after the current batch once aborted', async () => {
    const h = harness({ a: { at: Array.from({ length: 10 }, (_, i) => i) } })
    const stop = new AbortController()
    h.deps.pause = async () => { stop.abort() }
    const r = await purgeExpiredAudit(h.deps, { batch: 3, signal: stop.signal })
    expect(r.entries).toBe(3)
    expect(h.rows.get('a')).toHaveLength(7)
  })
})
