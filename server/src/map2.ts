// A map keyed by a pair. Joining the two parts into one string key costs a new string and a fresh
// hash on every lookup; the parts themselves (ids read from a frame, kept on a session) keep theirs.
// Used where a message's path looks things up per message: the store's append and sender keys,
// and fan-out. On the append path the joined keys were about a tenth of the store's instructions
// (test/bench/README.md).

/** A map from (a, b) to a value. */
export class Map2<A, B, V> {
  readonly #outer = new Map<A, Map<B, V>>()
  #size = 0

  get size(): number {
    return this.#size
  }

  get(a: A, b: B): V | undefined {
    return this.#outer.get(a)?.get(b)
  }

  set(a: A, b: B, value: V): void {
    let inner = this.#outer.get(a)
    if (!inner) this.#outer.set(a, (inner = new Map()))
    const before = inner.size
    inner.set(b, value)
    this.#size += inner.size - before
  }

  delete(a: A, b: B): boolean {
    const inner = this.#outer.get(a)
    if (!inner?.delete(b)) return false
    this.#size--
    if (inner.size === 0) this.#outer.delete(a)
    return true
  }

  clear(): void {
    this.#outer.clear()
    this.#size = 0
  }
}
