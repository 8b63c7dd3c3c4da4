import type Database from 'better-sqlite3'
import type { Store } from '../store.js'

// Agents' notification settings in SQLite (agents.settings, migration 11).

type SettingsMethods = Pick<Store, 'getAgentSettings' | 'setAgentSettings'>

/** The agent settings methods of the SQLite store. */
export function createAgentSettings(_db: Database.Database): SettingsMethods {
  const todo = (): never => { throw new Error('not implemented yet') }
  return { getAgentSettings: todo, setAgentSettings: todo }
}
