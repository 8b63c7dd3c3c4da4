import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { ALL_SCOPES } from '@parley/sdk/contract'
import { MIGRATIONS, migrate } from '../../../../../server/src/store/sqlite/migrations.js'

// Migrations 14 and 15 (issue 18): on a database written before them, the accounts that existed
// become supervisors (admins are named afterwards), the brand's one key becomes its bootstrap key with every scope, and new accounts
// default to agent; the audit log refuses every UPDATE, whoever sends it.

const ACCESS = 14

describe('the access migration', () => {
  let db: Database.Database
  afterEach(() => { db.close() })

  function before(): Database.Database {
    const d = new Database(':memory:')
    for (let v = 0; v < ACCESS - 1; v++) d.exec(MIGRATIONS[v]!)
    d.pragma(`user_version = ${ACCESS - 1}`)
    d.exec(`INSERT INTO brands (brand_id, name, site_key, created_at) VALUES ('b1', 'B', 'site1', 0), ('b2', 'C', 'site2', 0);
      INSERT INTO api_keys (key_hash, brand_id, created_at) VALUES ('abcdefghijklmnopqrstuvwxyz0123', 'b1', 7), ('zz', 'b2', 8);
      INSERT INTO agents (brand_id, agent_id, email, name, password_hash, created_at) VALUES ('b1', 'a1', 'a@x', 'A', 'h', 1);`)
    return d
  }

  it('makes existing accounts active supervisors and new ones agents by default', () => {
    db = before()
    expect(migrate(db)[0]).toBe(ACCESS)
    db.exec("INSERT INTO agents (brand_id, agent_id, email, name, password_hash, created_at) VALUES ('b1', 'a2', 'b@x', 'B', 'h', 2)")
    expect(db.prepare('SELECT agent_id, role, active FROM agents ORDER BY agent_id').all()).toEqual([
      { agent_id: 'a1', role: 'supervisor', active: 1 }, { agent_id: 'a2', role: 'agent', active: 1 },
    ])
    expect(() => db.exec("UPDATE agents SET role = 'owner' WHERE agent_id = 'a1'")).toThrow(/CHECK constraint failed/)
  })

  it("turns each brand's key into its bootstrap key with every scope", () => {
    db = before()
    migrate(db)
    const rows = db.prepare('SELECT * FROM api_keys ORDER BY brand_id').all() as Record<string, unknown>[]
    expect(rows).toEqual([
      expect.objectContaining({ key_hash: 'abcdefghijklmnopqrstuvwxyz0123', brand_id: 'b1', key_id: 'k_abcdefghijklmnopqrstuv', name: 'bootstrap',
        prefix: 'sk_', created_at: 7, last_used_at: null, expires_at: null, revoked_at: null, created_by: 'cli' }),
      expect.objectContaining({ key_hash: 'zz', brand_id: 'b2', key_id: 'k_zz' }),
    ])
    // Every scope there was when the migration shipped (written out there: a shipped migration never changes).
    expect(JSON.parse(rows[0]!.scopes as string)).toEqual([...ALL_SCOPES].slice(0, 10))
  })

  it('refuses to update an audit entry, in any column, and leaves it as it was', () => {
    db = new Database(':memory:')
    migrate(db)
    db.exec(`INSERT INTO brands (brand_id, name, site_key, created_at) VALUES ('b1', 'B', 'site1', 0);
      INSERT INTO audit_log (brand_id, entry_no, at, actor_kind, actor_id, action, outcome, detail)
        VALUES ('b1', 1, 5, 'agent', 'a1', 'conversation.read', 'ok', '{}');`)
    expect(() => db.exec("UPDATE audit_log SET actor_id = 'a2'")).toThrow(/append-only/)
    expect(() => db.exec('UPDATE audit_log SET at = at')).toThrow(/append-only/)
    expect(db.prepare('SELECT actor_id, at FROM audit_log').all()).toEqual([{ actor_id: 'a1', at: 5 }])
    // The retention purge deletes.
    expect(db.prepare('DELETE FROM audit_log').run().changes).toBe(1)
  })
})
