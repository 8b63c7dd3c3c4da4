import { afterEach, describe, expect, it } from 'vitest'
import Fastify, { type FastifyInstance } from 'fastify'
import { retentionPurgePlugin } from '../../../../server/src/plugins/retention-purge.js'
import { createFakeClock } from '../../../helpers/fake-clock.js'
import { createFakeScheduler } from '../../../helpers/fake-scheduler.js'
import { until } from '../../../helpers/until.js'

// When the relay purges transcripts: two minutes after start (a relay restarted more often than the
// hourly interval still purges), then on the interval; shutdown waits for a pass in flight. Time is
// the fake clock and scheduler; the store is a brand list over a counter (the pass is tested with
// the real stores in test/unit/server/store/retention-purge.test.ts).

describe('the retention purge sweep', () => {
  let app: FastifyInstance | null = null
  afterEach(async () => { await app?.close(); app = null })

  async function start(listBrandIds: () => Promise<string[]> = async () => []) {
    const clock = createFakeClock(Date.UTC(2026, 0, 1))
    const scheduler = createFakeScheduler(clock)
    const passes = { count: 0 }
    const fail = () => Promise.reject(new Error('not expected'))
    app = Fastify()
    await app.register(retentionPurgePlugin, {
      deps: {
        clock, audit: { record: fail },
        store: {
          async listBrandIds() { passes.count++; return listBrandIds() },
          getPrivacyConfig: fail, listExpiredConversations: fail, getConversation: fail, eraseConversations: fail, scrubFreePages: fail, truncateWal: fail,
        },
      },
      scheduler, everyMs: 3_600_000,
    })
    await app.ready()
    return { scheduler, passes }
  }

  it('runs a first pass two minutes after start, not before', async () => {
    const { scheduler, passes } = await start()
    expect(scheduler.pending).toBe(1)
    scheduler.advance(119_999)
    expect(passes.count).toBe(0)
    scheduler.advance(1)
    await until(() => passes.count === 1, 'first purge pass')
  })

  it('waits on close for the pass in flight', async () => {
    let release!: (ids: string[]) => void
    const { scheduler, passes } = await start(() => new Promise((resolve) => { release = resolve }))
    scheduler.advance(120_000)
    await until(() => passes.count === 1, 'first purge pass')
    let closed = false
    const closing = app!.close().then(() => { closed = true })
    app = null
    // Plenty of turns for a close that did not wait (Fastify with no server closes in a few).
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve))
    expect(closed).toBe(false)
    release([])
    await closing
    expect(closed).toBe(true)
  })
})
