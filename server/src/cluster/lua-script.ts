import { createHash } from 'node:crypto'
import type { Redis } from 'ioredis'

// A Lua script run by its SHA-1 (EVALSHA), loaded with EVAL the first time a server doesn't know it
// (after a restart, or on a fresh server): the hot paths send 40 bytes, not the whole script.

/** Runs the script with `keys` and `args`; resolves to what the script returned. */
export type LuaScript = (redis: Redis, keys: readonly string[], args: readonly (string | number)[]) => Promise<unknown>

/** Wraps `source` for running by SHA-1. */
export function luaScript(source: string): LuaScript {
  const sha = createHash('sha1').update(source).digest('hex')
  return async (redis, keys, args) => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args)
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err
      return redis.eval(source, keys.length, ...keys, ...args)
    }
  }
}
