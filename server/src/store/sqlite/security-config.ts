import type Database from 'better-sqlite3'
import type { SecurityConfig } from '@parley/sdk/contract'
import type { Store } from '../store.js'

// The brand's security settings (migration 15): a JSON document in brands.security_config, like the
// widget and masking documents; NULL: never saved (every field has its default).

type SecurityConfigMethods = Pick<Store, 'getSecurityConfig' | 'setSecurityConfig'>

/** The security settings methods of the SQLite store. */
export function createSecurityConfig(db: Database.Database): SecurityConfigMethods {
  const q = {
    get: db.prepare<[string], { security_config: string | null }>('SELECT security_config FROM brands WHERE brand_id = ?'),
    set: db.prepare('UPDATE brands SET security_config = ? WHERE brand_id = ?'),
  }
  return {
    async getSecurityConfig(brandId) {
      const raw = q.get.get(brandId)?.security_config
      return raw ? (JSON.parse(raw) as SecurityConfig) : null
    },
    async setSecurityConfig(brandId, config) { q.set.run(JSON.stringify(config), brandId) },
  }
}
