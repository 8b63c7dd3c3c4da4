import type Database from 'better-sqlite3'
import { Value } from '@sinclair/typebox/value'
import { AgentSettings } from '@parley/sdk/contract'
import type { Store } from '../store.js'

// Agents' notification settings in SQLite (agents.settings, migration 11): one JSON document per
// agent, NULL until they change it.

type SettingsMethods = Pick<Store, 'getAgentSettings' | 'setAgentSettings'>

/** The agent settings methods of the SQLite store. */
export function createAgentSettings(db: Database.Database): SettingsMethods {
  const read = db.prepare<[string, string], { settings: string | null }>('SELECT settings FROM agents WHERE brand_id = ? AND agent_id = ?')
  const write = db.prepare<[string, string, string]>('UPDATE agents SET settings = ? WHERE brand_id = ? AND agent_id = ?')
  return {
    async getAgentSettings(brandId, agentId) {
      const row = read.get(brandId, agentId)
      if (!row?.settings) return null
      const parsed = JSON.parse(row.settings) as unknown
      // A document an older relay wrote with other fields reads as never changed, not as a crash.
      return Value.Check(AgentSettings, parsed) ? parsed : null
    },
    async setAgentSettings(brandId, agentId, settings) {
      write.run(JSON.stringify({ sound: settings.sound, desktop: settings.desktop }), brandId, agentId)
    },
  }
}
