import type Database from 'better-sqlite3'
import type { Scope } from '@parley/sdk/contract'
import type { ApiKeyRecord, Store } from '../store.js'

// Brands' API keys in SQLite (migration 14): looked up by the secret's hash across brands (a request
// names no brand until its key does), listed and changed within one brand only.

interface ApiKeyRow {
  key_hash: string; brand_id: string; key_id: string; name: string; scopes: string; prefix: string
  created_at: number; last_used_at: number | null; expires_at: number | null; revoked_at: number | null; created_by: string; replaced_by: string | null
}

type ApiKeyMethods = Pick<Store, 'createApiKey' | 'findApiKey' | 'getApiKey' | 'listApiKeys' | 'updateApiKey'>

function toApiKey(r: ApiKeyRow): ApiKeyRecord {
  return {
    brandId: r.brand_id, keyId: r.key_id, name: r.name, scopes: JSON.parse(r.scopes) as Scope[], keyHash: r.key_hash,
    prefix: r.prefix, createdAt: r.created_at, lastUsedAt: r.last_used_at, expiresAt: r.expires_at, revokedAt: r.revoked_at,
    createdBy: r.created_by, replacedBy: r.replaced_by,
  }
}

/** The API key methods, and `insert` for callers that add a key inside their own transaction. */
export function createApiKeys(db: Database.Database): ApiKeyMethods & { insert(key: ApiKeyRecord): void } {
  const q = {
    insert: db.prepare(`INSERT INTO api_keys (key_hash, brand_id, key_id, name, scopes, prefix, created_at, last_used_at, expires_at, revoked_at, created_by, replaced_by)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    byHash: db.prepare<[string], ApiKeyRow>('SELECT * FROM api_keys WHERE key_hash = ?'),
    byId: db.prepare<[string, string], ApiKeyRow>('SELECT * FROM api_keys WHERE brand_id = ? AND key_id = ?'),
    list: db.prepare<[string], ApiKeyRow>('SELECT * FROM api_keys WHERE brand_id = ? ORDER BY created_at DESC, key_id DESC'),
    update: db.prepare<[{ setExpiry: number; expiresAt: number | null; revokedAt: number | null; lastUsedAt: number | null; replacedBy: string | null; brand: string; key: string }], ApiKeyRow>(`
      UPDATE api_keys SET
        expires_at = CASE WHEN @setExpiry = 1 THEN @expiresAt ELSE expires_at END,
        revoked_at = coalesce(revoked_at, @revokedAt),
        replaced_by = coalesce(replaced_by, @replacedBy),
        last_used_at = CASE WHEN @lastUsedAt IS NOT NULL AND (last_used_at IS NULL OR @lastUsedAt > last_used_at) THEN @lastUsedAt ELSE last_used_at END
      WHERE brand_id = @brand AND key_id = @key RETURNING *`),
  }
  const insert = (k: ApiKeyRecord): void => {
    q.insert.run(k.keyHash, k.brandId, k.keyId, k.name, JSON.stringify(k.scopes), k.prefix, k.createdAt, k.lastUsedAt, k.expiresAt, k.revokedAt, k.createdBy, k.replacedBy)
  }
  return {
    insert,
    async createApiKey(key) { insert(key) },
    async findApiKey(keyHash) { const r = q.byHash.get(keyHash); return r ? toApiKey(r) : null },
    async getApiKey(brandId, keyId) { const r = q.byId.get(brandId, keyId); return r ? toApiKey(r) : null },
    async listApiKeys(brandId) { return q.list.all(brandId).map(toApiKey) },
    async updateApiKey(brandId, keyId, change) {
      // Each field changes only when given (expiresAt may be given as null: no expiry); a revocation
      // keeps its first time, as a rotation its first successor, and the last use only moves forward.
      const r = q.update.get({
        setExpiry: change.expiresAt !== undefined ? 1 : 0, expiresAt: change.expiresAt ?? null, revokedAt: change.revokedAt ?? null,
        lastUsedAt: change.lastUsedAt ?? null, replacedBy: change.replacedBy ?? null, brand: brandId, key: keyId,
      })
      return r ? toApiKey(r) : null
    },
  }
}
