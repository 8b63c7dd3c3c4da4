import type { MessageNew, MessageRedacted, ServerFrame } from '@parley/sdk/contract'

// What one connection has been sent of each conversation, so fan-out and replay together deliver
// every message once, in seq order: a conversation being replayed holds its live messages until the
// replay is done, and fan-out that arrives before welcome waits for it. Live messages from several
// nodes can cross: seq 5 (sent through one node) may arrive before seq 4 (another node), so each
// seq not yet sent is delivered, late ones too, and the client puts them in order (its cursors).

/** Seqs kept above a gap per conversation; past it the gap is given up (the client's own resume fills it). */
export const MAX_SENT_ABOVE_GAP = 128

/** The seqs of a conversation sent on one connection: all up to `upTo`, and those in `above`. */
interface SentSeqs { upTo: number; above: Set<number>; highest: number }

/** Where a conversation's live delivery stands on this connection. */
type ConvState =
  /**
   * Replaying from the store: live frames wait here and are merged by seq afterwards; redactions
   * go out after the replay, which may have read a message before its redaction.
   */
  | { mode: 'resuming'; buffered: MessageNew[]; redacted: MessageRedacted[] }
  /** Replay stopped at a page boundary: live frames are dropped until the client resumes again. */
  | { mode: 'behind' }

/** One connection's delivery state; `out.sendJson` sends serialised frames. */
export class ConversationDelivery {
  /** The connection itself rather than a closure over it: one fewer object for every connection. */
  readonly #out: { sendJson(json: string): void }
  // Both maps are made on first use: an idle visitor's connection never needs them, and an empty
  // Map still costs its hash table on every connection.
  /** The seqs of each conversation delivered to this connection. */
  #sent: Map<string, SentSeqs> | null = null
  #state: Map<string, ConvState> | null = null
  /** Fan-out that arrives between joining fan-out and sending welcome waits here. */
  #early: [ServerFrame, string][] | null = []

  constructor(out: { sendJson(json: string): void }) {
    this.#out = out
  }

  /** Welcome is out: sends whatever fan-out arrived before it, and from now on delivers at once. */
  open(): void {
    const early = this.#early ?? []
    this.#early = null
    for (const [f, json] of early) this.deliver(f, json)
  }

  /** Fan-out entry point: keeps each conversation's messages in seq order with no repeats. */
  deliver(frame: ServerFrame, json: string): void {
    if (this.#early) { this.#early.push([frame, json]); return }
    if (frame.type === 'message.new') {
      const state = this.#state?.get(frame.convId)
      if (state?.mode === 'resuming') { state.buffered.push(frame); return }
      if (state?.mode === 'behind') return
      if (!this.markSent(frame.convId, frame.seq)) return
    } else if (frame.type === 'message.redacted') {
      const state = this.#state?.get(frame.convId)
      if (state?.mode === 'resuming') { state.redacted.push(frame); return }
      // Behind: a message the client doesn't have yet comes with the new text when it resumes.
      if (state?.mode === 'behind' && !this.#hasSent(frame.convId, frame.seq)) return
    }
    this.#out.sendJson(json)
  }

  /** Records that `seq` of a conversation reached this connection; false if it already had it. */
  markSent(convId: string, seq: number): boolean {
    const sents = (this.#sent ??= new Map())
    let sent = sents.get(convId)
    if (!sent) sents.set(convId, (sent = { upTo: 0, above: new Set(), highest: 0 }))
    if (seq <= sent.upTo || sent.above.has(seq)) return false
    if (seq === sent.upTo + 1 && sent.above.size === 0) {
      // The next seq with no gap above: what the set would do, without adding and removing it.
      sent.upTo = seq
      sent.highest = Math.max(sent.highest, seq)
      return true
    }
    sent.above.add(seq)
    sent.highest = Math.max(sent.highest, seq)
    if (sent.above.size > MAX_SENT_ABOVE_GAP) {
      // The gap below the lowest kept seq is given up: a message in it arriving later is dropped.
      sent.upTo = Math.min(...sent.above) - 1
    }
    while (sent.above.delete(sent.upTo + 1)) sent.upTo++
    return true
  }

  /** The highest seq of a conversation sent on this connection, if any. */
  lastSent(convId: string): number | undefined {
    return this.#sent?.get(convId)?.highest
  }

  /** Restarts a conversation's record (an explicit resume says what the client holds: everything up to `seq`). */
  restartAt(convId: string, seq: number): void {
    (this.#sent ??= new Map()).set(convId, { upTo: seq, above: new Set(), highest: seq })
  }

  /** Holds a conversation's live messages from now on (keeping any already held) until its replay ends. */
  startResume(convId: string): void {
    const states = (this.#state ??= new Map())
    if (states.get(convId)?.mode !== 'resuming') states.set(convId, { mode: 'resuming', buffered: [], redacted: [] })
  }

  /** The live messages held for a conversation being replayed (empty if it is not). */
  held(convId: string): MessageNew[] {
    const state = this.#state?.get(convId)
    return state?.mode === 'resuming' ? state.buffered : []
  }

  /** The redactions held for a conversation being replayed (empty if it is not): send those of messages sent once it ends. */
  heldRedactions(convId: string): MessageRedacted[] {
    const state = this.#state?.get(convId)
    return state?.mode === 'resuming' ? state.redacted : []
  }

  /** Delivers a conversation live again, with no replay pending. */
  stopResume(convId: string): void {
    this.#state?.delete(convId)
  }

  /** Drops a conversation's live messages until the client resumes it again. */
  fallBehind(convId: string): void {
    (this.#state ??= new Map()).set(convId, { mode: 'behind' })
  }

  #hasSent(convId: string, seq: number): boolean {
    const sent = this.#sent?.get(convId)
    return sent !== undefined && (seq <= sent.upTo || sent.above.has(seq))
  }

  /** Whether a conversation's live messages are being held for a replay. */
  isResuming(convId: string): boolean {
    return this.#state?.get(convId)?.mode === 'resuming'
  }
}
