// Which connections follow which conversations, stored as bits. An agent's connection follows
// every open conversation it was listed (conversation-list.ts), thousands for a busy agent, and
// each of the agent's tabs and devices follows the same ones. A Set of targets per conversation
// and a Set of conversation ids per target cost two hash entries, and a copy of the id string,
// per (connection, conversation): about 250 KB per connection following 3,000 conversations
// (test/bench/README.md). Here each following connection holds a slot number in its brand, and a
// conversation keeps one bit per slot: a connection costs its slot and a bit per conversation,
// and a conversation one map entry, whoever follows it.

/** Slots per word of a conversation's bits: 30, so every word stays a small integer in V8. */
const WORD_BITS = 30

/**
 * A conversation's followers: slot i is bit i % 30 of word i / 30. A lone number is word 0, the
 * common case of a brand with fewer than 30 following connections on this node.
 */
type Bits = number | number[]

/** What a brand's follows need of a connection. */
export interface Follower {
  readonly brandId: string
}

interface BrandFollows<T> {
  readonly convs: Map<string, Bits>
  /** The connection in each slot; undefined when free. */
  readonly bySlot: (T | undefined)[]
  /** How many conversations each slot follows, so a connection following none leaves at once. */
  readonly counts: number[]
  readonly free: number[]
}

/** The conversations each connection follows, and the connections each conversation reaches. */
export class ConversationFollowers<T extends Follower> {
  readonly #brands = new Map<string, BrandFollows<T>>()
  readonly #slots = new Map<T, number>()

  /** Adds `convId` to what `t` follows. */
  follow(t: T, convId: string): void {
    const brand = this.#brandOf(t.brandId)
    let slot = this.#slots.get(t)
    if (slot === undefined) {
      slot = brand.free.pop() ?? brand.bySlot.length
      brand.bySlot[slot] = t
      brand.counts[slot] = 0
      this.#slots.set(t, slot)
    }
    const bits = brand.convs.get(convId)
    if (bits !== undefined && hasBit(bits, slot)) return
    brand.convs.set(convId, withBit(bits ?? 0, slot))
    brand.counts[slot]!++
  }

  /** Whether `t` follows `convId`. */
  has(t: T, convId: string): boolean {
    const slot = this.#slots.get(t)
    if (slot === undefined) return false
    const bits = this.#brands.get(t.brandId)?.convs.get(convId)
    return bits !== undefined && hasBit(bits, slot)
  }

  /** Removes `convId` from what `t` follows. */
  unfollow(t: T, convId: string): void {
    const slot = this.#slots.get(t)
    const brand = this.#brands.get(t.brandId)
    const bits = brand?.convs.get(convId)
    if (slot === undefined || !brand || bits === undefined || !hasBit(bits, slot)) return
    setOrDrop(brand.convs, convId, withoutBit(bits, slot))
    brand.counts[slot]!--
  }

  /** The connections following a conversation, or undefined when none does. */
  followersOf(brandId: string, convId: string): T[] | undefined {
    const brand = this.#brands.get(brandId)
    const bits = brand?.convs.get(convId)
    if (!brand || bits === undefined) return undefined
    const out: T[] = []
    if (typeof bits === 'number') collect(bits, 0, brand.bySlot, out)
    else for (let w = 0; w < bits.length; w++) collect(bits[w]!, w * WORD_BITS, brand.bySlot, out)
    return out
  }

  /** Nobody follows `convId` any more (it closed). */
  drop(brandId: string, convId: string): void {
    const brand = this.#brands.get(brandId)
    const bits = brand?.convs.get(convId)
    if (!brand || bits === undefined) return
    for (const t of this.followersOf(brandId, convId) ?? []) brand.counts[this.#slots.get(t)!]!--
    brand.convs.delete(convId)
  }

  /** Forgets `t` and everything it follows; its slot is free for the next connection. */
  remove(t: T): void {
    const slot = this.#slots.get(t)
    const brand = this.#brands.get(t.brandId)
    if (slot === undefined || !brand) return
    this.#slots.delete(t)
    // One pass over the brand's followed conversations, once per closing connection that follows
    // any: cheaper, in memory, than a list per connection of what it follows.
    if (brand.counts[slot]! > 0) {
      for (const [convId, bits] of brand.convs) {
        if (!hasBit(bits, slot)) continue
        setOrDrop(brand.convs, convId, withoutBit(bits, slot))
        if (--brand.counts[slot]! === 0) break
      }
    }
    brand.bySlot[slot] = undefined
    brand.counts[slot] = 0
    brand.free.push(slot)
    if (brand.free.length === brand.bySlot.length) this.#brands.delete(t.brandId)
  }

  #brandOf(brandId: string): BrandFollows<T> {
    let brand = this.#brands.get(brandId)
    if (!brand) this.#brands.set(brandId, (brand = { convs: new Map(), bySlot: [], counts: [], free: [] }))
    return brand
  }
}

function hasBit(bits: Bits, slot: number): boolean {
  const word = typeof bits === 'number' ? (slot < WORD_BITS ? bits : 0) : (bits[Math.floor(slot / WORD_BITS)] ?? 0)
  return (word & (1 << (slot % WORD_BITS))) !== 0
}

/** `bits` with `slot` set; a number that needs a second word becomes an array. */
function withBit(bits: Bits, slot: number): Bits {
  const w = Math.floor(slot / WORD_BITS)
  const mask = 1 << (slot % WORD_BITS)
  if (typeof bits === 'number' && w === 0) return bits | mask
  const words = typeof bits === 'number' ? [bits] : bits
  if (words.length > w) {
    words[w] = words[w]! | mask
    return words
  }
  // Sized exactly: push() would reserve room for 16 more words in every conversation.
  const grown = new Array<number>(w + 1).fill(0)
  for (let i = 0; i < words.length; i++) grown[i] = words[i]!
  grown[w] = mask
  return grown
}

/** `bits` with `slot` cleared; 0 when no slot is left. */
function withoutBit(bits: Bits, slot: number): Bits {
  const mask = ~(1 << (slot % WORD_BITS))
  if (typeof bits === 'number') return bits & mask
  const w = Math.floor(slot / WORD_BITS)
  bits[w] = bits[w]! & mask
  return bits.every((word) => word === 0) ? 0 : bits
}

function setOrDrop(convs: Map<string, Bits>, convId: string, bits: Bits): void {
  if (bits === 0) convs.delete(convId)
  else convs.set(convId, bits)
}

function collect<T>(word: number, first: number, bySlot: (T | undefined)[], out: T[]): void {
  for (let rest = word; rest !== 0; rest &= rest - 1) {
    const t = bySlot[first + 31 - Math.clz32(rest & -rest)]
    if (t !== undefined) out.push(t)
  }
}
