import { describe, expect, it } from 'vitest'
import { ackJson } from '../../../../server/src/relay/ack-frame.js'
import type { MessageRecord } from '../../../../server/src/store/store.js'

const stored = (over: Partial<MessageRecord> = {}): MessageRecord => ({
  brandId: 'b_1', convId: 'c_1', seq: 7, clientMsgId: 'm_1', from: { kind: 'visitor', id: 'v_1' }, text: 'hi', at: 1_700_000_000_123, ...over,
})

describe('ackJson', () => {
  it('serialises the same frame as JSON.stringify of the ack object', () => {
    const m = stored()
    expect(JSON.parse(ackJson(m, undefined))).toEqual({ type: 'message.ack', convId: 'c_1', clientMsgId: 'm_1', seq: 7, at: 1_700_000_000_123 })
    expect(ackJson(m, undefined)).toBe(JSON.stringify({ type: 'message.ack', convId: 'c_1', clientMsgId: 'm_1', seq: 7, at: 1_700_000_000_123 }))
  })

  it('carries the stored text and attachments when given, escaped as JSON', () => {
    const attachments: NonNullable<MessageRecord['attachments']> = [{ attachmentId: 'att_1', name: 'a "b".pdf', type: 'application/pdf', size: 3, thumbnail: false }]
    const m = stored({ attachments })
    const text = 'card [card] "quoted"\n\u2028 \ud83d\ude00'
    expect(ackJson(m, text)).toBe(JSON.stringify({ type: 'message.ack', convId: 'c_1', clientMsgId: 'm_1', seq: 7, at: 1_700_000_000_123, text, attachments }))
  })

  it('escapes ids like JSON.stringify would', () => {
    const m = stored({ convId: 'c"1\\', clientMsgId: 'm\u0000' })
    expect(JSON.parse(ackJson(m, undefined))).toMatchObject({ convId: 'c"1\\', clientMsgId: 'm\u0000' })
  })
})
