import type { IdentitySecretRecord, Store } from '../store.js'
import type { PgDb } from './db.js'

// The HS256 secrets a brand signs its customers' identity tokens with. Kept as given: the relay
// needs the secret itself to verify a signature. Several at once while the brand rotates.

type IdentitySecretMethods = Pick<Store, 'listIdentitySecrets' | 'addIdentitySecret' | 'deleteIdentitySecret'>

interface SecretRow { brand_id: string; secret_id: string; secret: string; created_at: number }

function toSecret(r: SecretRow): IdentitySecretRecord {
  return { brandId: r.brand_id, secretId: r.secret_id, secret: r.secret, createdAt: r.created_at }
}

/** The Store's identity secret methods over `db`. */
export function createIdentitySecrets(db: PgDb): IdentitySecretMethods {
  return {
    async listIdentitySecrets(brandId) {
      return db.tx(brandId, async (tx) => (await tx.rows<SecretRow>(`SELECT brand_id, secret_id, secret, created_at FROM identity_secrets
        WHERE brand_id = $1 ORDER BY created_at, secret_id COLLATE "C"`, [brandId])).map(toSecret))
    },
    async addIdentitySecret(s) {
      await db.tx(s.brandId, (tx) => tx.run('INSERT INTO identity_secrets (brand_id, secret_id, secret, created_at) VALUES ($1, $2, $3, $4)',
        [s.brandId, s.secretId, s.secret, s.createdAt]))
    },
    async deleteIdentitySecret(brandId, secretId) {
      return (await db.tx(brandId, (tx) => tx.run('DELETE FROM identity_secrets WHERE brand_id = $1 AND secret_id = $2', [brandId, secretId]))) > 0
    },
  }
}
