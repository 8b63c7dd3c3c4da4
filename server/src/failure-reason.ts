// A start-up failure names what failed, which setting and where; this says why, in the words the
// operator can act on: the system's error code (ECONNREFUSED, ENOTFOUND) or the server's own message
// (role "x" does not exist), not the wrapper's ("Connection is closed.", "PostgreSQL is unavailable").

/** Why a connection attempt failed: a system error code, else the innermost message. */
export function failureReason(err: unknown): string {
  const inner = innermost(err)
  const code = (inner as { code?: unknown } | null)?.code
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code
  return inner instanceof Error ? inner.message : String(inner)
}

/** The error under wrappers: a cause, or the first of an AggregateError (one per address tried). */
function innermost(err: unknown): unknown {
  for (let e = err, depth = 0; depth < 5; depth++) {
    if (e instanceof AggregateError && e.errors.length > 0) e = e.errors[0]
    else if (e instanceof Error && e.cause !== undefined && !hasCode(e)) e = e.cause
    else return e
  }
  return err
}

/** Whether `err` carries a code of its own (a store's wrapper code does not count). */
function hasCode(err: Error): boolean {
  const code = (err as { code?: unknown }).code
  return typeof code === 'string' && code !== 'PARLEY_ERR_SERVER_STORE'
}
