import { describe, expect, it } from 'vitest'
import type { MessageNew, MessageRedacted, ServerFrame } from '@parley/sdk/contract'
import { ConversationDelivery } from '../../../../server/src/relay/conversation-delivery.js'

// message.redacted must never reach a client before the message.new it changes: while a
// conversation is replayed it waits for the replay's end; while the client is behind, one for a
// message it doesn't have yet is dropped (the resume reads the new text from the store).

const message = (seq: number): MessageNew => ({
  type: 'message.new', convId: 'c', seq, clientMsgId: `m${seq}`, from: { kind: 'visitor', id: 'v' }, text: `t${seq}`, at: seq,
})
const redacted = (seq: number): MessageRedacted => ({ type: 'message.redacted', convId: 'c', seq, text: '[card]' })

function delivery() {
  const written: ServerFrame[] = []
  const d = new ConversationDelivery((json) => written.push(JSON.parse(json) as ServerFrame))
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
