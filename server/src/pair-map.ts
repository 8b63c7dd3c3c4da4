// A map keyed by a pair, without joining the two parts into a string key: a joined key is a new
// string and a fresh hash on every lookup, while the parts (ids read from a frame, kept on a
// session) keep theirs. Used on a message's per-message path: the store's append and sender keys,
// and fan-out.

/** A map from (a, b) to a value. */
export class PairMap<A, B, V> {
  readonly #outer = new Map<A, Map<B, V>>()
  #size = 0

  get size(): number {
    return this.#size
  }

  get(a: A, b: B): V | undefined {
    return this.#outer.get(a)?.get(b)
  }

  /** Whether any pair starting with `a` is kept. */
  hasFirst(a: A): boolean {
    return this.#outer.has(a)
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

  /** The pairs starting with `a`, as (b, value) entries (a copy: deleting while iterating is safe). */
  entriesOf(a: A): [B, V][] {
    return [...(this.#outer.get(a) ?? [])]
  }

  clear(): void {
    this.#outer.clear()
    this.#size = 0
  }
}
