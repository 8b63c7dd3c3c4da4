import type Database from 'better-sqlite3'
import type { Store } from '../store.js'

// An account's password hash, replaced when a sign-in finds it made with cheaper parameters
// (auth/passwords.ts). A compare-and-set on the hash the sign-in checked: two sign-ins at once, or an
// admin's change meanwhile, are never overwritten by a hash of an older password.

/** replacePasswordHash over `db`. */
export function createAgentPasswords(db: Database.Database): Pick<Store, 'replacePasswordHash'> {
  const replace = db.prepare<[string, string, string, string]>('UPDATE agents SET password_hash = ? WHERE brand_id = ? AND agent_id = ? AND password_hash = ?')
  return {
    async replacePasswordHash(brandId, agentId, from, to) { return replace.run(to, brandId, agentId, from).changes === 1 },
  }
}
