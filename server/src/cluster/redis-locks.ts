import { randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { BrandLocks } from '../routing/brand-locks.js'
import { luaScript } from './lua-script.js'

// Per-brand leases across nodes: `SET key token NX PX lease`, renewed while the job runs and
// released by compare-and-delete, so a node only ever ends its own lease (one that expired and was
// taken by another node is left alone). A node that dies mid-pass holds the brand for at most one
// lease. Without Redis no lease can be had and the job is refused (the periodic sweep and the next
// event run it again): two nodes' passes at once could put an agent past their capacity.

/** Where the leases live. */
export const DEFAULT_LOCKS_PREFIX = 'parley:lock:brand:'

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
  prefix?: string
  /** How long a lease lasts unless renewed (ms). */
  leaseMs?: number
  /** How long to wait for a lease another node holds before giving up (ms). */
  waitMs?: number
}

/** Brand leases on `redis`. */
export function redisLocks(redis: Redis, opts: RedisLocksOptions = {}): BrandLocks {
  const prefix = opts.prefix ?? DEFAULT_LOCKS_PREFIX
  const leaseMs = opts.leaseMs ?? 5000
  const waitMs = opts.waitMs ?? leaseMs * 2
  return {
    async hold(brandId, job) {
      const key = prefix + brandId
      const token = randomBytes(12).toString('base64url')
      await acquire(redis, key, token, leaseMs, waitMs)
      const renew = setInterval(() => { renewScript(redis, [key], [token, leaseMs]).catch(() => {}) }, Math.floor(leaseMs / 3))
      renew.unref()
      try {
        return await job()
      } finally {
        clearInterval(renew)
        await releaseScript(redis, [key], [token]).catch(() => {})
      }
    },
  }
}

/** Takes the lease, waiting (with jitter) while another node holds it; throws when it can't. */
async function acquire(redis: Redis, key: string, token: string, leaseMs: number, waitMs: number): Promise<void> {
  const giveUpAt = Date.now() + waitMs
  for (let attempt = 0; ; attempt++) {
    if ((await redis.set(key, token, 'PX', leaseMs, 'NX')) === 'OK') return
    if (Date.now() >= giveUpAt) throw new Error(`brand lease ${key} still held by another node after ${waitMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, Math.min(10 * 2 ** Math.min(attempt, 4), 100) * (0.5 + Math.random())))
  }
}
