import { describe, expect, it } from 'vitest'
import {
  createConnection, createMemoryStorage, type Connection, type ConnectionEvents, type FetchLike, type KeyValueStorage,
} from '../../../../sdk/src/connection/connection.js'
import { createFakeSockets, createManualClock, welcomeFrame, type FakeSocket } from '../../../helpers/fake-socket.js'
import { until } from '../../../helpers/until.js'

// A visitor's files wait in the outbox with their message: uploaded (file, then thumbnail) with an
// Idempotency-Key made once per file, then the message goes with the attachment ids, in order with
// the other messages. A failed upload is retried with the same key; a typed refusal ends the entry.
// The relay's REST side is played by a small fetch that records every call.

interface Call { method: string; url: string; headers: Record<string, string>; body: unknown }

/** A fetch playing the relay's attachment routes; `fail` decides per call (network error or status). */
function relayFetch(fail: (call: Call, n: number) => 'network' | { status: number; code: string; retryable: boolean } | null = () => null) {
  const calls: Call[] = []
  const stored = new Map<string, string>()
  const fetch: FetchLike = async (url, init) => {
    const call: Call = { method: init.method, url, headers: init.headers, body: init.body }
    calls.push(call)
    const f = fail(call, calls.length)
    if (f === 'network') throw new TypeError('fetch failed')
    const json = (status: number, body: unknown) => ({ ok: status < 300, status, json: async () => body, blob: async () => new Blob([JSON.stringify(body)]) })
    if (f) return json(f.status, { code: f.code, message: f.code, retryable: f.retryable, requestId: 'r' })
    if (init.method === 'GET') return { ok: true, status: 200, json: async () => null, blob: async () => new Blob(['bytes'], { type: 'image/png' }) }
    if (url.endsWith('/thumbnail')) return json(204, null)
    const key = init.headers['idempotency-key']!
    if (!stored.has(key)) stored.set(key, `att${stored.size + 1}`)
    return json(201, {
      attachmentId: stored.get(key), name: decodeURIComponent(init.headers['x-parley-file-name']!), type: init.headers['content-type'],
      size: (init.body as Blob).size, thumbnail: false, createdAt: 1,
    })
  }
  return { fetch, calls, uploads: () => calls.filter((c) => c.method === 'POST' && !c.url.endsWith('/thumbnail')) }
}

let ids = 0
const newId = () => `id${++ids}`
const png = () => new Blob([new Uint8Array([137, 80, 78, 71])], { type: 'image/png' })
const FILE = () => ({ name: 'photo 1.png', type: 'image/png', data: png(), thumbnail: new Blob(['t'], { type: 'image/webp' }) })

async function openClient(storage: KeyValueStorage, fetch: FetchLike) {
  const { sockets, WebSocket } = createFakeSockets()
  const clock = createManualClock()
  const conn = createConnection({ url: 'wss://relay.example/v1/live?site=s', auth: { kind: 'visitor' }, WebSocket, storage, clock, newId, fetch })
  conn.start()
  await until(() => sockets.length === 1, 'socket')
  sockets[0]!.open()
  sockets[0]!.receive(welcomeFrame())
  await until(() => conn.state.kind === 'open', 'open')
  return { conn, socket: sockets[0]!, clock }
}

/** Moves the fake clock by less than any liveness timeout, for the upload retry's timer. */
const tick = (clock: { advance(ms: number): void }) => (clock.advance(300), true)

const sends = (socket: FakeSocket) => socket.sent.filter((f) => f.type === 'message.send')

function record<K extends keyof ConnectionEvents>(conn: Connection, event: K): ConnectionEvents[K][] {
  const seen: ConnectionEvents[K][] = []
  conn.on(event, (d) => seen.push(d))
  return seen
}

