import { createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from 'jose'
import { createKeySetFetch } from './key-set-fetch.js'

// Brands' JWKS URLs, fetched by jose and kept per URL: a key set is fetched once, again when a token
// names a kid it lacks (at most once per cooldown, so a flood of bad kids cannot make us hammer
// the brand), and never for longer than the timeout: a slow brand server costs one identify, not the relay.
// Only public https addresses are fetched unless the operator allows private ones (key-set-fetch.ts).

/** How long one JWKS fetch may take. */
const TIMEOUT_MS = 3_000
/** The least time between two fetches of one URL. */
const COOLDOWN_MS = 30_000
/** How long a fetched key set is trusted. */
const MAX_AGE_MS = 10 * 60_000
/** Key sets kept; the oldest is dropped past this. */
const MAX_URLS = 1_000

/** Remote key getters by URL. */
export interface JwksCache {
  get(url: string): JWTVerifyGetKey
}

/** A cache of remote key sets; `allowPrivate` lets a URL reach http and private addresses (development, tests). */
export function createJwksCache(opts: { allowPrivate?: boolean } = {}): JwksCache {
  const sets = new Map<string, JWTVerifyGetKey>()
  const fetchKeySet = createKeySetFetch(opts.allowPrivate ?? false)
  return {
    get(url) {
      let set = sets.get(url)
      if (!set) {
        if (sets.size >= MAX_URLS) sets.delete(sets.keys().next().value!)
        set = createRemoteJWKSet(new URL(url), { timeoutDuration: TIMEOUT_MS, cooldownDuration: COOLDOWN_MS, cacheMaxAge: MAX_AGE_MS, [customFetch]: fetchKeySet })
        sets.set(url, set)
      }
      return set
    },
  }
}
