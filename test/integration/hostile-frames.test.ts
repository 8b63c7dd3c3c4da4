import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ErrorCode } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorFrame, expectOpen, expectRefusal } from '../helpers/expect-error.js'
import { agentOf, sendAndAck, visitorOf, visitorSocket } from '../helpers/tracked-clients.js'
import { expectServing, listBrandConversations, readTranscript } from '../helpers/transcript.js'

// Whatever arrives on the socket, the relay answers with a typed error (the table's retryable flag
// and close code), stores nothing, and keeps serving everyone else.

const MAX_FRAME = 4096
const MAX_TEXT = 200

const send = (extra: Record<string, unknown> = {}) => ({ type: 'message.send', convId: 'h-conv', clientMsgId: 'h1', text: 'hi', ...extra })
const json = (v: unknown) => JSON.stringify(v)

/** One hostile frame, what it must be answered with, and the ref the error must echo (if any). */
interface HostileCase { name: string; data: string | Buffer; binary?: boolean; code: ErrorCode; ref?: string }

const CASES: HostileCase[] = [
  { name: 'text that is not JSON', data: 'hello relay', code: 'PARLEY_ERR_FRAME_MALFORMED' },
  { name: 'truncated JSON', data: '{"type":"message.send","convId":"h-conv"', code: 'PARLEY_ERR_FRAME_MALFORMED' },
  { name: 'an empty text frame', data: '', code: 'PARLEY_ERR_FRAME_MALFORMED' },
  { name: 'a JSON array', data: json([send()]), code: 'PARLEY_ERR_FRAME_MALFORMED' },
  { name: 'a JSON number', data: '42', code: 'PARLEY_ERR_FRAME_MALFORMED' },
  { name: 'JSON null', data: 'null', code: 'PARLEY_ERR_FRAME_MALFORMED' },
  { name: 'a JSON string', data: '"message.send"', code: 'PARLEY_ERR_FRAME_MALFORMED' },
  { name: 'JSON true', data: 'true', code: 'PARLEY_ERR_FRAME_MALFORMED' },
  { name: 'an object without a type', data: json({ convId: 'h-conv', clientMsgId: 'h1', text: 'hi' }), code: 'PARLEY_ERR_FRAME_INVALID', ref: 'h1' },
  { name: 'a numeric type', data: json(send({ type: 7 })), code: 'PARLEY_ERR_FRAME_INVALID', ref: 'h1' },
  { name: 'a numeric text', data: json(send({ text: 123 })), code: 'PARLEY_ERR_FRAME_INVALID', ref: 'h1' },
  { name: 'text as an array', data: json(send({ text: ['hi'] })), code: 'PARLEY_ERR_FRAME_INVALID', ref: 'h1' },
  { name: 'text as an object', data: json(send({ text: { toString: 'hi' } })), code: 'PARLEY_ERR_FRAME_INVALID', ref: 'h1' },
  { name: 'a numeric convId', data: json(send({ convId: 5 })), code: 'PARLEY_ERR_FRAME_INVALID', ref: 'h1' },
  { name: 'a missing text', data: json({ type: 'message.send', convId: 'h-conv', clientMsgId: 'h1' }), code: 'PARLEY_ERR_FRAME_INVALID', ref: 'h1' },
  { name: 'an extra property', data: json(send({ admin: true })), code: 'PARLEY_ERR_FRAME_INVALID', ref: 'h1' },
  { name: 'a __proto__ property', data: '{"type":"message.send","convId":"h-conv","clientMsgId":"h1","text":"hi","__proto__":{"admin":true}}', code: 'PARLEY_ERR_FRAME_INVALID', ref: 'h1' },
  { name: 'an extra property in the visitor context', data: json({ type: 'typing.start', convId: 'h-conv', ref: 'x', context: {} }), code: 'PARLEY_ERR_FRAME_INVALID', ref: 'x' },
  { name: 'an unknown frame type', data: json({ type: 'message.delete', convId: 'h-conv', ref: 'u1' }), code: 'PARLEY_ERR_FRAME_UNKNOWN_TYPE', ref: 'u1' },
  { name: 'the type __proto__', data: json({ type: '__proto__' }), code: 'PARLEY_ERR_FRAME_UNKNOWN_TYPE' },
  { name: 'the type constructor', data: json({ type: 'constructor' }), code: 'PARLEY_ERR_FRAME_UNKNOWN_TYPE' },
  { name: 'the type hasOwnProperty', data: json({ type: 'hasOwnProperty' }), code: 'PARLEY_ERR_FRAME_UNKNOWN_TYPE' },
  { name: 'a server frame type (message.new)', data: json({ type: 'message.new', convId: 'h-conv', seq: 1, clientMsgId: 'h1', from: { kind: 'agent', id: 'a' }, text: 'fake', at: 1 }), code: 'PARLEY_ERR_FRAME_UNKNOWN_TYPE', ref: 'h1' },
  { name: 'a server frame type (welcome)', data: json({ type: 'welcome' }), code: 'PARLEY_ERR_FRAME_UNKNOWN_TYPE' },
  { name: 'a binary frame holding a valid message', data: Buffer.from(json(send())), binary: true, code: 'PARLEY_ERR_FRAME_BINARY' },
  { name: 'a convId with a slash', data: json(send({ convId: 'a/b' })), code: 'PARLEY_ERR_FRAME_INVALID', ref: 'h1' },
  { name: 'a convId with path traversal', data: json(send({ convId: '../../etc' })), code: 'PARLEY_ERR_FRAME_INVALID', ref: 'h1' },
  { name: 'a convId with a space', data: json(send({ convId: 'a b' })), code: 'PARLEY_ERR_FRAME_INVALID', ref: 'h1' },
  { name: 'a convId with a trailing newline', data: json(send({ convId: 'h-conv\n' })), code: 'PARLEY_ERR_FRAME_INVALID', ref: 'h1' },
  { name: 'a convId with a NUL character', data: json(send({ convId: 'h\u0000conv' })), code: 'PARLEY_ERR_FRAME_INVALID', ref: 'h1' },
  { name: 'a convId with non-ASCII letters', data: json(send({ convId: 'caf\u00e9' })), code: 'PARLEY_ERR_FRAME_INVALID', ref: 'h1' },
  { name: 'an empty convId', data: json(send({ convId: '' })), code: 'PARLEY_ERR_FRAME_INVALID', ref: 'h1' },
  { name: 'a convId of 65 characters', data: json(send({ convId: 'c'.repeat(65) })), code: 'PARLEY_ERR_FRAME_INVALID', ref: 'h1' },
  { name: 'a clientMsgId with SQL in it', data: json(send({ clientMsgId: "m1'; DROP TABLE messages;--" })), code: 'PARLEY_ERR_FRAME_INVALID', ref: "m1'; DROP TABLE messages;--" },
  { name: 'a clientMsgId of 65 characters', data: json(send({ clientMsgId: 'm'.repeat(65) })), code: 'PARLEY_ERR_FRAME_INVALID' },
  { name: 'a ref of 65 characters', data: json({ type: 'ping', ref: 'r'.repeat(65) }), code: 'PARLEY_ERR_FRAME_INVALID' },
  { name: 'a negative read seq', data: json({ type: 'message.read', convId: 'h-conv', seq: -1, ref: 'r' }), code: 'PARLEY_ERR_FRAME_INVALID', ref: 'r' },
  { name: 'a fractional read seq', data: json({ type: 'message.read', convId: 'h-conv', seq: 1.5, ref: 'r' }), code: 'PARLEY_ERR_FRAME_INVALID', ref: 'r' },
  { name: 'deeply nested JSON', data: `{"type":"ping","ref":${'{"a":'.repeat(600)}1${'}'.repeat(600)}}`, code: 'PARLEY_ERR_FRAME_INVALID' },
  { name: 'a resume list of non-objects', data: json({ type: 'conversation.resume', convs: ['h-conv'], ref: 'r' }), code: 'PARLEY_ERR_FRAME_INVALID', ref: 'r' },
]

