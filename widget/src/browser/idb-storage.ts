import { createStore, del, get, keys, set } from 'idb-keyval'
import type { KeyValueStorage } from '@parley/sdk/connection'

/**
 * The connection client's storage in IndexedDB on the page's own origin (first-party), one database
 * per name: the widget uses one per site key, the console one for all its agents.
 */
export function createIdbStorage(dbName: string): KeyValueStorage {
  const store = createStore(dbName, 'kv')
  return {
    get: (key) => get(key, store),
    set: (key, value) => set(key, value, store),
    del: (key) => del(key, store),
    keys: async (prefix) => (await keys(store)).map(String).filter((k) => k.startsWith(prefix)),
  }
}
