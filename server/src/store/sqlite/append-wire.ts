import type { AppendRequest, AppendResult } from '../store.js'

// How appendMessages results cross from the store thread to the relay's: every message newly stored
// as asked (the common case) travels as `[seq, visitorId]`, and the relay thread rebuilds the rest
// from its own request, so the text and ids are not copied back for every message. Duplicates,
// refusals, the message that opens a conversation and messages with attachments travel whole.

/** A result as it crosses the thread boundary. */
export type PackedAppendResult = AppendResult | readonly [seq: number, visitorId: string]

/** Store thread: the results of `reqs`, packed. */
export function packAppendResults(reqs: readonly AppendRequest[], results: readonly AppendResult[]): PackedAppendResult[] {
  return results.map((r, i) => {
    const req = reqs[i]!
    const plain = r.ok && !r.duplicate && r.opened === null && r.message.text === req.text && r.message.at === req.at
      && r.message.clientMsgId === req.clientMsgId && r.message.convId === req.convId && r.message.attachments === undefined
    return plain ? [r.message.seq, r.visitorId] as const : r
  })
}

/** Relay thread: the full results of `reqs` from their packed form. */
export function unpackAppendResults(reqs: readonly AppendRequest[], packed: readonly PackedAppendResult[]): AppendResult[] {
  return packed.map((p, i) => {
    if (!Array.isArray(p)) return p as AppendResult
    const [seq, visitorId] = p as readonly [number, string]
    const req = reqs[i]!
    return {
      ok: true, duplicate: false, visitorId, opened: null,
      message: { brandId: req.brandId, convId: req.convId, seq, clientMsgId: req.clientMsgId, from: req.from, text: req.text, at: req.at },
    }
  })
}
