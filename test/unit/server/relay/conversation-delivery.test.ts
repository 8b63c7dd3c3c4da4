import { describe, expect, it } from 'vitest'
import type { MessageNew, MessageRedacted, ServerFrame } from '@parley/sdk/contract'
import { ConversationDelivery, MAX_SENT_ABOVE_GAP } from '../../../../server/src/relay/conversation-delivery.js'

// message.redacted must never reach a client before the message.new it changes: while a
// conversation is replayed it waits for the replay's end; while the client is behind, one for a
// message it doesn't have yet is dropped (the resume reads the new text from the store).

const message = (seq: number): MessageNew => ({
  type: 'message.new', convId: 'c', seq, clientMsgId: `m${seq}`, from: { kind: 'visitor', id: 'v' }, text: `t${seq}`, at: seq,
})
const redacted = (seq: number): MessageRedacted => ({ type: 'message.redacted', convId: 'c', seq, text: '[card]' })

function delivery() {
  const written: ServerFrame[] = []
  const d = new ConversationDelivery({ sendJson: (json) => written.push(JSON.parse(json) as ServerFrame) })
  d.open()
  const deliver = (f: ServerFrame) => d.deliver(f, JSON.stringify(f))
  return { d, written, deliver }
}

describe('ConversationDelivery and message.redacted', () => {
  it('writes a redaction at once when the conversation is delivered live', () => {
    const { written, deliver } = delivery()
    deliver(message(1))
    deliver(redacted(1))
    expect(written.map((f) => f.type)).toEqual(['message.new', 'message.redacted'])
  })

  it('holds a redaction while the conversation is replayed, for the replay to send after its messages', () => {
    const { d, written, deliver } = delivery()
    d.startResume('c')
    deliver(redacted(1))
    expect(written).toEqual([])
    expect(d.heldRedactions('c')).toEqual([redacted(1)])
  })

  it("drops a redaction of a message a client that fell behind doesn't have, and writes one it has", () => {
    const { d, written, deliver } = delivery()
    deliver(message(1))
    d.fallBehind('c')
    deliver(redacted(2))
    deliver(redacted(1))
    expect(written.map((f) => [f.type, 'seq' in f ? f.seq : null])).toEqual([['message.new', 1], ['message.redacted', 1]])
  })
})

describe('ConversationDelivery across nodes', () => {
  const seqs = (written: ServerFrame[]) => written.map((f) => ('seq' in f ? f.seq : null))

  it('delivers a message that arrives after a later one (they came through different nodes), each once', () => {
    const { d, written, deliver } = delivery()
    d.restartAt('c', 3)
    deliver(message(5))
    deliver(message(4))
    deliver(message(5))
    deliver(message(4))
    deliver(message(6))
    expect(seqs(written)).toEqual([5, 4, 6])
    expect(d.lastSent('c')).toBe(6)
  })

  it('delivers out-of-order messages of a conversation it never replayed', () => {
    const { written, deliver } = delivery()
    deliver(message(8))
    deliver(message(7))
    deliver(message(8))
    expect(seqs(written)).toEqual([8, 7])
  })

  it('keeps a bounded record of seqs above a gap that never fills, and still delivers new ones once', () => {
    const { d, written, deliver } = delivery()
    d.restartAt('c', 0)
    for (let seq = 2; seq <= 2 + MAX_SENT_ABOVE_GAP + 10; seq++) deliver(message(seq))
    const before = written.length
    deliver(message(5))
    deliver(message(2 + MAX_SENT_ABOVE_GAP + 10))
    deliver(message(2 + MAX_SENT_ABOVE_GAP + 11))
    expect(written.length).toBe(before + 1)
  })

  it('writes a redaction of a message sent out of order while the client is behind', () => {
    const { d, written, deliver } = delivery()
    d.restartAt('c', 1)
    deliver(message(3))
    d.fallBehind('c')
    deliver(redacted(2))
    deliver(redacted(3))
    expect(written.map((f) => [f.type, 'seq' in f ? f.seq : null])).toEqual([['message.new', 3], ['message.redacted', 3]])
  })
})
