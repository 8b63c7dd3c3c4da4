import type { Bus } from './bus/bus.js'
import type { Clock, Deps } from './deps.js'
import type { ClusterSettings } from './config.js'
import { createInProcessBus } from './bus/in-process.js'
import { createInProcessPresence } from './agents/presence.js'
import { failureReason } from './failure-reason.js'

// How a relay reaches the other nodes: alone, everything stays in this process; with REDIS_URL the
// bus, presence, rate limits and the routing lock go through Redis, so every node sees the same.
// The Redis modules and their client load only then (a node alone does not carry them).

/** What the relay shares with the other nodes, and how to let go of it. */
export interface ClusterLink {
  bus: Bus
  /** The shared pieces the relay takes from its deps. */
  deps: Pick<Deps, 'presence' | 'buckets' | 'locks' | 'rateLimitCounter'>
  /** Leaves the cluster (after the relay stopped serving). */
  close(): Promise<void>
}

/**
 * Joins the cluster REDIS_URL names (its keys under PARLEY_REDIS_PREFIX), or links this node to
 * itself alone; `onError` hears background failures (a Redis outage once), `onRecovered` its end.
 */
export async function openCluster(settings: ClusterSettings, clock: Clock, onError: (err: unknown, what: string) => void, onRecovered: () => void = () => {}): Promise<ClusterLink> {
  if (settings.redisUrl === null) {
    const bus = createInProcessBus()
    return { bus, deps: { presence: createInProcessPresence() }, close: () => bus.close() }
  }
  const url = settings.redisUrl
  const [{ createRedisCluster }, { redisAddress }] = await Promise.all([import('./cluster/redis-cluster.js'), import('./cluster/redis-connection.js')])
  const cluster = await createRedisCluster({ url, nodeId: settings.nodeId, prefix: settings.redisPrefix, batch: settings.busBatch, clock, onError, onRecovered })
    .catch((err: unknown) => { throw new Error(`cannot reach Redis at REDIS_URL (${redisAddress(url)}): ${failureReason(err)}`, { cause: err }) })
  const { bus, ...deps } = cluster.deps
  return { bus, deps, close: () => cluster.close() }
}
