import type { Redis } from 'ioredis'
import { KeyedBuckets } from '../relay/rate-limiter.js'
import type { BucketsFactory, SharedBuckets, Take } from '../relay/shared-buckets.js'
import { luaScript } from './lua-script.js'
import { DEFAULT_REDIS_PREFIX } from './redis-connection.js'
import type { RedisHealth } from './redis-outage.js'

// Token buckets shared by every node: one hash per key (tokens, last refill), refilled and taken in
// one Lua script on Redis's own clock, so nodes whose clocks differ still share one budget. A
// bucket expires once it would be full again. While Redis fails, this node's own buckets answer
// instead: a limit that holds per node for a moment beats refusing every visitor.

/** Where the buckets' keys live, under the cluster's prefix. */
export const BUCKETS_KEY = 'bucket:'

/** KEYS: bucket. ARGV: rate (tokens/s), burst. Returns {1, 0} or {0, ms until a token}. */
const takeScript = luaScript(`
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local b = redis.call('HMGET', KEYS[1], 'tokens', 'last')
local tokens = tonumber(b[1]) or burst
local last = tonumber(b[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - last) * rate / 1000)
local ok, retry = 0, 0
if tokens >= 1 then tokens = tokens - 1; ok = 1 else retry = math.ceil((1 - tokens) * 1000 / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'last', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) * 1000 / rate) + 1000)
return {ok, retry}
`)

/** KEYS: bucket. ARGV: burst. Gives one token back (never above the burst). */
const refundScript = luaScript(`
local tokens = tonumber(redis.call('HGET', KEYS[1], 'tokens'))
if tokens == nil then return 0 end
redis.call('HSET', KEYS[1], 'tokens', tostring(math.min(tonumber(ARGV[1]), tokens + 1)))
return 1
`)

const TAKEN: Take = Object.freeze({ ok: true as const })

/** Makes shared buckets on `redis` under the cluster's `prefix` (default `parley:`). */
export function redisBuckets(redis: Redis, opts: { prefix?: string; health?: RedisHealth } = {}): BucketsFactory {
  const prefix = (opts.prefix ?? DEFAULT_REDIS_PREFIX) + BUCKETS_KEY
  return (name, rate, burst) => new RedisBuckets(redis, `${prefix}${name}:`, rate, burst, opts.health)
}

class RedisBuckets implements SharedBuckets {
  readonly #redis: Redis
  readonly #prefix: string
  readonly #rate: number
  readonly #burst: number
  readonly #fallback: KeyedBuckets
  readonly #health: RedisHealth | undefined

  constructor(redis: Redis, prefix: string, rate: number, burst: number, health?: RedisHealth) {
    this.#redis = redis
    this.#prefix = prefix
    this.#rate = rate
    this.#burst = burst
    this.#fallback = new KeyedBuckets(rate, burst)
    this.#health = health
  }

  async take(key: string, now: number): Promise<Take> {
    try {
      const [ok, retryAfterMs] = await takeScript(this.#redis, [this.#prefix + key], [this.#rate, this.#burst]) as number[]
      this.#health?.ok()
      return ok === 1 ? TAKEN : { ok: false, retryAfterMs: retryAfterMs! }
    } catch (err) {
      this.#health?.failed(err)
      return this.#fallback.take(key, now)
    }
  }

  refund(key: string): void {
    refundScript(this.#redis, [this.#prefix + key], [this.#burst]).catch((err: unknown) => this.#health?.failed(err))
  }
}
