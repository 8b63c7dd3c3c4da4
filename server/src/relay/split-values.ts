import type { SessionPort } from './session-port.js'
import type { SenderTail } from './sender-tails.js'

// A value split across two messages (`4111 1111` then `1111 1111`) is masked in the second one
// before it is stored; the first is stored already, so its tail is masked in its stored row (a
// second write, after the later message's commit: a relay that stops between the two leaves the
// first half unmasked), and everyone in the conversation is told with message.redacted. That
// frame goes out after the later message's commit answered, so it never overtakes the earlier
// message's message.new (published when that one committed); a client replaying the conversation
// gets it after the replay (conversation-delivery.ts).

/** The earlier message's change that a message's masking asked for. */
export interface PendingRedaction {
  /** The sender's earlier message (its seq is known once it committed). */
  previous: SenderTail
  /** The tail that was checked, as stored. */
  oldTail: string
  /** What replaces that tail. */
  newTail: string
}

/** Rewrites the earlier message's stored tail and tells the conversation. Call once the later message is stored. */
export function redactPrevious(s: SessionPort, convId: string, r: PendingRedaction): void {
  const { store, bus } = s.ctx.deps
  const seq = r.previous.seq
  // The earlier message was not stored (refused, or its batch failed): there is nothing to change.
  if (seq === null) return
  const run = async () => {
    const [stored] = await store.readMessages(s.brandId, convId, seq - 1, 1)
    // Only the tail that was checked is replaced; a row changed meanwhile is left as it is.
    if (stored?.seq !== seq || !stored.text.endsWith(r.oldTail)) return
    const text = stored.text.slice(0, stored.text.length - r.oldTail.length) + r.newTail
    // ifText: a masking run may rewrite the row between this read and this write; its text wins.
    const [applied] = await store.redactMessages(s.brandId, [{ convId, seq, text, ifText: stored.text }])
    if (!applied) return
    const conv = await store.getConversation(s.brandId, convId)
    if (!conv) return
    bus.publish({
      brandId: s.brandId, audience: { kind: 'conversation', convId, visitorId: conv.visitorId },
      frame: { type: 'message.redacted', convId, seq, text },
    })
    s.ctx.log.debug({ brandId: s.brandId, convId, seq, length: text.length }, 'message redacted')
  }
  run().catch((err: unknown) => {
    // The later message is stored masked; the earlier keeps its half of the value for good (so it
    // does after a crash between the two writes): mask-existing checks each message on its own,
    // where half a value is no value. docs/masking.md says so.
    s.ctx.log.error({ err, brandId: s.brandId, convId, seq }, 'masking an earlier message failed')
  })
}