describe('hostile frames', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay({ limits: { maxFrameBytes: MAX_FRAME, maxTextLength: MAX_TEXT } }) })
  afterAll(async () => { await relay.close() })

  /** A brand and a visitor past welcome on it. */
  async function visitorOfNewBrand() {
    const brand = await createTestBrand(relay)
    return { brand, ...(await visitorOf(relay, brand)) }
  }

  /** The brand stored nothing; then another visitor of the brand is still served. */
  async function expectNothingStoredAndServing(brand: TestBrand): Promise<void> {
    expect(await listBrandConversations(relay, brand)).toEqual([])
    await expectServing(relay, brand)
  }

  describe.each(CASES)('$name', ({ data, binary, code, ref }) => {
    it(`is answered with ${code}, stores nothing, and other clients are still served`, async () => {
      const { brand, client } = await visitorOfNewBrand()
      client.sendRaw(data, binary ?? false)
      const err = await expectRefusal(client, code)
      expect(err.ref).toBe(ref)
      await expectNothingStoredAndServing(brand)
    })
  })

  it('answers a frame over maxFrameBytes with PARLEY_ERR_FRAME_TOO_LARGE and keeps the connection usable', async () => {
    const { brand, client } = await visitorOfNewBrand()
    client.send(send({ text: 'x'.repeat(MAX_FRAME + 100) }))
    // The table's close code (1009) is for the hard cap below; between 1x and 4x the socket stays open.
    expectErrorFrame(await client.error('PARLEY_ERR_FRAME_TOO_LARGE'), 'PARLEY_ERR_FRAME_TOO_LARGE')
    await expectOpen(client)
    expect(await listBrandConversations(relay, brand)).toEqual([])
    expect(await sendAndAck(client, 'after-large', 'm2', 'small again')).toBe(1)
  })

  it('closes the connection with 1009 for a frame over four times maxFrameBytes and keeps serving others', async () => {
    const { brand, client } = await visitorOfNewBrand()
    client.send(send({ text: 'x'.repeat(4 * MAX_FRAME + 1) }))
    expect(await client.closed()).toBe(1009)
    await expectNothingStoredAndServing(brand)
  })

  it('answers text over maxTextLength with PARLEY_ERR_MESSAGE_TOO_LONG and stores nothing', async () => {
    const { brand, client } = await visitorOfNewBrand()
    client.send(send({ text: 'y'.repeat(MAX_TEXT + 1) }))
    expect((await expectRefusal(client, 'PARLEY_ERR_MESSAGE_TOO_LONG')).ref).toBe('h1')
    await expectNothingStoredAndServing(brand)
  })

  it('accepts text of exactly maxTextLength', async () => {
    const { brand, client } = await visitorOfNewBrand()
    expect(await sendAndAck(client, 'h-conv', 'h1', 'y'.repeat(MAX_TEXT))).toBe(1)
    expect((await readTranscript(relay, brand, 'h-conv'))[0]!.text).toHaveLength(MAX_TEXT)
  })

  it.each([
    ['empty text', ''],
    ['spaces', '     '],
    ['whitespace and line breaks', ' \n\t\r\n '],
    ['control characters only', '\u0000\u0001\u001b\u007f'],
    ['zero-width spaces', '\u200b\u200b\u200b'],
    ['a byte order mark and a word joiner', '\ufeff\u2060'],
    ['soft hyphens', '\u00ad\u00ad'],
    ['bidi controls', '\u202e\u2066\u2069\u200f\u061c'],
    ['invisible characters between spaces', ' \u200b \u200d\u00a0\u3000 '],
  ])('answers %s with PARLEY_ERR_MESSAGE_EMPTY and opens no conversation', async (_name, text) => {
    const { brand, client } = await visitorOfNewBrand()
    client.send(send({ text }))
    expect((await expectRefusal(client, 'PARLEY_ERR_MESSAGE_EMPTY')).ref).toBe('h1')
    await expectNothingStoredAndServing(brand)
  })

  it.each([
    ['message.send', send()],
    ['ping', { type: 'ping', ref: 'p' }],
    ['conversation.join', { type: 'conversation.join', convId: 'h-conv' }],
    ['conversation.resume', { type: 'conversation.resume', convs: [{ convId: 'h-conv', afterSeq: 0 }] }],
  ])('closes a connection that sends %s before hello with PARLEY_ERR_PROTOCOL_HELLO_REQUIRED and 4402', async (_name, frame) => {
    const brand = await createTestBrand(relay)
    const client = await visitorSocket(relay, brand)
    client.send(frame)
    await expectRefusal(client, 'PARLEY_ERR_PROTOCOL_HELLO_REQUIRED')
    await expectNothingStoredAndServing(brand)
  })

  it('answers a second hello with PARLEY_ERR_PROTOCOL_ALREADY_HELLO and keeps the first identity', async () => {
    const brand = await createTestBrand(relay)
    const other = await visitorOf(relay, brand)
    await sendAndAck(other.client, 'other-conv', 'o1', 'not yours')
    const { client, visitorId } = await visitorOf(relay, brand)
    client.send({ type: 'hello', protocol: 1, auth: { kind: 'visitor', token: other.token }, ref: 'h2' })
    expect((await expectRefusal(client, 'PARLEY_ERR_PROTOCOL_ALREADY_HELLO')).ref).toBe('h2')
    expect(client.all('welcome')).toHaveLength(1)
    client.send({ type: 'message.send', convId: 'other-conv', clientMsgId: 'steal', text: 'mine now?' })
    await expectRefusal(client, 'PARLEY_ERR_CONV_NOT_FOUND')
    await sendAndAck(client, 'own-conv', 'm1', 'mine')
    const own = await callRest(relay, { url: '/v1/conversations/own-conv', token: brand.apiKey })
    expect(own.body.visitorId).toBe(visitorId)
    expect((await readTranscript(relay, brand, 'other-conv')).map((m) => m.text)).toEqual(['not yours'])
  })

  it('answers two hellos sent back to back with one welcome and PARLEY_ERR_PROTOCOL_ALREADY_HELLO', async () => {
    const brand = await createTestBrand(relay)
    const agent = await createTestAgent(relay, brand.brandId)
    const client = await visitorSocket(relay, brand)
    client.send({ type: 'hello', protocol: 1, auth: { kind: 'visitor' }, ref: 'first' })
    client.send({ type: 'hello', protocol: 1, auth: { kind: 'agent', token: agent.token }, ref: 'second' })
    const welcome = await client.next('welcome')
    expect(welcome.identity.kind).toBe('visitor')
    expect((await expectRefusal(client, 'PARLEY_ERR_PROTOCOL_ALREADY_HELLO')).ref).toBe('second')
    expect(client.all('welcome')).toHaveLength(1)
  })

  it.each([2, 999_999])('closes a hello for protocol %s with PARLEY_ERR_PROTOCOL_VERSION and 4400', async (protocol) => {
    const brand = await createTestBrand(relay)
    const client = await visitorSocket(relay, brand)
    client.send({ type: 'hello', protocol, auth: { kind: 'visitor' }, ref: 'v' })
    expect((await expectRefusal(client, 'PARLEY_ERR_PROTOCOL_VERSION')).ref).toBe('v')
    expect(client.all('welcome')).toEqual([])
    await expectNothingStoredAndServing(brand)
  })

  it.each([0, 1.5, '1'])('closes a hello for protocol %j (not a valid hello) with PARLEY_ERR_PROTOCOL_HELLO_REQUIRED and 4402', async (protocol) => {
    const brand = await createTestBrand(relay)
    const client = await visitorSocket(relay, brand)
    client.send({ type: 'hello', protocol, auth: { kind: 'visitor' }, ref: 'v' })
    expect((await expectRefusal(client, 'PARLEY_ERR_PROTOCOL_HELLO_REQUIRED')).ref).toBe('v')
    expect(client.all('welcome')).toEqual([])
    await expectNothingStoredAndServing(brand)
  })

  it.each([
    ['text that is not JSON', 'hello relay', false],
    ['truncated JSON', '{"type":"hello","protocol":1', false],
    ['a JSON array', '[]', false],
    ['an unknown frame type', JSON.stringify({ type: 'message.delete' }), false],
    ['a binary frame holding a valid hello', Buffer.from(JSON.stringify({ type: 'hello', protocol: 1, auth: { kind: 'visitor' } })), true],
  ] as const)('closes a connection whose first frame is %s with PARLEY_ERR_PROTOCOL_HELLO_REQUIRED and 4402, not at the hello timeout', async (_name, data, binary) => {
    const brand = await createTestBrand(relay)
    const client = await visitorSocket(relay, brand)
    client.sendRaw(data, binary)
    await expectRefusal(client, 'PARLEY_ERR_PROTOCOL_HELLO_REQUIRED')
    expect(client.frames.map((f) => f.type === 'error' && f.code)).toEqual(['PARLEY_ERR_PROTOCOL_HELLO_REQUIRED'])
    await expectNothingStoredAndServing(brand)
  })

  it('never reflects more than a bounded slice of a hostile type name in an error', async () => {
    const { client } = await visitorOfNewBrand()
    const name = `evil${'A'.repeat(3000)}`
    client.send({ type: name })
    const err = await expectRefusal(client, 'PARLEY_ERR_FRAME_UNKNOWN_TYPE')
    expect(err.message.length).toBeLessThan(300)
    expect(err.message).not.toContain(name)
  })

  it('never reflects more than a bounded slice of a hostile property name in an error', async () => {
    const { client } = await visitorOfNewBrand()
    const key = `k${'B'.repeat(3000)}`
    client.send({ type: 'ping', ref: 'p', [key]: 1 })
    const err = await expectRefusal(client, 'PARLEY_ERR_FRAME_INVALID')
    expect(err.message.length).toBeLessThan(300)
    expect(err.message).not.toContain(key)
  })

  it.each([
    '<script>alert(1)</script>',
    '<img src=x onerror="alert(document.cookie)">',
    '"><svg/onload=alert(1)>',
    "{{constructor.constructor('alert(1)')()}}",
    '&lt;b&gt;already escaped&lt;/b&gt; & <b>bold</b>',
  ])('stores and relays %j verbatim as text', async (text) => {
    const brand = await createTestBrand(relay)
    const agentCreds = await createTestAgent(relay, brand.brandId)
    const visitor = await visitorOf(relay, brand)
    visitor.client.send({ type: 'message.send', convId: 'xss', clientMsgId: 'm1', text })
    const ack = await visitor.client.next('message.ack')
    expect(ack.text).toBeUndefined()
    const agent = await agentOf(relay, agentCreds)
    agent.send({ type: 'conversation.join', convId: 'xss' })
    await agent.next('conversation.joined')
    agent.send({ type: 'message.send', convId: 'xss', clientMsgId: 'a1', text })
    await agent.next('message.ack')
    expect((await visitor.client.next('message.new')).text).toBe(text)
    const res = await callRest(relay, { url: '/v1/conversations/xss/messages', token: brand.apiKey })
    expect(String(res.headers['content-type'])).toMatch(/^application\/json/)
    expect(res.body.messages.map((m: { text: string }) => m.text)).toEqual([text, text])
  })
})

describe('hello timeout', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay({ limits: { helloTimeoutMs: 200 } }) })
  afterAll(async () => { await relay.close() })

  it('closes a connection that sends no hello within helloTimeoutMs with PARLEY_ERR_PROTOCOL_HELLO_TIMEOUT and 4408', async () => {
    const brand = await createTestBrand(relay)
    const client = await visitorSocket(relay, brand)
    await expectRefusal(client, 'PARLEY_ERR_PROTOCOL_HELLO_TIMEOUT')
    expect(client.all('welcome')).toEqual([])
    await expectServing(relay, brand)
  })
})
