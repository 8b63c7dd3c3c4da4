import { describe, expect, it } from 'vitest'
import { ID_DIGITS, conversationId, messageId, messageNumber, writeMessageNumber } from '../../bench/load/message-ids.mjs'

// The loadgen rewrites the digits of one frame buffer per conversation and matches acks by the
// number it reads back, so the two must agree for every number a run can reach.

describe('loadgen message ids', () => {
  it.each([0, 1, 9, 10, 12_345, 99_999_999])('reads back %i from a frame whose digits were rewritten in place', (n) => {
    const id = messageId('sat-7', 0)
    const frame = Buffer.from(JSON.stringify({ clientMsgId: id }))
    writeMessageNumber(frame, frame.indexOf(id) + id.length - ID_DIGITS, n)
    const sent = (JSON.parse(frame.toString()) as { clientMsgId: string }).clientMsgId
    expect({ sent, n: messageNumber(sent) }).toEqual({ sent: messageId('sat-7', n), n })
  })

  it.each(['sat-7-setup', 'sat-7-123', '12345678', 'sat-7_00000001', 'sat-7-0000000x'])('gives -1 for %s, which no measured message has', (id) => {
    expect(messageNumber(id)).toBe(-1)
  })
})

describe('loadgen conversation ids', () => {
  // Masking refuses a clientMsgId holding 13+ digits (dashes between them allowed) that pass Luhn,
  // as a card number; the ids must never come near that, whatever the run tag's time digits.
  it.each(['sat12345678', 'fixm1r5x8k2', 'sca99999999'])('keeps every id of run %s under 13 digits in a row', (tag) => {
    const longest = (id: string) => Math.max(...id.replace(/-/g, '').split(/\D+/).map((d) => d.length))
    const ids = [0, 7, 199, 99_999].map((i) => messageId(conversationId(tag, i), 99_999_999))
    expect(ids.map(longest).every((n) => n < 13)).toBe(true)
    expect(messageNumber(messageId(conversationId(tag, 199), 42))).toBe(42)
  })
})
