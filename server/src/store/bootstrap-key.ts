import { ALL_SCOPES } from '@parley/sdk/contract'
import type { ApiKeyRecord, NewBrand } from './store.js'

// The one definition of a new brand's first key, which both stores insert with the brand.

/**
 * The key `parley brand create` prints: every scope, made by the CLI. Its id is derived from its
 * hash (as the access migrations derive the id of a key stored before keys had ids), so a repeat of
 * the same create names the same key.
 */
export function bootstrapKey(b: NewBrand): ApiKeyRecord {
  return {
    brandId: b.brandId, keyId: `k_${b.apiKeyHash.slice(0, 22)}`, name: 'bootstrap', scopes: [...ALL_SCOPES], keyHash: b.apiKeyHash,
    prefix: b.apiKeyPrefix ?? 'sk_', createdAt: b.createdAt, lastUsedAt: null, expiresAt: null, revokedAt: null, createdBy: 'cli', replacedBy: null,
  }
}
