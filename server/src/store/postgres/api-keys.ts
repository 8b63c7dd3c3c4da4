import type { Scope } from '@parley/sdk/contract'
import type { ApiKeyRecord, Store } from '../store.js'
import type { PgDb, PgTx } from './db.js'
import { jsonb } from './rows.js'

// A brand's API keys: several, each with scopes, a name, an expiry and a revocation. The secret is
// never stored, only its hash; a key presented on a request is found by that hash across brands
// through parley_api_key_by_hash (schema/005-access.ts), which answers only the brand and key id,
// whose row is then read in a transaction naming that brand.

type ApiKeyMethods = Pick<Store, 'createApiKey' | 'findApiKey' | 'getApiKey' | 'listApiKeys' | 'updateApiKey'>

interface ApiKeyRow {
  brand_id: string; key_id: string; name: string; scopes: Scope[]; key_hash: string; prefix: string; created_at: number
  last_used_at: number | null; expires_at: number | null; revoked_at: number | null; created_by: string; replaced_by: string | null
}

const KEY_COLUMNS = 'brand_id, key_id, name, scopes, key_hash, prefix, created_at, last_used_at, expires_at, revoked_at, created_by, replaced_by'

function toApiKey(r: ApiKeyRow): ApiKeyRecord {
  return {
    brandId: r.brand_id, keyId: r.key_id, name: r.name, scopes: r.scopes, keyHash: r.key_hash, prefix: r.prefix,
    createdAt: r.created_at, lastUsedAt: r.last_used_at, expiresAt: r.expires_at, revokedAt: r.revoked_at, createdBy: r.created_by,
    replacedBy: r.replaced_by,
  }
}

/** Inserts a key; a taken hash or key id fails (23505), as a plain insert does. */
export async function insertApiKey(tx: PgTx, k: ApiKeyRecord): Promise<void> {
  await tx.run(`INSERT INTO api_keys (${KEY_COLUMNS}) VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $10, $11, $12)`, [
    k.brandId, k.keyId, k.name, jsonb(k.scopes), k.keyHash, k.prefix, k.createdAt, k.lastUsedAt, k.expiresAt, k.revokedAt, k.createdBy, k.replacedBy,
  ])
}

/** The key `keyId` of the brand the transaction names; null when none. */
async function readApiKey(tx: PgTx, brandId: string, keyId: string): Promise<ApiKeyRecord | null> {
  const r = await tx.one<ApiKeyRow>(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE brand_id = $1 AND key_id = $2`, [brandId, keyId])
  return r ? toApiKey(r) : null
}

/** The Store's API key methods over `db`. */
export function createApiKeys(db: PgDb): ApiKeyMethods {
  return {
    async createApiKey(k) {
      await db.tx(k.brandId, (tx) => insertApiKey(tx, k))
    },
    async findApiKey(keyHash) {
      return db.tx(null, async (tx) => {
        const found = await tx.one<{ brand_id: string; key_id: string }>('SELECT brand_id, key_id FROM parley_api_key_by_hash($1)', [keyHash])
        if (!found) return null
        await tx.setBrand(found.brand_id)
        return readApiKey(tx, found.brand_id, found.key_id)
      })
    },
    async getApiKey(brandId, keyId) { return db.tx(brandId, (tx) => readApiKey(tx, brandId, keyId)) },
    async listApiKeys(brandId) {
      return db.tx(brandId, async (tx) => (await tx.rows<ApiKeyRow>(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE brand_id = $1
        ORDER BY created_at DESC, key_id COLLATE "C" DESC`, [brandId])).map(toApiKey))
    },
    async updateApiKey(brandId, keyId, change) {
      // A field left out keeps its value (expiresAt: null clears it, so it is told apart from
      // undefined); revokedAt and replacedBy keep their first values; lastUsedAt never moves back.
      const setsExpiry = change.expiresAt !== undefined
      return db.tx(brandId, async (tx) => {
        const r = await tx.one<ApiKeyRow>(`UPDATE api_keys SET
            expires_at = CASE WHEN $3 THEN $4::bigint ELSE expires_at END,
            revoked_at = coalesce(revoked_at, $5::bigint),
            last_used_at = greatest(last_used_at, $6::bigint),
            replaced_by = coalesce(replaced_by, $7::text)
          WHERE brand_id = $1 AND key_id = $2 RETURNING ${KEY_COLUMNS}`,
        [brandId, keyId, setsExpiry, change.expiresAt ?? null, change.revokedAt ?? null, change.lastUsedAt ?? null, change.replacedBy ?? null])
        return r ? toApiKey(r) : null
      })
    },
  }
}
