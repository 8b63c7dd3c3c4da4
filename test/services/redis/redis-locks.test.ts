import { Redis } from 'ioredis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { LOCKS_KEY, redisLocks } from '../../../server/src/cluster/redis-locks.js'
import { LeaseRefusedError } from '../../../server/src/routing/brand-locks.js'
import { describeWithRedis, REDIS_URL, testRedisPrefix } from '../../helpers/redis.js'
import { until } from '../../helpers/until.js'

// Brand leases on a real Redis: renewed while the job runs, refused while another holds one,
// released only by their holder, and a lost lease aborts its job's signal.

describeWithRedis('brand leases on Redis', () => {
  let redis: Redis
  const prefix = testRedisPrefix()
  const key = (brandId: string) => `${prefix}${LOCKS_KEY}${brandId}`
  beforeAll(() => { redis = new Redis(REDIS_URL) })
  afterAll(() => { redis.disconnect() })

  it('keeps the lease past its length while the job runs, and releases it after', async () => {
    const locks = redisLocks(redis, { prefix, leaseMs: 300 })
    await locks.hold('renewed', async (signal) => {
      await new Promise((r) => setTimeout(r, 700))
      expect(await redis.exists(key('renewed'))).toBe(1)
      expect(signal.aborted).toBe(false)
    })
    expect(await redis.exists(key('renewed'))).toBe(0)
  })

  it('refuses a lease another holder keeps past the wait, with LeaseRefusedError', async () => {
    await redis.set(key('held'), 'someone-else', 'PX', 5000)
    const locks = redisLocks(redis, { prefix, leaseMs: 300, waitMs: 100 })
    let ran = false
    const err = await locks.hold('held', async () => { ran = true }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(LeaseRefusedError)
    expect((err as LeaseRefusedError).reason).toBe('held')
    expect(ran).toBe(false)
  })

  it('takes a lease whose holder died once it expires', async () => {
    await redis.set(key('expired'), 'dead-node', 'PX', 200)
    const locks = redisLocks(redis, { prefix, leaseMs: 300, waitMs: 2000 })
    expect(await locks.hold('expired', async () => 'ran')).toBe('ran')
  })

  it('leaves alone a lease that is no longer its own when it releases (compare-and-delete)', async () => {
    const locks = redisLocks(redis, { prefix, leaseMs: 5000 })
    await locks.hold('taken-over', async () => {
      // Another node's lease now, as after an expiry.
      await redis.set(key('taken-over'), 'other-node')
    })
    expect(await redis.get(key('taken-over'))).toBe('other-node')
  })

  it('aborts the job\'s signal once a renewal finds the lease gone', async () => {
    const locks = redisLocks(redis, { prefix, leaseMs: 300 })
    await locks.hold('lost', async (signal) => {
      await redis.set(key('lost'), 'other-node', 'PX', 5000)
      await until(() => signal.aborted, 'the signal aborted', 5000)
    })
  })
})
