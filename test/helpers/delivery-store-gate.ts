import type { Store } from '../../server/src/store/store.js'
import type { TestRelay } from './start-relay.js'

/** Control over a relay's held store calls. */
export interface StoreGate {
  /** Calls waiting at the gate so far. */
  held(): number
  /** Lets every held call (and every later one) through. */
  release(): void
  /** Puts the store's own method back. */
  restore(): void
}

type AsyncMethod = 'appendMessages' | 'joinConversation' | 'readMessages' | 'getConversation' | 'listParticipantConversations' | 'listNotes'

/**
 * Holds calls to one method of the relay's store at a gate until `release()`, as a slow disk or a
 * network store would. The real SQLite store still does the work: `before` delays the call itself
 * (nothing is written or read yet), `after` lets it run and delays only its answer (what it returned
 * may be stale by the time the relay sees it). Every method of the Store interface is async so that
 * such a store is allowed; these gates make the relay's handling of that visible to a test.
 */
export function holdStoreCall(relay: TestRelay, method: AsyncMethod, when: 'before' | 'after'): StoreGate {
  const store = relay.deps.store as unknown as Record<AsyncMethod, (...args: unknown[]) => Promise<unknown>>
  const original = store[method]
  let isOpen = false
  let open: () => void = () => {}
  const gate = new Promise<void>((resolve) => { open = resolve })
  let held = 0
  store[method] = async (...args: unknown[]) => {
    if (isOpen) return original.apply(store, args)
    held++
    if (when === 'before') {
      await gate
      return original.apply(store, args)
    }
    const result = await original.apply(store, args)
    await gate
    return result
  }
  return {
    held: () => held,
    release: () => { isOpen = true; open() },
    restore: () => { (store as unknown as Store)[method] = original as never },
  }
}

/** Holds the relay's message commits before they reach the database (see holdStoreCall). */
export function holdCommits(relay: TestRelay): StoreGate {
  return holdStoreCall(relay, 'appendMessages', 'before')
}
