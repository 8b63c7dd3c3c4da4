import { randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import { LeaseRefusedError, type BrandLocks } from '../routing/brand-locks.js'
import { luaScript } from './lua-script.js'
import { DEFAULT_REDIS_PREFIX } from './redis-connection.js'
import type { RedisHealth } from './redis-outage.js'

// Per-brand leases across nodes: `SET key token NX PX lease`, renewed while the job runs and
// released by compare-and-delete, so a node only ever ends its own lease (one that expired and was
// taken by another node is left alone). A node that dies mid-pass holds the brand for at most one
// lease. Without Redis no lease can be had and the job is refused (BrandPasses tries it again): two
// nodes' passes at once could put an agent past their capacity. A renewal that fails (Redis down or
// slow, or the lease expired and another node took it) aborts the job's signal: the job may no
// longer be alone, so it stops before its next write that needs the lease.

/** Where the leases live, under the cluster's prefix. */
export const LOCKS_KEY = 'lock:brand:'

/** KEYS: lease. ARGV: token. Deletes the lease if it is still ours. */
const releaseScript = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`)

/** KEYS: lease. ARGV: token, ms. Extends the lease if it is still ours. */
const renewScript = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`)

/** How leases are taken. */
export interface RedisLocksOptions {
  /** The cluster's key prefix (default `parley:`). */
  prefix?: string
  /** How long a lease lasts unless renewed (ms). */
  leaseMs?: number
  /** How long to wait for a lease another node holds before giving up (ms). */
  waitMs?: number
  /** How Redis calls went (an outage is logged once, not per refused lease). */
  health?: RedisHealth
}

/** Brand leases on `redis`. */
export function redisLocks(redis: Redis, opts: RedisLocksOptions = {}): BrandLocks {
  const prefix = (opts.prefix ?? DEFAULT_REDIS_PREFIX) + LOCKS_KEY
  const leaseMs = opts.leaseMs ?? 5000
  const waitMs = opts.waitMs ?? leaseMs * 2
  return {
    async hold(brandId, job) {
      const key = prefix + brandId
      const token = randomBytes(12).toString('base64url')
      try {
        await acquire(redis, key, token, leaseMs, waitMs, brandId)
        opts.health?.ok()
      } catch (err) {
        if (err instanceof LeaseRefusedError) throw err
        opts.health?.failed(err)
        throw new LeaseRefusedError(brandId, 'unreachable', err)
      }
      const lost = new AbortController()
      const renew = setInterval(() => {
        renewScript(redis, [key], [token, leaseMs]).then((renewed) => { if (renewed !== 1) lost.abort() }, () => lost.abort())
      }, Math.floor(leaseMs / 3))
      renew.unref()
      try {
        return await job(lost.signal)
      } finally {
        clearInterval(renew)
        await releaseScript(redis, [key], [token]).catch(() => {})
      }
    },
  }
}

/** Takes the lease, waiting (with jitter) while another node holds it; throws when it can't. */
async function acquire(redis: Redis, key: string, token: string, leaseMs: number, waitMs: number, brandId: string): Promise<void> {
  // Redis's failures (down, timed out) propagate as they are: the caller tells them from contention.
  const giveUpAt = Date.now() + waitMs
  for (let attempt = 0; ; attempt++) {
    if ((await redis.set(key, token, 'PX', leaseMs, 'NX')) === 'OK') return
    if (Date.now() >= giveUpAt) throw new LeaseRefusedError(brandId, 'held')
    await new Promise((resolve) => setTimeout(resolve, Math.min(10 * 2 ** Math.min(attempt, 4), 100) * (0.5 + Math.random())))
  }
}
