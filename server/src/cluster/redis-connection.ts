import { Redis } from 'ioredis'

// One way to open a Redis connection for the cluster's parts. Commands never wait in an offline
// queue: while Redis is down they fail at once, so a publish is dropped (the bus is a hint) and a
// shared limit or lease falls back instead of piling requests up in memory. ioredis reconnects by
// itself, with a short capped backoff so a restarted Redis is picked up within about a second.

/** Where a part gets its connection: a URL, or an existing client it duplicates (same options). */
export type RedisSource = { url: string } | { redis: Redis }

/** Backoff between reconnection attempts (ms), capped at one second. */
export function reconnectDelay(attempt: number): number {
  return Math.min(50 * attempt, 1000)
}

/** Opens a connection and resolves once it is ready. */
export async function connectRedis(source: RedisSource, name: string): Promise<Redis> {
  const options = {
    connectionName: name, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1,
    retryStrategy: reconnectDelay,
  }
  const redis = 'url' in source ? new Redis(source.url, options) : source.redis.duplicate(options)
  // Errors are reported through the commands that fail and the ready/close events; without a
  // listener ioredis would print every failed reconnection attempt.
  redis.on('error', () => {})
  await redis.connect()
  return redis
}
