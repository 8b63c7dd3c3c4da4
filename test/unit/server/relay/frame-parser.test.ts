import { describe, expect, it } from 'vitest'
import { parseClientFrame } from '../../../../server/src/relay/frame-parser.js'

const MAX = 1024
const parse = (frame: unknown, max = MAX) => parseClientFrame(Buffer.from(typeof frame === 'string' ? frame : JSON.stringify(frame)), false, max)

describe('parseClientFrame', () => {
  it.each([
    ['hello', { type: 'hello', protocol: 1, auth: { kind: 'visitor' } }],
    ['message.send', { type: 'message.send', convId: 'c1', clientMsgId: 'm1', text: 'hi' }],
    ['typing.start', { type: 'typing.start', convId: 'c1' }],
    ['typing.stop', { type: 'typing.stop', convId: 'c1' }],
    ['message.read', { type: 'message.read', convId: 'c1', seq: 3 }],
    ['conversation.resume', { type: 'conversation.resume', convs: [{ convId: 'c1', afterSeq: 0 }] }],
    ['conversation.join', { type: 'conversation.join', convId: 'c1' }],
    ['conversation.close', { type: 'conversation.close', convId: 'c1' }],
    ['ping', { type: 'ping', ref: 'p1' }],
  ])('accepts a valid %s frame as it is', (_type, frame) => {
    expect(parse(frame)).toEqual({ ok: true, frame })
  })

  it('refuses a binary frame with PARLEY_ERR_FRAME_BINARY', () => {
    const data = Buffer.from(JSON.stringify({ type: 'ping' }))
    expect(parseClientFrame(data, true, MAX)).toMatchObject({ ok: false, code: 'PARLEY_ERR_FRAME_BINARY' })
  })

  it('refuses a frame over the byte limit with PARLEY_ERR_FRAME_TOO_LARGE and both sizes', () => {
    const data = Buffer.from(JSON.stringify({ type: 'ping', ref: 'x'.repeat(MAX) }))
    expect(parseClientFrame(data, false, MAX)).toEqual({ ok: false, code: 'PARLEY_ERR_FRAME_TOO_LARGE', args: [data.length, MAX] })
  })

  it('counts the limit in bytes, not characters', () => {
    // 400 three-byte characters: 400 characters, 1,200+ bytes.
    const r = parse({ type: 'message.send', convId: 'c1', clientMsgId: 'm1', text: '€'.repeat(400) })
    expect(r).toMatchObject({ ok: false, code: 'PARLEY_ERR_FRAME_TOO_LARGE' })
  })

  it('accepts a frame of exactly the byte limit', () => {
    const base = JSON.stringify({ type: 'message.send', convId: 'c1', clientMsgId: 'm1', text: '' })
    const frame = { type: 'message.send', convId: 'c1', clientMsgId: 'm1', text: 'x'.repeat(MAX - base.length) }
    expect(Buffer.byteLength(JSON.stringify(frame))).toBe(MAX)
    expect(parse(frame).ok).toBe(true)
  })

  it.each([
    ['text that is not JSON', '{"type": "ping"'],
    ['a JSON array', '[{"type":"ping"}]'],
    ['JSON null', 'null'],
    ['a JSON string', '"ping"'],
    ['a JSON number', '42'],
  ])('refuses %s with PARLEY_ERR_FRAME_MALFORMED', (_what, text) => {
    expect(parse(text)).toEqual({ ok: false, code: 'PARLEY_ERR_FRAME_MALFORMED', args: [] })
  })

  it('refuses an object without a type with PARLEY_ERR_FRAME_INVALID', () => {
    expect(parse({ convId: 'c1' })).toMatchObject({ ok: false, code: 'PARLEY_ERR_FRAME_INVALID', args: ['(no type)', '/type is required'] })
  })

  it('refuses an unknown type with PARLEY_ERR_FRAME_UNKNOWN_TYPE, quoting the type', () => {
    expect(parse({ type: 'message.delete' })).toMatchObject({ ok: false, code: 'PARLEY_ERR_FRAME_UNKNOWN_TYPE', args: ['"message.delete"'] })
  })

  it('quotes at most 64 characters of an unknown type', () => {
    const r = parse({ type: 'x'.repeat(500) })
    expect(r).toMatchObject({ ok: false, code: 'PARLEY_ERR_FRAME_UNKNOWN_TYPE', args: [`"${'x'.repeat(64)}"`] })
  })

  it('does not treat inherited property names as frame types', () => {
    expect(parse({ type: 'constructor' })).toMatchObject({ ok: false, code: 'PARLEY_ERR_FRAME_UNKNOWN_TYPE' })
  })

  it.each([
    ['a missing field', { type: 'message.send', convId: 'c1', text: 'hi' }, '/clientMsgId'],
    ['an extra field', { type: 'ping', admin: true }, '/'],
    ['an id with forbidden characters', { type: 'conversation.join', convId: 'c 1' }, '/convId'],
    ['a negative seq', { type: 'message.read', convId: 'c1', seq: -1 }, '/seq'],
    ['a wrong field type', { type: 'message.send', convId: 'c1', clientMsgId: 'm1', text: 5 }, '/text'],
  ])('refuses %s with PARLEY_ERR_FRAME_INVALID naming the type and the path', (_what, frame, path) => {
    const r = parse(frame)
    expect(r).toMatchObject({ ok: false, code: 'PARLEY_ERR_FRAME_INVALID' })
    const args = (r as { args: string[] }).args
    expect(args[0]).toBe(frame.type)
    expect(args[1]!.startsWith(path)).toBe(true)
  })

  it('echoes a short ref in the refusal', () => {
    expect(parse({ type: 'ping', ref: 'r-1', extra: 1 })).toMatchObject({ ok: false, ref: 'r-1' })
  })

  it('echoes the clientMsgId of a refused message.send that has no ref', () => {
    expect(parse({ type: 'message.send', convId: 'c1', clientMsgId: 'm-7', text: 5 })).toMatchObject({ ok: false, ref: 'm-7' })
  })

  it('echoes a ref of exactly 64 characters', () => {
    const ref = 'r'.repeat(64)
    expect(parse({ type: 'nope', ref })).toMatchObject({ ok: false, ref })
  })

  it.each([
    ['a ref over 64 characters', { type: 'nope', ref: 'r'.repeat(65) }],
    ['a clientMsgId over 64 characters', { type: 'message.send', convId: 'c1', clientMsgId: 'm'.repeat(65), text: 'hi' }],
    ['a ref that is not a string', { type: 'nope', ref: { evil: true } }],
  ])('echoes no ref for %s', (_what, frame) => {
    const r = parse(frame)
    expect(r.ok).toBe(false)
    expect((r as { ref?: string }).ref).toBeUndefined()
  })
})
