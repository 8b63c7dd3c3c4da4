import { randomBytes } from 'node:crypto'
import { afterEach, expect, it, describe } from 'vitest'
import { inProcessBuckets } from '../../server/src/relay/rate-limiter.js'
import { ADMITTING_LIMIT } from '../../server/src/relay/session.js'
import type { BucketsFactory, Take } from '../../server/src/relay/shared-buckets.js'
import { createTestBrand } from '../helpers/brand.js'
import { connectVisitor, frameOf } from '../helpers/delivery-chat.js'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { until } from '../helpers/until.js'

// A visitor's messages wait for the shared limit's answer (Redis) in order; while it is slow, what
// piles up on one connection is bounded: past ADMITTING_LIMIT frames waiting, the rest are refused as busy.

/** Visitor-message buckets that answer only when the test releases them; the other limits answer at once. */
function stalledBuckets(): { factory: BucketsFactory; release(): void; waiting(): number } {
  const held: ((t: Take) => void)[] = []
  const factory: BucketsFactory = (name, rate, burst) => {
    if (name !== 'visitor-messages') return inProcessBuckets(name, rate, burst)
    return { take: () => new Promise<Take>((resolve) => held.push(resolve)), refund() {} }
  }
  return { factory, release: () => { for (const r of held.splice(0)) r({ ok: true }) }, waiting: () => held.length }
}

describe('frames waiting for a shared limit', () => {
  let relay: TestRelay | null = null
  afterEach(async () => { await relay?.close(); relay = null })

  it('refuses frames past the waiting limit with PARLEY_ERR_LIMIT_BUSY and admits the ones that waited', async () => {
    const buckets = stalledBuckets()
    relay = await startRelay({ buckets: buckets.factory, limits: { framesPerSecond: 1000, messagesPerSecond: 1000, floodCloseAfter: 1000 } })
    const brand = await createTestBrand(relay)
    const v = await connectVisitor(relay, brand)
    const convId = `c${randomBytes(6).toString('hex')}`
    const total = ADMITTING_LIMIT + 5
    for (let i = 0; i < total; i++) v.client.send({ type: 'message.send', convId, clientMsgId: `m${i}`, text: `m${i}` })
    const last = await frameOf(v.client, 'error', (f) => f.ref === `m${total - 1}`, 'the last frame refused')
    expect(last.code).toBe('PARLEY_ERR_LIMIT_BUSY')
    expect(v.client.all('error', (f) => f.code === 'PARLEY_ERR_LIMIT_BUSY').map((f) => f.ref)).toEqual(
      Array.from({ length: 5 }, (_, i) => `m${ADMITTING_LIMIT + i}`))
    buckets.release()
    // Each waiting message takes its bucket in turn: keep answering until all are acked.
    await until(() => { buckets.release(); return v.client.all('message.ack').length === ADMITTING_LIMIT }, 'the waiting messages acked')
    v.client.close()
  })
})
