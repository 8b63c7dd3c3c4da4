import type { Redis } from 'ioredis'
import type { WindowCounter } from '../window-counter.js'
import { luaScript } from './lua-script.js'
import { DEFAULT_REDIS_PREFIX } from './redis-connection.js'
import type { RedisHealth } from './redis-outage.js'

// The REST limits' counts in Redis, shared by the nodes: one key per limit and client, counted up
// and expiring with its window (the same fixed window @fastify/rate-limit's own Redis store keeps).

/** Where the counts live, under the cluster's prefix. */
const REST_LIMIT_KEY = 'rest-limit:'

/** KEYS: the count. ARGV: window (ms). Returns {count, ms left of the window}. */
const incrScript = luaScript(`
local current = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if current == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {current, ttl}
`)

/** Counts on `redis` under the cluster's `prefix`; a failed call is reported to `health` and rejects (the store falls back to the node's memory). */
export function redisWindowCounter(redis: Redis, opts: { prefix?: string; health?: RedisHealth } = {}): WindowCounter {
  const prefix = (opts.prefix ?? DEFAULT_REDIS_PREFIX) + REST_LIMIT_KEY
  return {
    async incr(key, windowMs) {
      try {
        const [current, ttlMs] = await incrScript(redis, [prefix + key], [windowMs]) as [number, number]
        opts.health?.ok()
        return { current, ttlMs }
      } catch (err) {
        opts.health?.failed(err)
        throw err
      }
    },
  }
}
