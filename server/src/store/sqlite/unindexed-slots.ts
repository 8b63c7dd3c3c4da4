// The storage behind UnindexedRows (unindexed-rows.ts). A row waits here for up to a few seconds,
// so it is kept as a slot in typed arrays rather than as an object, and found by a hash table of slot
// numbers; only its clientMsgId string is an object. The arrays double when full and never shrink,
// so under a steady load nothing is allocated (the measurements are in test/bench/README.md).

/** A message not yet in the index tables: where it is in message_log, and its two keys. */
export interface UnindexedRow {
  id: number
  conv: number
  seq: number
  sender: number
  clientMsgId: string
  /** When its visitor wrote it; 0 (or absent) for an agent's message. Indexing moves it to conversations.last_visitor_at. */
  visitorAt?: number
}

/** No slot: the end of a list or chain, or a row not found. */
export const NO_SLOT = -1
const INITIAL_SLOTS = 1024

/** 32-bit FNV-1a of a sender key and a clientMsgId. */
function hashKey(sender: number, clientMsgId: string): number {
  let h = Math.imul(0x811c9dc5 ^ (sender | 0), 0x01000193) ^ Math.floor(sender / 0x1_0000_0000)
  for (let i = 0; i < clientMsgId.length; i++) h = Math.imul(h ^ clientMsgId.charCodeAt(i), 0x01000193)
  return h >>> 0
}

/**
 * Rows in slots, each slot on its conversation's list (oldest first) and in a hash chain by
 * (sender, clientMsgId). Slot numbers are what callers hold; `row(slot)` builds a UnindexedRow to hand out.
 */
export class UnindexedSlots {
  #capacity = 0
  #id = new Float64Array(0)
  #conv = new Float64Array(0)
  #seq = new Float64Array(0)
  #sender = new Float64Array(0)
  #visitorAt = new Float64Array(0)
  readonly #clientMsgId: (string | undefined)[] = []
  /** The next slot of the same conversation, or NO_SLOT. */
  #nextInConv = new Int32Array(0)
  /** The next slot in the same hash bucket, or NO_SLOT. */
  #nextInBucket = new Int32Array(0)
  #buckets = new Int32Array(0)
  /** Free slots, as a stack. */
  #free = new Int32Array(0)
  #freeCount = 0

  constructor() {
    this.#grow(INITIAL_SLOTS)
  }

  /** Stores a row at the end of its conversation's list (`after`: that list's last slot, or NO_SLOT). */
  add(t: UnindexedRow, after: number): number {
    if (this.#freeCount === 0) this.#grow(this.#capacity * 2)
    const slot = this.#free[--this.#freeCount]!
    this.#id[slot] = t.id
    this.#conv[slot] = t.conv
    this.#seq[slot] = t.seq
    this.#sender[slot] = t.sender
    this.#visitorAt[slot] = t.visitorAt ?? 0
    this.#clientMsgId[slot] = t.clientMsgId
    this.#nextInConv[slot] = NO_SLOT
    if (after !== NO_SLOT) this.#nextInConv[after] = slot
    this.#link(slot)
    return slot
  }

  /** The slot of the row `sender` stored under `clientMsgId`, or NO_SLOT. */
  find(sender: number, clientMsgId: string): number {
    let slot = this.#buckets[this.#bucketOf(sender, clientMsgId)]!
    while (slot !== NO_SLOT && (this.#sender[slot] !== sender || this.#clientMsgId[slot] !== clientMsgId)) slot = this.#nextInBucket[slot]!
    return slot
  }

  /** Frees `slot` and returns the next slot of its conversation. */
  remove(slot: number): number {
    const b = this.#bucketOf(this.#sender[slot]!, this.#clientMsgId[slot]!)
    let at = this.#buckets[b]!
    if (at === slot) {
      this.#buckets[b] = this.#nextInBucket[slot]!
    } else {
      while (this.#nextInBucket[at] !== slot) at = this.#nextInBucket[at]!
      this.#nextInBucket[at] = this.#nextInBucket[slot]!
    }
    this.#clientMsgId[slot] = undefined
    this.#free[this.#freeCount++] = slot
    return this.#nextInConv[slot]!
  }

  /** The slot after `slot` on its conversation's list, or NO_SLOT. */
  next(slot: number): number {
    return this.#nextInConv[slot]!
  }

  // One field of the row in `slot`, for loops that need only that and no UnindexedRow object.

  id(slot: number): number {
    return this.#id[slot]!
  }

  seq(slot: number): number {
    return this.#seq[slot]!
  }

  sender(slot: number): number {
    return this.#sender[slot]!
  }

  visitorAt(slot: number): number {
    return this.#visitorAt[slot]!
  }

  clientMsgId(slot: number): string {
    return this.#clientMsgId[slot]!
  }

  /** The whole row in `slot`, as an object of its own. */
  row(slot: number): UnindexedRow {
    return { id: this.#id[slot]!, conv: this.#conv[slot]!, seq: this.#seq[slot]!, sender: this.#sender[slot]!, clientMsgId: this.#clientMsgId[slot]!,
      ...(this.#visitorAt[slot]! > 0 ? { visitorAt: this.#visitorAt[slot]! } : {}) }
  }

  #bucketOf(sender: number, clientMsgId: string): number {
    return hashKey(sender, clientMsgId) & (this.#buckets.length - 1)
  }

  #link(slot: number): void {
    const b = this.#bucketOf(this.#sender[slot]!, this.#clientMsgId[slot]!)
    this.#nextInBucket[slot] = this.#buckets[b]!
    this.#buckets[b] = slot
  }

  /** Doubles the slots (keeping every row in its slot) and rebuilds the hash table at twice their number. */
  #grow(capacity: number): void {
    const old = this.#capacity
    const widen = <T extends Float64Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(capacity)
      b.set(a)
      return b
    }
    const f64 = (n: number) => new Float64Array(n)
    const i32 = (n: number) => new Int32Array(n)
    this.#id = widen(this.#id, f64)
    this.#conv = widen(this.#conv, f64)
    this.#seq = widen(this.#seq, f64)
    this.#sender = widen(this.#sender, f64)
    this.#visitorAt = widen(this.#visitorAt, f64)
    this.#nextInConv = widen(this.#nextInConv, i32)
    this.#nextInBucket = new Int32Array(capacity)
    this.#clientMsgId.length = capacity
    // Free slots are handed out lowest first; the old ones are all in use when this runs.
    this.#free = new Int32Array(capacity)
    this.#freeCount = 0
    for (let s = capacity - 1; s >= old; s--) this.#free[this.#freeCount++] = s
    this.#capacity = capacity
    this.#buckets = new Int32Array(capacity * 2).fill(NO_SLOT)
    for (let s = 0; s < old; s++) if (this.#clientMsgId[s] !== undefined) this.#link(s)
  }
}
