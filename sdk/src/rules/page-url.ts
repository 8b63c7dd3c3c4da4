// The parts of a page URL and a referrer that rules test, read by hand: the pure core has no URL
// class (no DOM, no Node), and junk must give a missing fact rather than throw.

const ABSOLUTE = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i

/** The path (as written, percent-escapes kept; `/` when empty) and the query of an absolute or root-relative URL; null for junk. */
export function splitPageUrl(url: string): { path: string; query: Record<string, string> } | null {
  const abs = ABSOLUTE.exec(url)
  if (!abs && url[0] !== '/') return null
  const rest = abs ? url.slice(abs[0].length) : url
  const hash = rest.indexOf('#')
  const beforeHash = hash < 0 ? rest : rest.slice(0, hash)
  const q = beforeHash.indexOf('?')
  const path = (q < 0 ? beforeHash : beforeHash.slice(0, q)) || '/'
  return { path, query: q < 0 ? {} : parseQuery(beforeHash.slice(q + 1)) }
}

/** The first value of each query parameter, `+` and percent-escapes decoded (a bad escape: kept as written). */
function parseQuery(search: string): Record<string, string> {
  const query: Record<string, string> = Object.create(null)
  for (const pair of search.split('&')) {
    if (!pair) continue
    const eq = pair.indexOf('=')
    const name = decode(eq < 0 ? pair : pair.slice(0, eq))
    if (!(name in query)) query[name] = decode(eq < 0 ? '' : pair.slice(eq + 1))
  }
  return query
}

function decode(s: string): string {
  s = s.replaceAll('+', ' ')
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

/**
 * The referrer's host, lowercased, without user info, port or a leading `www.` (so
 * `referrerHost is "google.com"` holds for `https://www.google.com/`); undefined for junk or none.
 */
export function referrerHostOf(referrer: string): string | undefined {
  const authority = ABSOLUTE.exec(referrer)?.[1]
  if (!authority) return undefined
  let host = authority.slice(authority.lastIndexOf('@') + 1).toLowerCase()
  const port = host.lastIndexOf(':')
  if (port >= 0 && port > host.lastIndexOf(']')) host = host.slice(0, port)
  if (host.startsWith('www.')) host = host.slice(4)
  return host || undefined
}
