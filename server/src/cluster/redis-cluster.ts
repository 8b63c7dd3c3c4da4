import type { Bus } from '../bus/bus.js'
import type { Clock } from '../deps.js'
import type { BucketsFactory } from '../relay/shared-buckets.js'
import type { BrandLocks } from '../routing/brand-locks.js'
import type { WindowCounter } from '../window-counter.js'
import { createRedisBus } from './redis-bus.js'
import { connectRedis } from './redis-connection.js'
import { createRedisPresence, type ClusterPresence } from './redis-presence.js'
import { redisBuckets } from './redis-buckets.js'
import { redisLocks } from './redis-locks.js'
import { redisWindowCounter } from './redis-window-counter.js'

// Everything a relay node needs to join others through Redis, for the composition root:
//   const cluster = await createRedisCluster({ url: REDIS_URL, nodeId })
//   buildApp({ ...deps, ...cluster.deps }, opts) ... on shutdown, after app.close(): cluster.close()

/** How to join the cluster. */
export interface RedisClusterOptions {
  url: string
  /** Unique per node and per run (e.g. host name plus a random suffix). */
  nodeId: string
  clock: Clock
  /** Presence expiry: a dead node's connections stop counting this long after its last heartbeat (ms). */
  presenceTtlMs?: number
  /** Hears what failed in the background (a heartbeat, a shared limit falling back to this node's). */
  onError?: (err: unknown, what: string) => void
}

/** The cluster's parts: pass `deps` into buildApp's Deps. */
export interface RedisCluster {
  deps: { bus: Bus; presence: ClusterPresence; buckets: BucketsFactory; locks: BrandLocks; rateLimitCounter: WindowCounter }
  bus: Bus
  presence: ClusterPresence
  buckets: BucketsFactory
  locks: BrandLocks
  /** Closes the connections; the node's presence share is removed (a clean leave). */
  close(): Promise<void>
}

/** Connects to Redis (resolves once subscribed) and builds the node's shared parts. */
export async function createRedisCluster(opts: RedisClusterOptions): Promise<RedisCluster> {
  const onError = opts.onError ?? (() => {})
  const [redis, bus] = await Promise.all([connectRedis(opts, `parley:${opts.nodeId}`), createRedisBus(opts)])
  const presence = createRedisPresence({
    redis, nodeId: opts.nodeId, clock: opts.clock, onError: (err) => onError(err, 'presence heartbeat'),
    ...(opts.presenceTtlMs !== undefined ? { ttlMs: opts.presenceTtlMs } : {}),
  })
  // Redis may have lost this node's share while the link was down (a restart): write it again.
  const stopGap = bus.onGap(() => { presence.rewriteShare().catch((err: unknown) => onError(err, 'presence rewrite')) })
  await presence.heartbeat()
  const buckets = redisBuckets(redis, { onError: (err) => onError(err, 'shared rate limit') })
  const locks = redisLocks(redis)
  return {
    deps: { bus, presence, buckets, locks, rateLimitCounter: redisWindowCounter(redis) },
    bus, presence, buckets, locks,
    async close() {
      stopGap()
      await presence.close({ leave: true })
      await bus.close()
      await redis.quit().catch(() => redis.disconnect())
    },
  }
}
