// The `sub` claim of a JWT, read without verifying anything: the page's identity token is the
// brand's, and only the relay may trust it. The client reads `sub` for one thing only, to skip a
// round trip when the token names the customer the relay already verified this visitor as.

declare const atob: (data: string) => string

/** The token's unverified `sub`, or null when it is not a JWT with a string `sub`. */
export function unverifiedSubject(token: string): string | null {
  const part = token.split('.')[1]
  if (!part) return null
  try {
    const bytes = atob(part.replace(/-/g, '+').replace(/_/g, '/'))
    // Bytes to UTF-8 text without TextDecoder (not in the core's ES-only typings).
    const json = decodeURIComponent(bytes.replace(/[^]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`))
    const claims = JSON.parse(json) as { sub?: unknown }
    return typeof claims.sub === 'string' ? claims.sub : null
  } catch {
    return null
  }
}
