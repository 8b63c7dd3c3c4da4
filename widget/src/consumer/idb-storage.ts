import { createStore, del, get, keys, set } from 'idb-keyval'
import type { KeyValueStorage } from '@parley/sdk/connection'

/** The connection client's storage in the brand's own IndexedDB (first-party), one database per site key. */
export function createIdbStorage(siteKey: string): KeyValueStorage {
  const store = createStore(`parley-${siteKey}`, 'kv')
  return {
    get: (key) => get(key, store),
    set: (key, value) => set(key, value, store),
    del: (key) => del(key, store),
    keys: async (prefix) => (await keys(store)).map(String).filter((k) => k.startsWith(prefix)),
  }
}
