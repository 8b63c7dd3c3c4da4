import type { Bus } from '../bus/bus.js'
import type { Clock } from '../deps.js'
import type { BucketsFactory } from '../relay/shared-buckets.js'
import type { BrandLocks } from '../routing/brand-locks.js'
import type { WindowCounter } from '../window-counter.js'
import { createRedisBus } from './redis-bus.js'
import { connectRedis, DEFAULT_REDIS_PREFIX, openBoth } from './redis-connection.js'
import { RedisOutage } from './redis-outage.js'
import { createRedisPresence, PRESENCE_KEY, type ClusterPresence } from './redis-presence.js'
import { redisBuckets } from './redis-buckets.js'
import { redisLocks } from './redis-locks.js'
import { redisWindowCounter } from './redis-window-counter.js'

// Everything a relay node needs to join others through Redis, for the composition root:
//   const cluster = await createRedisCluster({ url: REDIS_URL, nodeId })
//   buildApp({ ...deps, ...cluster.deps }, opts) ... on shutdown, after app.close(): cluster.close()
// Every key and the bus channel start with `prefix`, so clusters (staging and production, parallel
// test files) can share one Redis server. Standalone Redis or Sentinel: the presence scripts build
// their keys inside Lua (no KEYS declared), which Redis Cluster does not allow.

/** How to join the cluster. */
export interface RedisClusterOptions {
  url: string
  /** Unique per node and per run (e.g. host name plus a random suffix). */
  nodeId: string
  clock: Clock
  /** Presence expiry: a dead node's connections stop counting this long after its last heartbeat (ms). */
  presenceTtlMs?: number
  /** Starts every key and the channel (default `parley:`): one per cluster sharing a Redis server. */
  prefix?: string
  /** Batch the bus's envelopes (see RedisBusOptions.batch; default off). */
  batch?: boolean
  /**
   * Hears what failed in the background: Redis stopping to answer (once per outage: a heartbeat, a
   * shared limit falling back to this node's, a lease), or a bad bus event.
   */
  onError?: (err: unknown, what: string) => void
  /** Hears Redis answering again after `onError` reported it down. */
  onRecovered?: () => void
}

/** The cluster's parts: pass `deps` into buildApp's Deps. */
export interface RedisCluster {
  deps: { bus: Bus; presence: ClusterPresence; buckets: BucketsFactory; locks: BrandLocks; rateLimitCounter: WindowCounter }
  bus: Bus
  presence: ClusterPresence
  /** Closes the connections; the node's presence share is removed (a clean leave). */
  close(): Promise<void>
}

/** Connects to Redis (resolves once subscribed) and builds the node's shared parts. */
export async function createRedisCluster(opts: RedisClusterOptions): Promise<RedisCluster> {
  const onError = opts.onError ?? (() => {})
  const prefix = opts.prefix ?? DEFAULT_REDIS_PREFIX
  const outage = new RedisOutage({ down: onError, up: opts.onRecovered ?? (() => {}) })
  const [redis, bus] = await openBoth(
    connectRedis(opts, `parley:${opts.nodeId}`), (r) => r.disconnect(),
    createRedisBus({ url: opts.url, nodeId: opts.nodeId, prefix, batch: opts.batch ?? false, onError }), (b) => b.close(),
  )
  redis.on('ready', () => outage.ok())
  const presence = createRedisPresence({
    redis, nodeId: opts.nodeId, clock: opts.clock, prefix: prefix + PRESENCE_KEY,
    onError: (err) => outage.failed(err, 'presence heartbeat'),
    ...(opts.presenceTtlMs !== undefined ? { ttlMs: opts.presenceTtlMs } : {}),
  })
  // Redis may have lost this node's share while the link was down (a restart): write it again.
  const stopGap = bus.onGap(() => { presence.rewriteShare().catch((err: unknown) => outage.failed(err, 'presence rewrite')) })
  try {
    await presence.heartbeat()
  } catch (err) {
    stopGap()
    await presence.close({ leave: false }).catch(() => {})
    await bus.close().catch(() => {})
    redis.disconnect()
    throw err
  }
  return {
    deps: {
      bus, presence,
      buckets: redisBuckets(redis, { prefix, health: outage.health('shared rate limit') }),
      locks: redisLocks(redis, { prefix, health: outage.health('routing lease') }),
      rateLimitCounter: redisWindowCounter(redis, { prefix, health: outage.health('shared REST limit') }),
    },
    bus, presence,
    async close() {
      stopGap()
      await presence.close({ leave: true })
      await bus.close()
      await redis.quit().catch(() => redis.disconnect())
    },
  }
}
