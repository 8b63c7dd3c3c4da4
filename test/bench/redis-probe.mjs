import { Redis } from 'ioredis'

// What the benchmark asks the machine's Redis before and after starting clustered relays: is it
// there, which process is it (its CPU is measured beside the relays'), and did each node connect.

/** The Redis the two-node target uses (keys and channels of its own where the relay allows). */
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379'
const CONNECT_TIMEOUT_MS = 2000

/** Runs `fn(redis)` on a short-lived connection; rejects with a one-line reason when Redis does not answer. */
export async function withRedis(fn, url = REDIS_URL) {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false })
  // ioredis rejects connect() with "Connection is closed."; the socket's own error says why.
  let lastError = null
  redis.on('error', (err) => { lastError = err })
  try {
    await redis.connect()
  } catch (err) {
    redis.disconnect()
    throw new Error(`Redis is not reachable at ${url} (${(lastError ?? err).message}); set BENCH_REDIS_URL`)
  }
  try {
    return await fn(redis)
  } finally {
    await redis.quit().catch(() => redis.disconnect())
  }
}

/** The redis-server's process id (from INFO), or null when Redis runs elsewhere (then /proc has nothing to read). */
export async function redisServerPid(redis) {
  const info = await redis.info('server')
  const pid = Number(/^process_id:(\d+)/m.exec(info)?.[1])
  return Number.isInteger(pid) ? pid : null
}

/** The names of the clients connected to Redis now (CLIENT LIST's `name=` fields, empty ones left out). */
export async function clientNames(redis) {
  const list = await redis.client('LIST')
  return String(list).split('\n').map((line) => /(?:^| )name=(\S*)/.exec(line)?.[1]).filter(Boolean)
}
