import type { Participant } from '@parley/sdk/contract'
import { TAIL_CHARS } from '@parley/sdk/masking'
import type { Store } from '../store/store.js'
import { PairMap } from '../pair-map.js'

// The end of each sender's last message in each conversation, for masking a value split across two
// messages (`4111 1111` then `1111 1111`). Kept in memory, bounded; a conversation not in memory
// (after a restart, or once the map started over) has its sender's last message read from the store.
// Several nodes: a sender with tabs on two nodes writes through both, so a kept tail follows the
// sender's messages stored anywhere (their message.new on the bus carries the stored text). Two
// messages of one sender sent through two nodes at the same moment are still checked each against
// the tail before both; and a tail rewritten by a masking run on another node stays as it was here
// (message.redacted does not name the sender), which only means a value split across the two is
// looked for again in text already masked.

/** The end of a sender's last message in a conversation, as stored or about to be. */
export interface SenderTail {
  brandId: string
  /** Its last TAIL_CHARS characters ('' when the sender has written nothing there). */
  tail: string
  /** Its seq; null while it waits for its commit (or when there is none). */
  seq: number | null
}

/** Conversation-senders kept; past it the map starts over and the active ones are read again. */
export const MAX_SENDER_TAILS = 50_000

/** How many of a conversation's newest messages a miss looks through for the sender's last one. */
const LOOK_BACK = 20

/** The last message's tail of each (conversation, sender) this relay saw. */
export class SenderTails {
  // Keyed by conversation and sender identity, with the brand in the entry: conversation ids are
  // chosen per brand, so an entry of another brand is a miss.
  readonly #tails = new PairMap<string, string, SenderTail>()
  readonly #max: number

  constructor(max = MAX_SENDER_TAILS) {
    this.#max = max
  }

  /** The sender's last tail in the conversation if it is in memory. */
  peek(brandId: string, convId: string, identity: string): SenderTail | undefined {
    const t = this.#tails.get(convId, identity)
    return t?.brandId === brandId ? t : undefined
  }

  /** Reads the sender's last message of the conversation from the store (a miss) and keeps its tail. */
  async load(store: Store, brandId: string, convId: string, who: Participant, identity: string): Promise<SenderTail> {
    const conv = await store.getConversation(brandId, convId)
    let found: SenderTail = { brandId, tail: '', seq: null }
    if (conv && conv.lastSeq > 0) {
      const rows = await store.readMessages(brandId, convId, Math.max(0, conv.lastSeq - LOOK_BACK), LOOK_BACK)
      for (let i = rows.length - 1; i >= 0; i--) {
        const m = rows[i]!
        if (m.from.kind === who.kind && m.from.id === who.id) { found = { brandId, tail: m.text.slice(-TAIL_CHARS), seq: m.seq }; break }
      }
    }
    // A message sent while the store was read is newer than what it found.
    return this.peek(brandId, convId, identity) ?? this.set(convId, identity, found)
  }

  /** A stored message was rewritten (a masking run): if it is its sender's last one here, its tail follows. */
  rewritten(brandId: string, m: { convId: string; seq: number; text: string; identity: string }): void {
    const t = this.peek(brandId, m.convId, m.identity)
    if (t && t.seq === m.seq) t.tail = m.text.slice(-TAIL_CHARS)
  }

  /**
   * A message was stored, through this node or another (its message.new on the bus): a kept tail of
   * its sender that is older follows it. A tail still waiting for its commit here is newer: kept.
   */
  stored(brandId: string, m: { convId: string; seq: number; text: string; from: Participant }): void {
    const t = this.peek(brandId, m.convId, `${m.from.kind}:${m.from.id}`)
    if (t && t.seq !== null && t.seq < m.seq) {
      t.tail = m.text.slice(-TAIL_CHARS)
      t.seq = m.seq
    }
  }

  /** The conversations were erased: their senders' tails (text) go from memory. */
  forget(brandId: string, convIds: readonly string[]): void {
    for (const convId of convIds) {
      // A conversation id of another brand is another conversation: only this brand's entries go.
      for (const [identity, t] of this.#tails.entriesOf(convId)) if (t.brandId === brandId) this.#tails.delete(convId, identity)
    }
  }

  /** Records the sender's newest message in the conversation. */
  set(convId: string, identity: string, tail: SenderTail): SenderTail {
    if (this.#tails.size >= this.#max) this.#tails.clear()
    this.#tails.set(convId, identity, tail)
    return tail
  }
}
