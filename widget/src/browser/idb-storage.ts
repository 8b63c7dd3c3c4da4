import { createStore, del, get, promisifyRequest, set } from 'idb-keyval'
import type { KeyValueStorage } from '@parley/sdk/connection'

// The one IndexedDB adapter for the widget and the console. Prefix reads use a key range, so
// listing one client's outbox reads only those entries, however much else the database holds.

/** The keys from `prefix` up to every string that starts with it (all our keys are strings). */
function prefixRange(prefix: string): IDBKeyRange {
  return IDBKeyRange.bound(prefix, `${prefix}\uffff`)
}

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
    keys: (prefix) => store('readonly', async (s) => (await promisifyRequest(s.getAllKeys(prefixRange(prefix)))).map(String)),
    entries: (prefix) => store('readonly', async (s) => {
      const range = prefixRange(prefix)
      // Both requests run in one transaction, so keys and values describe the same moment.
      const [keys, values] = await Promise.all([promisifyRequest(s.getAllKeys(range)), promisifyRequest(s.getAll(range))])
      return keys.map((k, i): [string, unknown] => [String(k), values[i]])
    }),
  }
}
