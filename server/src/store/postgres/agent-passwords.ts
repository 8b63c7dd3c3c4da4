import type { Store } from '../store.js'
import type { PgDb } from './db.js'

// An account's password hash, replaced when a sign-in finds it made with cheaper parameters
// (auth/passwords.ts). A compare-and-set on the hash the sign-in checked: two sign-ins at once, or an
// admin's change meanwhile, are never overwritten by a hash of an older password.

/** replacePasswordHash over `db`. */
export function createAgentPasswords(db: PgDb): Pick<Store, 'replacePasswordHash'> {
  return {
    async replacePasswordHash(brandId, agentId, from, to) {
      return db.tx(brandId, async (tx) => (await tx.run(`UPDATE agents SET password_hash = $4
        WHERE brand_id = $1 AND agent_id = $2 AND password_hash = $3`, [brandId, agentId, from, to])) === 1)
    },
  }
}
