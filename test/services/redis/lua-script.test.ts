import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { luaScript } from '../../../server/src/cluster/lua-script.js'
import { describeWithRedis, REDIS_URL, startPrivateRedis, type PrivateRedis } from '../../helpers/redis.js'
import { until } from '../../helpers/until.js'

// A script the server does not know yet (a fresh server, or one that restarted) must still run in
// the order it was sent: a NOSCRIPT answer re-sent as EVAL would land after later commands.

/** A script that appends ARGV[1] to the list KEYS[1]; its source is new to the server each time. */
function appendScript() {
  return luaScript(`-- ${randomBytes(8).toString('hex')}\nreturn redis.call('RPUSH', KEYS[1], ARGV[1])`)
}

describeWithRedis('Lua scripts by SHA-1', () => {
  let redis: Redis
  beforeAll(() => { redis = new Redis(REDIS_URL) })
  afterAll(async () => { await redis.quit() })

  it('runs a script the server does not know before the commands sent after it', async () => {
    const key = `test:lua-order:${randomBytes(6).toString('hex')}`
    const append = appendScript()
    await Promise.all([append(redis, [key], ['script']), redis.rpush(key, 'after')])
    expect(await redis.lrange(key, 0, -1)).toEqual(['script', 'after'])
    await redis.del(key)
  })

  it('keeps that order after the server restarted and forgot its scripts', async () => {
    const priv: PrivateRedis = await startPrivateRedis()
    const r = new Redis(priv.url, { maxRetriesPerRequest: null })
    r.on('error', () => {})
    try {
      const append = appendScript()
      await append(r, ['log'], ['warm'])
      await priv.stop()
      await priv.start()
      await until(() => r.status === 'ready', 'reconnected')
      await Promise.all([append(r, ['log'], ['script']), r.rpush('log', 'after')])
      expect(await r.lrange('log', 0, -1)).toEqual(['script', 'after'])
    } finally {
      r.disconnect()
      await priv.close()
    }
  })
})
