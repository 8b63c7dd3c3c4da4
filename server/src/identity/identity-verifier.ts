import type { Store } from '../store/store.js'
import type { SecuritySettings } from '../auth/security-settings.js'
import type { JwksCache } from './jwks-cache.js'
import { verifyIdentityToken, type IdentityResult } from './verify-identity.js'

// The relay's one question about an identity token: does this brand vouch for it, now? Reads the
// brand's secrets and settings, verifies (verify-identity.ts), then refuses a token that a visitor
// session which has since logged out already used: logout must not be undone by a replay.

/** Verifies identity tokens for any brand. */
export interface IdentityVerifier {
  verify(brandId: string, token: string): Promise<IdentityResult>
}

/** A verifier over the store's secrets, the brand's cached security settings and remote key sets. */
export function createIdentityVerifier(deps: { store: Store; security: SecuritySettings; jwks: JwksCache; now: () => number }): IdentityVerifier {
  return {
    async verify(brandId, token) {
      const [secrets, config] = await Promise.all([deps.store.listIdentitySecrets(brandId), deps.security.config(brandId)])
      const settings = config?.identity ?? {}
      const now = deps.now()
      const result = await verifyIdentityToken(token, {
        brandId, secrets, settings, ...(settings.jwksUrl ? { remote: deps.jwks.get(settings.jwksUrl) } : {}),
      }, now)
      if (result.ok && await deps.store.isTokenIdRevoked(brandId, result.claims.digest, now)) {
        return { ok: false, code: 'PARLEY_ERR_IDENTITY_REVOKED', args: [] }
      }
      return result
    },
  }
}
