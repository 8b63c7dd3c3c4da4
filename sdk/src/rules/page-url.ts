// The parts of a page URL and a referrer that rules test, read by hand: the pure core has no URL
// class (no DOM, no Node), and junk must give a missing fact rather than throw. The patterns below
// are ours, anchored, with no repeat inside a repeat: linear on any input.

// An absolute URL's scheme and authority, or nothing before a root-relative path; then the path, then the query.
const PAGE = /^(?:[a-z][a-z0-9+.-]*:\/\/[^/?#]*|(?=\/))([^?#]*)(?:\?([^#]*))?/i
// Scheme, optional user info, optional `www.`, then the host up to a port, path, query or fragment (IPv6 whole, in brackets).
const HOST = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(?:www\.)?(\[[^\]/?#]*\]|[^:/?#]+)/i

/** The path (as written, percent-escapes kept; `/` when empty) and the query of an absolute or root-relative URL; null for junk. */
export function splitPageUrl(url: string): { path: string; query: Record<string, string> } | null {
  const m = PAGE.exec(url)
  if (!m) return null
  // The first value of each parameter, `+` and percent-escapes decoded; null prototype, so any name is just a name.
  const query: Record<string, string> = Object.create(null)
  for (const [, name, value] of (m[2] ?? '').matchAll(/(?:^|&)([^&=]*)=?([^&]*)/g)) {
    const key = decode(name!)
    if (key) query[key] ??= decode(value!)
  }
  return { path: m[1] || '/', query }
}

/** `+` as a space and percent-escapes decoded; a bad escape is kept as written. */
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
export function referrerHostOf(referrer: string | undefined): string | undefined {
  return HOST.exec(referrer ?? '')?.[1]!.toLowerCase()
}
