import { platform } from './platform.js'
import type { KeyValueStorage } from './types.js'

/**
 * KeyValueStorage in memory, for Node programs and tests. Values are copied in and out with
 * structuredClone, as IndexedDB would, so callers cannot share mutable state through it.
 */
export function createMemoryStorage(): KeyValueStorage {
  const map = new Map<string, unknown>()
  return {
    async get<T>(key: string) {
      return map.has(key) ? (platform.structuredClone(map.get(key)) as T) : undefined
    },
    async set(key, value) {
      map.set(key, platform.structuredClone(value))
    },
    async del(key) {
      map.delete(key)
    },
    async keys(prefix) {
      return [...map.keys()].filter((k) => k.startsWith(prefix))
    },
    async entries(prefix) {
      return [...map].filter(([k]) => k.startsWith(prefix)).map(([k, v]): [string, unknown] => [k, platform.structuredClone(v)])
    },
  }
}
