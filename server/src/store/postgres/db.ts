import pg from 'pg'
import { StoreUnavailableError } from '../store-errors.js'
import { BRAND_SETTING } from './schema/sql.js'
import { isUnstorable, storableText } from './rows.js'

// The PostgreSQL store's one way to the database: a pool of connections as the serving role, and
// transactions that name the brand they act for. Row-level security (schema/sql.ts) shows a
// transaction only the rows of that brand; a transaction that names none sees no brand-owned row
// (only the SECURITY DEFINER functions the schema defines look across brands). The brand is set
// with set_config(..., true), so it ends with the transaction and a pooled connection never carries
// it over; within one transaction it may change (a group commit spans brands: setBrand per request).

/** A connection inside a transaction. */
export interface PgTx {
  /** Rows of one statement. */
  rows<R>(sql: string, params?: readonly unknown[]): Promise<R[]>
  /** The first row of one statement, or null. */
  one<R>(sql: string, params?: readonly unknown[]): Promise<R | null>
  /** Rows the statement changed (INSERT/UPDATE/DELETE). */
  run(sql: string, params?: readonly unknown[]): Promise<number>
  /** Names the brand the next statements act for (the transaction's until set again). */
  setBrand(brandId: string | null): Promise<void>
}

/** How the store reaches PostgreSQL. */
export interface PgDbOptions {
  /** postgres://… of the serving role (DATABASE_URL). */
  url: string
  /** Connections in the pool (default 10). */
  poolSize?: number
  /** How long a call waits for a free connection before it fails as unavailable (default 5000 ms). */
  connectTimeoutMs?: number
  /** Per-statement limit, as PostgreSQL's statement_timeout (default 30000 ms). */
  statementTimeoutMs?: number
  /**
   * How long a statement waits for a lock (a row's FOR UPDATE, an advisory lock), as PostgreSQL's
   * lock_timeout (default 10000 ms, below statementTimeoutMs, so a lock wait ends as a lock wait).
   */
  lockTimeoutMs?: number
  /** Told of each error of an idle pooled connection (the server closed it: a restart, a failover). */
  onError?: (err: Error) => void
}

/** How many times a transaction runs again after a serialization failure or a deadlock. */
const RETRIES = 5

/** SQLSTATEs that mean "run the transaction again": serialization_failure, deadlock_detected. */
const RETRY_STATES = new Set(['40001', '40P01'])

/**
 * SQLSTATE classes and codes that mean the database is not there for now: connection exceptions
 * (08), operator intervention (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect
 * now), insufficient resources (53), and the pool's own failures (no code: connection refused,
 * reset, terminated, timeout).
 */
function isUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false
  const code = (err as { code?: unknown }).code
  if (typeof code === 'string') {
    if (code.startsWith('08') || code.startsWith('53') || code === '57P01' || code === '57P02' || code === '57P03') return true
    if (/^E[A-Z]+$/.test(code)) return true // ECONNREFUSED, ECONNRESET, ETIMEDOUT, EPIPE, ENOTFOUND …
    return false
  }
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i.test(err.message)
}

/**
 * SQLSTATEs of a statement that waited too long, on a busy database or behind another transaction's
 * lock: lock_not_available (55P03, lock_timeout) and query_canceled (57014, statement_timeout). The
 * connection is fine; the same call later may succeed.
 */
const BUSY_STATES = new Set(['55P03', '57014'])

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' && BUSY_STATES.has(code)
}

/** Maps a driver error to StoreUnavailableError when it is one (unreachable, or busy); otherwise returns it unchanged. */
export function storeError(err: unknown): unknown {
  if (err instanceof StoreUnavailableError) return err
  if (isUnavailable(err)) return new StoreUnavailableError('PostgreSQL is unavailable', { cause: err })
  if (isBusy(err)) return new StoreUnavailableError('PostgreSQL is busy: a statement or a lock wait timed out', { cause: err })
  return err
}

