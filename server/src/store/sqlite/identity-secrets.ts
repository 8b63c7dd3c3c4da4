import type Database from 'better-sqlite3'
import type { IdentitySecretRecord, Store } from '../store.js'

// Brands' HS256 identity secrets (migration 15), kept as given: the relay needs each to verify.

interface SecretRow { brand_id: string; secret_id: string; secret: string; created_at: number }

type SecretMethods = Pick<Store, 'listIdentitySecrets' | 'addIdentitySecret' | 'deleteIdentitySecret'>

/** The identity secret methods of the SQLite store. */
export function createIdentitySecrets(db: Database.Database): SecretMethods {
  const q = {
    list: db.prepare<[string], SecretRow>('SELECT * FROM identity_secrets WHERE brand_id = ? ORDER BY created_at, secret_id'),
    insert: db.prepare('INSERT INTO identity_secrets (brand_id, secret_id, secret, created_at) VALUES (?, ?, ?, ?)'),
    delete: db.prepare('DELETE FROM identity_secrets WHERE brand_id = ? AND secret_id = ?'),
  }
  return {
    async listIdentitySecrets(brandId) {
      return q.list.all(brandId).map((r) => ({ brandId: r.brand_id, secretId: r.secret_id, secret: r.secret, createdAt: r.created_at }))
    },
    async addIdentitySecret(s: IdentitySecretRecord) { q.insert.run(s.brandId, s.secretId, s.secret, s.createdAt) },
    async deleteIdentitySecret(brandId, secretId) { return q.delete.run(brandId, secretId).changes > 0 },
  }
}
