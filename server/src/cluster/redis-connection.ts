import { Redis } from 'ioredis'
import { failureReason } from '../failure-reason.js'

// One way to open a Redis connection for the cluster's parts. Commands never wait in an offline
// queue: while Redis is down they fail at once, so a publish is dropped (the bus is a hint) and a
// shared limit or lease falls back instead of piling requests up in memory. A Redis that stops
// answering without closing the socket (a frozen process, a dropped network) is met by the command
// timeout: a visitor's message then waits at most that long for a shared limit before this node's
// own buckets answer. The subscriber has no command timeout (it sends commands rarely and waits for
// messages), but like every connection it probes the socket with TCP keep-alive. ioredis reconnects
// by itself, with a short capped backoff so a restarted Redis is picked up within about a second.

/** The prefix of every key and channel the cluster uses, unless PARLEY_REDIS_PREFIX says otherwise. */
export const DEFAULT_REDIS_PREFIX = 'parley:'

/** How long a command may wait for Redis's answer before it fails (ms). */
export const REDIS_COMMAND_TIMEOUT_MS = 400

/** Delay before the first TCP keep-alive probe on an idle connection (ms). */
export const REDIS_KEEP_ALIVE_MS = 5000

/** Where a part gets its connection: a URL, or an existing client it duplicates (same options). */
export type RedisSource = { url: string } | { redis: Redis }

/** Backoff between reconnection attempts (ms), capped at one second. */
export function reconnectDelay(attempt: number): number {
  return Math.min(50 * attempt, 1000)
}

/** Opens a connection and resolves once it is ready; `subscriber` leaves out the command timeout. */
export async function connectRedis(source: RedisSource, name: string, opts: { subscriber?: boolean; commandTimeoutMs?: number } = {}): Promise<Redis> {
  const options = {
    connectionName: name, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1,
    retryStrategy: reconnectDelay, keepAlive: REDIS_KEEP_ALIVE_MS,
    commandTimeout: opts.subscriber ? undefined : opts.commandTimeoutMs ?? REDIS_COMMAND_TIMEOUT_MS,
  }
  const redis = 'url' in source ? new Redis(source.url, options) : source.redis.duplicate(options)
  // Errors are reported through the commands that fail and the ready/close events; without a
  // listener ioredis would print every failed reconnection attempt. The last one says why a first
  // connection failed (connect() itself only rejects with "Connection is closed.").
  let lastError: unknown = null
  redis.on('error', (err: unknown) => { lastError = err })
  try {
    await redis.connect()
  } catch (err) {
    // Left alone, the client would go on reconnecting, and keep a process that gave up alive.
    redis.disconnect()
    throw new Error(failureReason(lastError ?? err), { cause: lastError ?? err })
  }
  return redis
}

/** host:port of a redis:// URL, with no user or password. */
export function redisAddress(url: string): string {
  const u = URL.canParse(url) ? new URL(url) : null
  return u ? `${u.hostname || 'localhost'}:${u.port || '6379'}` : '?'
}

/**
 * Opens two things at once; when one fails, closes the other (a connection left open would keep
 * reconnecting) and rejects with the failure.
 */
export async function openBoth<A, B>(a: Promise<A>, closeA: (a: A) => unknown, b: Promise<B>, closeB: (b: B) => unknown): Promise<[A, B]> {
  const [ra, rb] = await Promise.allSettled([a, b])
  if (ra.status === 'fulfilled' && rb.status === 'fulfilled') return [ra.value, rb.value]
  if (ra.status === 'fulfilled') await closeA(ra.value)
  if (rb.status === 'fulfilled') await closeB(rb.value)
  throw ra.status === 'rejected' ? ra.reason : (rb as PromiseRejectedResult).reason
}
