// Where a postgres:// URL points, for messages and logs: the relay's start-up line names it before
// any PostgreSQL module loads (open-store.ts loads the driver only when the store is PostgreSQL), so
// this file imports nothing of the driver.

/** host:port/database of a postgres:// URL, with no user or password. */
export function postgresAddress(url: string): string {
  const u = URL.canParse(url) ? new URL(url) : null
  if (!u) return '?'
  const host = u.searchParams.get('host') ?? (u.hostname || 'localhost')
  const db = decodeURIComponent(u.pathname.slice(1)) || decodeURIComponent(u.username) || '(default)'
  return `${host}:${u.port || '5432'}/${db}`
}