/**
 * PostgreSQL's text cannot hold U+0000, which SQLite stores; a statement given one fails, and with
 * it every request of a group commit. Text that reaches the store with one (a visitor's context, a
 * name: message text has its control characters stripped before) stores U+FFFD in its place, as does
 * a lone UTF-16 surrogate (UTF-8 has no encoding for one; SQLite stores U+FFFD for it too).
 */
function textSafe(params: readonly unknown[] | undefined): unknown[] | undefined {
  if (!params?.some(needsCleaning)) return params as unknown[] | undefined
  return params.map((p) => typeof p === 'string' ? storableText(p)
    : Array.isArray(p) ? p.map((e: unknown) => typeof e === 'string' ? storableText(e) : e) : p)
}

function needsCleaning(p: unknown): boolean {
  return typeof p === 'string' ? isUnstorable(p) : Array.isArray(p) && p.some((e) => typeof e === 'string' && isUnstorable(e))
}

function txOn(client: pg.PoolClient): PgTx {
  return {
    async rows<R>(sql: string, params?: readonly unknown[]) {
      return (await client.query(sql, textSafe(params))).rows as R[]
    },
    async one<R>(sql: string, params?: readonly unknown[]) {
      return ((await client.query(sql, textSafe(params))).rows[0] as R | undefined) ?? null
    },
    async run(sql: string, params?: readonly unknown[]) {
      return (await client.query(sql, textSafe(params))).rowCount ?? 0
    },
    async setBrand(brandId) {
      await client.query(`SELECT set_config('${BRAND_SETTING}', $1, true)`, [brandId ?? ''])
    },
  }
}

/** The pool and its transactions. */
export class PgDb {
  readonly pool: pg.Pool
  #poolErrors = 0

  constructor(opts: PgDbOptions) {
    this.pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolSize ?? 10,
      connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
      statement_timeout: opts.statementTimeoutMs ?? 30_000,
      lock_timeout: opts.lockTimeoutMs ?? 10_000,
      // Bigints (epoch ms, identity keys) come back as numbers: they stay below 2^53.
      types: { getTypeParser: (oid: number, format?: string) => oid === 20 ? Number : pg.types.getTypeParser(oid, format as 'text') },
    })
    // An idle pooled connection the server closed (a restart) emits here; without a listener the
    // process would crash. The next call opens a new connection.
    this.pool.on('error', (err) => {
      this.#poolErrors++
      opts.onError?.(err)
    })
  }

  /** Errors of idle pooled connections so far (each also told to onError). */
  get poolErrors(): number {
    return this.#poolErrors
  }

  /**
   * Runs `fn` in one transaction acting for `brandId` (null: for no brand), READ COMMITTED. A
   * serialization failure or deadlock runs the whole of `fn` again (up to RETRIES times), so `fn` must
   * do nothing outside the transaction it could not do twice. Rejects with StoreUnavailableError when
   * the database cannot be reached, or a statement or lock wait timed out. Nothing was committed
   * then, except when the connection was lost during COMMIT: that outcome is unknown (the commit may
   * have landed), so a caller's retry may find its own write, and every write must answer a repeat of
   * itself as the first time (idempotent keys, or an insert that compares what it finds).
   */
  async tx<T>(brandId: string | null, fn: (tx: PgTx) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let client: pg.PoolClient
      try {
        client = await this.pool.connect()
      } catch (err) {
        throw storeError(err)
      }
      let broken = false
      try {
        // One round trip opens the transaction and names its brand.
        await client.query(`BEGIN; SELECT set_config('${BRAND_SETTING}', ${client.escapeLiteral(brandId ?? '')}, true)`)
        const out = await fn(txOn(client))
        await client.query('COMMIT')
        return out
      } catch (err) {
        broken = isUnavailable(err)
        if (!broken) await client.query('ROLLBACK').catch(() => { broken = true })
        const state = (err as { code?: unknown }).code
        if (!broken && typeof state === 'string' && RETRY_STATES.has(state) && attempt < RETRIES) {
          await new Promise((r) => setTimeout(r, Math.random() * 10 * (attempt + 1)))
          continue
        }
        throw storeError(err)
      } finally {
        client.release(broken)
      }
    }
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    await this.pool.end()
  }
}
