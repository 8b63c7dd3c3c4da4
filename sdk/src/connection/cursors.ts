// Per-conversation receive cursors: the highest seq up to which this client holds every message.
// A message beyond a gap is delivered but does not move the cursor; the gap is filled by a resume,
// and messages held beyond it are remembered so the replay does not deliver them twice. Pure.

/** What to do with a message of sequence `seq`. */
export interface Receipt {
  /** False when the message was already delivered (a replay overlapping live traffic). */
  fresh: boolean
  /** True when the cursor moved (persist it). */
  advanced: boolean
  /** True when there is a gap before this message (ask the relay to resume from the cursor). */
  gap: boolean
}

/** Cursors for every conversation a client follows. */
export class Cursors {
  readonly #at = new Map<string, number>()
  readonly #ahead = new Map<string, Set<number>>()

  /** The cursor of a conversation (0 when unknown). */
  get(convId: string): number {
    return this.#at.get(convId) ?? 0
  }

  /** Every known conversation and its cursor. */
  entries(): [string, number][] {
    return [...this.#at]
  }

  /** Sets a cursor loaded from storage (only ever moves it forward). */
  restore(convId: string, seq: number): void {
    if (seq > this.get(convId)) this.#at.set(convId, seq)
  }

  /** Sets a cursor exactly, backwards too (the caller knows it holds nothing beyond `seq`). */
  reset(convId: string, seq: number): void {
    this.#at.set(convId, seq)
    this.#ahead.delete(convId)
  }

  /** Forgets every conversation (the visitor logged out). */
  clear(): void {
    this.#at.clear()
    this.#ahead.clear()
  }

  /** Starts tracking a conversation at 0 if it is unknown. */
  track(convId: string): void {
    if (!this.#at.has(convId)) this.#at.set(convId, 0)
  }

  /** Records the receipt of message `seq` of `convId`. */
  receive(convId: string, seq: number): Receipt {
    const at = this.get(convId)
    const ahead = this.#ahead.get(convId)
    if (seq <= at || ahead?.has(seq)) return { fresh: false, advanced: false, gap: false }
    if (seq > at + 1) {
      if (ahead) ahead.add(seq)
      else this.#ahead.set(convId, new Set([seq]))
      if (!this.#at.has(convId)) this.#at.set(convId, 0)
      return { fresh: true, advanced: false, gap: true }
    }
    let next = seq
    while (ahead?.delete(next + 1)) next++
    if (ahead && ahead.size === 0) this.#ahead.delete(convId)
    this.#at.set(convId, next)
    return { fresh: true, advanced: true, gap: false }
  }

  /** Whether messages beyond a gap are held for a conversation. */
  hasGap(convId: string): boolean {
    return (this.#ahead.get(convId)?.size ?? 0) > 0
  }
}
