// Errors a Store throws that the relay answers in a typed way. Anything else a store throws is a bug
// or a broken invariant and answers PARLEY_ERR_SERVER_INTERNAL.

/**
 * The store cannot be reached or refused the work for a passing reason (PostgreSQL restarting, a
 * connection cut, the pool exhausted past its wait, a dead store thread): nothing was written, and
 * the same call later may succeed. The relay answers PARLEY_ERR_SERVER_STORE (503, retryable).
 */
export class StoreUnavailableError extends Error {
  readonly code = 'PARLEY_ERR_SERVER_STORE'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'StoreUnavailableError'
  }
}

/**
 * Whether `err` says the store is unavailable: a StoreUnavailableError, or its copy carried across
 * a thread (the SQLite worker store passes errors as name, message and code).
 */
export function isStoreUnavailable(err: unknown): boolean {
  return err instanceof StoreUnavailableError || (err instanceof Error && (err as { code?: unknown }).code === 'PARLEY_ERR_SERVER_STORE')
}
