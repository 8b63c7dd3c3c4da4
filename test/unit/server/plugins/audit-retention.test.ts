import { afterEach, describe, expect, it } from 'vitest'
import Fastify, { type FastifyInstance } from 'fastify'
import { auditRetentionPlugin } from '../../../../server/src/plugins/audit-retention.js'
import type { AuditRetentionDeps } from '../../../../server/src/audit/audit-retention.js'
import { createFakeClock } from '../../../helpers/fake-clock.js'
import { createFakeScheduler } from '../../../helpers/fake-scheduler.js'
import { until } from '../../../helpers/until.js'

// When the relay purges its audit log: once a minute after start (a relay restarted more often than
// the hourly interval still purges), then on the interval. Time is the fake clock and scheduler; the
// store is the pass's three methods over a counter (the pass itself is tested in audit/).

describe('the audit retention sweep', () => {
  let app: FastifyInstance | null = null
  afterEach(async () => { await app?.close(); app = null })

  async function start(firstAfterMs?: number) {
    const clock = createFakeClock(Date.UTC(2026, 0, 1))
    const scheduler = createFakeScheduler(clock)
    const passes = { count: 0 }
    const deps: AuditRetentionDeps = {
      clock,
      settings: async () => null,
      audit: { record: async () => {} },
      store: {
        async listBrandIds() { passes.count++; return [] },
        async purgeAudit() { return 0 },
        async pruneRevokedTokenIds() { return 0 },
      },
    }
    app = Fastify()
    await app.register(auditRetentionPlugin, { deps, scheduler, everyMs: 3_600_000, ...(firstAfterMs !== undefined ? { firstAfterMs } : {}) })
    await app.ready()
    return { scheduler, passes }
  }

  it('runs a first pass a minute after start, not before', async () => {
    const { scheduler, passes } = await start()
    expect(scheduler.pending).toBe(1)
    scheduler.advance(59_999)
    expect(passes.count).toBe(0)
    scheduler.advance(1)
    await until(() => passes.count === 1, 'first retention pass')
    expect(scheduler.pending).toBe(0)
  })

  it('takes the first pass\'s delay from its options', async () => {
    const { scheduler, passes } = await start(5_000)
    scheduler.advance(5_000)
    await until(() => passes.count === 1, 'first retention pass')
  })

  it('cancels a first pass not yet due when the relay closes', async () => {
    const { scheduler, passes } = await start()
    await app!.close()
    app = null
    expect(scheduler.pending).toBe(0)
    scheduler.advance(60_000)
    expect(passes.count).toBe(0)
  })
})
