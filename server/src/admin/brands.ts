import type { Brand } from '../store/store.js'
import type { Deps } from '../deps.js'
import { createApiKey, hashApiKey } from '../auth/api-keys.js'

/** What creating a brand returns; `apiKey` is shown this once and stored only hashed. */
export interface CreatedBrand {
  brand: Brand
  apiKey: string
}

/**
 * The exact origin (`scheme://host[:port]`) of an allowed-origin setting, or an error message.
 * Origins are compared as whole strings, so `https://brand.com.evil.com` never matches `https://brand.com`.
 */
export function normalizeOrigin(input: string): { ok: true; origin: string } | { ok: false; reason: string } {
  let url: URL
  try {
    url = new URL(input)
  } catch {
    return { ok: false, reason: `${JSON.stringify(input)} is not a URL` }
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: `${input}: only http and https origins` }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username || url.password) {
    return { ok: false, reason: `${input}: an origin has no path, query, fragment or credentials` }
  }
  return { ok: true, origin: url.origin }
}

/**
 * Whether a request from `origin` may act for `brand`'s site: an exact match with one of its allowed
 * origins. A request without an Origin header is not a browser page, so no other site rides on it.
 */
export function originAllowed(brand: Brand, origin: string | undefined): boolean {
  return origin === undefined || brand.allowedOrigins.includes(origin)
}

/** Creates a brand with a fresh site key and API key. */
export async function createBrand(deps: Deps, input: { name: string; origins: readonly string[] }): Promise<CreatedBrand> {
  const name = input.name.trim()
  if (name.length === 0 || name.length > 128) throw new Error('brand name must be 1-128 characters')
  const allowedOrigins: string[] = []
  for (const o of input.origins) {
    const n = normalizeOrigin(o)
    if (!n.ok) throw new Error(n.reason)
    if (!allowedOrigins.includes(n.origin)) allowedOrigins.push(n.origin)
  }
  const apiKey = createApiKey()
  const brand = await deps.store.createBrand({
    brandId: deps.ids.next('b_'),
    name,
    siteKey: deps.ids.next('site_'),
    allowedOrigins,
    apiKeyHash: hashApiKey(apiKey),
    // Enough of the secret to tell keys apart in a list (`sk_` and four random characters).
    apiKeyPrefix: apiKey.slice(0, 7),
    createdAt: deps.clock.now(),
  })
  return { brand, apiKey }
}
