import type { ConnectionEvents } from './types.js'

// The connection's event handlers: registered with `on`, called synchronously in the order the
// client emits, each isolated from the others.

/** The handlers of one connection. */
export class Emitter {
  readonly #handlers = new Map<keyof ConnectionEvents, Set<(d: never) => void>>()

  /** Adds a handler; returns the function that removes it. */
  on<K extends keyof ConnectionEvents>(event: K, fn: (data: ConnectionEvents[K]) => void): () => void {
    let set = this.#handlers.get(event)
    if (!set) this.#handlers.set(event, (set = new Set()))
    set.add(fn as (d: never) => void)
    return () => { set!.delete(fn as (d: never) => void) }
  }

  /** Calls every handler of `event` with `data`. */
  emit<K extends keyof ConnectionEvents>(event: K, data: ConnectionEvents[K]): void {
    for (const fn of this.#handlers.get(event) ?? []) {
      try {
        (fn as (d: ConnectionEvents[K]) => void)(data)
      } catch {
        // A handler's failure is the handler's: it must not stop the others or the connection.
      }
    }
  }
}
