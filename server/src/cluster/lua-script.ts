import { createHash } from 'node:crypto'
import type { Redis } from 'ioredis'

// A Lua script run through ioredis's own script commands (defineCommand): the first use on each
// connection sends the whole script (EVAL), later ones its SHA-1 (EVALSHA). The choice is made when
// the command is written to the socket, so a fresh or restarted server never answers NOSCRIPT to a
// command that then has to be re-sent behind the ones that followed it: writes keep their order.

/** Runs the script with `keys` and `args`; resolves to what the script returned. */
export type LuaScript = (redis: Redis, keys: readonly string[], args: readonly (string | number)[]) => Promise<unknown>

/** The command defineCommand adds to a client: keys count, keys, then args. */
type ScriptCommand = (numKeys: number, ...keysAndArgs: (string | number)[]) => Promise<unknown>

/** Wraps `source` for running on any client. */
export function luaScript(source: string): LuaScript {
  const name = `parleyLua${createHash('sha1').update(source).digest('hex')}`
  const defined = new WeakSet<Redis>()
  return (redis, keys, args) => {
    if (!defined.has(redis)) {
      redis.defineCommand(name, { lua: source })
      defined.add(redis)
    }
    const run = (redis as unknown as Record<string, ScriptCommand>)[name]!
    return run.call(redis, keys.length, ...keys, ...args)
  }
}