describe('files in the outbox', () => {
  it('uploads the file, then its thumbnail, then sends the message with the attachment id', async () => {
    const r = relayFetch()
    const c = await openClient(createMemoryStorage(), r.fetch)
    const entry = await c.conn.send('c1', 'look', [FILE()])
    await until(() => sends(c.socket).length === 1, 'message sent')
    expect(r.calls.map((x) => `${x.method} ${x.url}`)).toEqual([
      'POST https://relay.example/v1/attachments', 'POST https://relay.example/v1/attachments/att1/thumbnail',
    ])
    expect(r.calls[0]!.headers).toMatchObject({
      authorization: 'Bearer t', 'content-type': 'image/png', 'x-parley-file-name': 'photo%201.png', 'idempotency-key': entry.files![0]!.key,
    })
    expect(sends(c.socket)).toEqual([{ type: 'message.send', convId: 'c1', clientMsgId: entry.clientMsgId, text: 'look', attachments: ['att1'] }])
    await c.conn.stop()
  })

  it('retries a lost upload with the same Idempotency-Key and sends the message once', async () => {
    const r = relayFetch((call, n) => (n === 1 ? 'network' : null))
    const c = await openClient(createMemoryStorage(), r.fetch)
    await c.conn.send('c1', '', [{ name: 'a.pdf', type: 'application/pdf', data: new Blob(['%PDF-']) }])
    await until(() => r.calls.length === 1, 'first attempt')
    await until(() => tick(c.clock) && sends(c.socket).length === 1, 'message sent')
    expect(r.uploads().map((u) => u.headers['idempotency-key'])).toEqual([r.calls[0]!.headers['idempotency-key'], r.calls[0]!.headers['idempotency-key']])
    expect(sends(c.socket)[0]!.attachments).toEqual(['att1'])
    c.clock.advance(1000)
    expect(sends(c.socket)).toHaveLength(1)
    await c.conn.stop()
  })

  it('keeps a later message behind the file message until its upload is done', async () => {
    const r = relayFetch((call, n) => (n === 1 ? { status: 503, code: 'PARLEY_ERR_ATTACHMENT_STORE', retryable: true } : null))
    const c = await openClient(createMemoryStorage(), r.fetch)
    const first = await c.conn.send('c1', 'file', [FILE()])
    const second = await c.conn.send('c1', 'after')
    await until(() => r.calls.length === 1, 'first attempt')
    expect(sends(c.socket)).toEqual([])
    await until(() => tick(c.clock) && sends(c.socket).length === 2, 'both sent')
    expect(sends(c.socket).map((f) => f.clientMsgId)).toEqual([first.clientMsgId, second.clientMsgId])
    await c.conn.stop()
  })

  it('refuses the entry when the relay refuses the file for good, and sends the next message', async () => {
    const r = relayFetch((call) => (call.url.endsWith('/attachments') ? { status: 413, code: 'PARLEY_ERR_ATTACHMENT_TOO_LARGE', retryable: false } : null))
    const c = await openClient(createMemoryStorage(), r.fetch)
    const refused = record(c.conn, 'refused')
    const big = await c.conn.send('c1', 'big', [FILE()])
    const next = await c.conn.send('c1', 'next')
    await until(() => refused.length === 1 && sends(c.socket).length === 1, 'refused, next sent')
    expect(refused[0]!.entry.clientMsgId).toBe(big.clientMsgId)
    expect(refused[0]!.error.code).toBe('PARLEY_ERR_ATTACHMENT_TOO_LARGE')
    expect(sends(c.socket).map((f) => f.clientMsgId)).toEqual([next.clientMsgId])
    expect((await c.conn.outbox()).map((e) => e.clientMsgId)).toEqual([next.clientMsgId])
    c.clock.advance(1000)
    expect(r.uploads()).toHaveLength(1)
    await c.conn.stop()
  })

  it('sends the file without a thumbnail the relay refused', async () => {
    const r = relayFetch((call) => (call.url.endsWith('/thumbnail') ? { status: 415, code: 'PARLEY_ERR_ATTACHMENT_CONTENT', retryable: false } : null))
    const c = await openClient(createMemoryStorage(), r.fetch)
    await c.conn.send('c1', '', [FILE()])
    await until(() => sends(c.socket).length === 1, 'sent')
    expect(sends(c.socket)[0]!.attachments).toEqual(['att1'])
    await c.conn.stop()
  })

  it('keeps the files through a reload and resumes after the step that was done', async () => {
    const storage = createMemoryStorage()
    const r = relayFetch((call) => (call.url.endsWith('/thumbnail') ? 'network' : null))
    const first = await openClient(storage, r.fetch)
    const entry = await first.conn.send('c1', 'x', [FILE()])
    await until(() => r.calls.length === 2, 'file stored, thumbnail failed')
    await first.conn.stop()
    const stored = (await first.conn.outbox())[0]!
    expect(stored.files![0]!.ref?.attachmentId).toBe('att1')
    expect(await (stored.files![0]!.data as Blob).arrayBuffer()).toEqual(await png().arrayBuffer())

    const r2 = relayFetch()
    const again = await openClient(storage, r2.fetch)
    await until(() => sends(again.socket).length === 1, 'sent after reload')
    expect(r2.calls.map((x) => x.url)).toEqual(['https://relay.example/v1/attachments/att1/thumbnail'])
    expect(sends(again.socket)[0]).toMatchObject({ clientMsgId: entry.clientMsgId, attachments: ['att1'] })
    await again.conn.stop()
  })

  it('gives our own acked message the attachments the relay stored', async () => {
    const r = relayFetch()
    const c = await openClient(createMemoryStorage(), r.fetch)
    const messages = record(c.conn, 'message')
    const entry = await c.conn.send('c1', '', [FILE()])
    await until(() => sends(c.socket).length === 1, 'sent')
    const ref = { attachmentId: 'att1', name: 'photo 1.png', type: 'image/png', size: 4, thumbnail: true }
    c.socket.receive({ type: 'message.ack', convId: 'c1', clientMsgId: entry.clientMsgId, seq: 1, at: 5, attachments: [ref] })
    await until(() => messages.length === 1, 'own message')
    expect(messages[0]!.message.attachments).toEqual([ref])
    expect(await c.conn.outbox()).toEqual([])
    await c.conn.stop()
  })

  it('downloads a thumbnail with the visitor token', async () => {
    const r = relayFetch()
    const c = await openClient(createMemoryStorage(), r.fetch)
    const blob = await c.conn.download('att9', 'thumbnail')
    expect(blob.size).toBe(5)
    expect(r.calls[0]).toMatchObject({ method: 'GET', url: 'https://relay.example/v1/attachments/att9/thumbnail', headers: { authorization: 'Bearer t' } })
    await c.conn.stop()
  })

  it('rejects a download the relay refuses with its code', async () => {
    const r = relayFetch(() => ({ status: 404, code: 'PARLEY_ERR_ATTACHMENT_NOT_FOUND', retryable: false }))
    const c = await openClient(createMemoryStorage(), r.fetch)
    await expect(c.conn.download('att9')).rejects.toMatchObject({ code: 'PARLEY_ERR_ATTACHMENT_NOT_FOUND' })
    await c.conn.stop()
  })
})
