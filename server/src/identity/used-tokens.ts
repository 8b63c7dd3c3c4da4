// The identity tokens one visit has used, carried in its visitor token's `idt` claim as their
// digests separated by spaces, newest first. A page may identify again on every load with a fresh
// token; a logout must refuse all of them, not only the last, or an older one still in its
// lifetime could log the customer back in. Past MAX_USED the oldest drop off: a token lives at
// most maxAgeSeconds, so one that many identifies ago is in practice expired.

/** Digests kept per visit. */
export const MAX_USED = 4

/** The `idt` claim after a visit used the token with `digest`. */
export function withUsed(idt: string | null, digest: string): string {
  return [digest, ...usedDigests(idt).filter((d) => d !== digest)].slice(0, MAX_USED).join(' ')
}

/** The digests an `idt` claim lists. */
export function usedDigests(idt: string | null | undefined): string[] {
  return idt ? idt.split(' ').filter((d) => d.length > 0).slice(0, MAX_USED) : []
}
