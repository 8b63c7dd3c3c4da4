import { DEFAULT_LIMITS, type Limits } from '@parley/sdk/contract'

// Settings from flags and environment. Flags win over environment, environment over defaults.
// Each limit `fooBar` is `--foo-bar` on the command line and `PARLEY_FOO_BAR` in the environment.

const RATES = new Set<keyof Limits>(['messagesPerSecond', 'visitorMessagesPerSecond', 'framesPerSecond'])

/** A limit's command-line flag name. */
export function limitFlag(name: keyof Limits): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
}

/** A limit's environment variable name. */
export function limitEnv(name: keyof Limits): string {
  return `PARLEY_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`
}

/** The limits named by flags or environment; throws on a value that is not a positive number. */
export function readLimits(flags: Record<string, unknown>, env: NodeJS.ProcessEnv): Partial<Limits> {
  const out: Partial<Limits> = {}
  for (const name of Object.keys(DEFAULT_LIMITS) as (keyof Limits)[]) {
    const raw = flags[limitFlag(name)] ?? env[limitEnv(name)]
    if (raw === undefined) continue
    const n = Number(raw)
    // Rates may be fractional (one message every two seconds); counts, sizes and times may not.
    const fractional = RATES.has(name)
    if (!Number.isFinite(n) || n <= 0 || (!fractional && !Number.isSafeInteger(n))) {
      const what = fractional ? 'a positive number' : 'a positive whole number'
      throw new Error(`--${limitFlag(name)} (${limitEnv(name)}) must be ${what}, got ${String(raw)}`)
    }
    out[name] = n
  }
  return out
}

/** Help text for the limits, generated from the defaults so it cannot drift. */
export function limitsHelp(): string {
  return (Object.keys(DEFAULT_LIMITS) as (keyof Limits)[])
    .map((n) => `  --${limitFlag(n).padEnd(28)} ${limitEnv(n).padEnd(38)} default ${DEFAULT_LIMITS[n]}`)
    .join('\n')
}

/** Where the relay keeps its data: the embedded SQLite file, or a PostgreSQL server. */
export type StoreSettings =
  | { kind: 'sqlite' }
  | { kind: 'postgres'; url: string; ownerUrl: string | null; poolSize: number }

/** The default number of connections in the PostgreSQL pool (PARLEY_PG_POOL_SIZE). */
export const DEFAULT_PG_POOL_SIZE = 10

/** The store named by `--database-url` / DATABASE_URL (PostgreSQL), or SQLite when neither is set. */
export function readStoreSettings(flags: Record<string, unknown>, env: NodeJS.ProcessEnv): StoreSettings {
  const url = text(flags['database-url']) ?? text(env.DATABASE_URL)
  if (url === undefined) return { kind: 'sqlite' }
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error('DATABASE_URL (--database-url) must be a postgres:// URL')
  const ownerUrl = text(env.PARLEY_DATABASE_OWNER_URL) ?? null
  if (ownerUrl !== null && !/^postgres(ql)?:\/\//.test(ownerUrl)) throw new Error('PARLEY_DATABASE_OWNER_URL must be a postgres:// URL')
  const rawPool = text(env.PARLEY_PG_POOL_SIZE)
  const poolSize = rawPool === undefined ? DEFAULT_PG_POOL_SIZE : Number(rawPool)
  if (!Number.isSafeInteger(poolSize) || poolSize < 1) throw new Error(`PARLEY_PG_POOL_SIZE must be a whole number of at least 1, got ${rawPool}`)
  return { kind: 'postgres', url, ownerUrl, poolSize }
}

/** How this relay joins other nodes: through Redis (null: it runs alone), and the name it goes by. */
export interface ClusterSettings {
  redisUrl: string | null
  nodeId: string
  /** Starts every Redis key and the bus channel: one per cluster sharing a Redis server. */
  redisPrefix: string
  /** Send one turn's bus events as one envelope; only once every node reads such envelopes. */
  busBatch: boolean
}

/**
 * The cluster named by `--redis-url` / REDIS_URL, PARLEY_NODE_ID (default: host-pid-random) and
 * `--redis-prefix` / PARLEY_REDIS_PREFIX (default `parley:`), and PARLEY_BUS_BATCH (`1` or `true`; default off).
 */
export function readClusterSettings(flags: Record<string, unknown>, env: NodeJS.ProcessEnv, defaultNodeId: () => string): ClusterSettings {
  const redisUrl = text(flags['redis-url']) ?? text(env.REDIS_URL) ?? null
  if (redisUrl !== null && !/^rediss?:\/\//.test(redisUrl)) throw new Error('REDIS_URL (--redis-url) must be a redis:// or rediss:// URL')
  const nodeId = text(flags['node-id']) ?? text(env.PARLEY_NODE_ID) ?? defaultNodeId()
  if (!/^[A-Za-z0-9._:-]{1,128}$/.test(nodeId)) throw new Error('PARLEY_NODE_ID must be 1-128 letters, digits, dots, dashes, colons or underscores')
  const redisPrefix = text(flags['redis-prefix']) ?? text(env.PARLEY_REDIS_PREFIX) ?? 'parley:'
  // No braces: a hash tag in the prefix would move keys the presence scripts expect in one slot.
  if (!/^[A-Za-z0-9._:-]{1,64}$/.test(redisPrefix)) throw new Error('PARLEY_REDIS_PREFIX must be 1-64 letters, digits, dots, dashes, colons or underscores')
  // Off by default: a node of the release before batching refuses a batch and misses its events.
  const busBatch = env.PARLEY_BUS_BATCH === '1' || env.PARLEY_BUS_BATCH === 'true'
  return { redisUrl, nodeId, redisPrefix, busBatch }
}

/** A flag's or variable's value, undefined when missing or empty. */
function text(raw: unknown): string | undefined {
  return typeof raw === 'string' && raw !== '' ? raw : undefined
}
