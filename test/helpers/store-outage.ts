import { StoreUnavailableError } from '../../server/src/store/store-errors.js'
import type { Store } from '../../server/src/store/store.js'

// A store outage inside one test process: every method of the relay's store rejects with
// StoreUnavailableError, as the PostgreSQL store does while its server restarts, until `restore()`.
// The real outage (a PostgreSQL server stopped and started) is in test/services/cluster/.

/** A cut store: its calls fail until restored. */
export interface StoreOutage {
  /** Calls refused so far. */
  refused(): number
  /** Puts every method back. */
  restore(): void
}

/** Makes every method of `store` (but close) reject with StoreUnavailableError until restored. */
export function cutStore(store: Store): StoreOutage {
  const methods = store as unknown as Record<string, unknown>
  const originals = new Map<string, unknown>()
  let refused = 0
  for (const name of Object.keys(methods)) {
    if (name === 'close' || typeof methods[name] !== 'function') continue
    originals.set(name, methods[name])
    methods[name] = async () => {
      refused++
      throw new StoreUnavailableError('test: the store is cut off')
    }
  }
  return {
    refused: () => refused,
    restore: () => { for (const [name, fn] of originals) methods[name] = fn },
  }
}
