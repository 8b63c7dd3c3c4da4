import { describe, expect, it } from 'vitest'
import { createConnection, createMemoryStorage, type KeyValueStorage } from '../../../../sdk/src/connection/connection.js'
import { createFakeSockets, createManualClock, welcomeFrame } from '../../../helpers/fake-socket.js'
import { until } from '../../../helpers/until.js'

// With holdAcked the client keeps each acked message (as stored: the ack's text) until the caller
// says it saved it elsewhere, so a page that goes away between an ack and its own save loses
// nothing; the relay's message.redacted reaches the held copy too. And a context updated between a
// hello and its welcome is sent after the welcome.

async function openClient(storage: KeyValueStorage, holdAcked: boolean) {
  const { sockets, WebSocket } = createFakeSockets()
  const conn = createConnection({
    url: 'ws://localhost/v1/live', auth: { kind: 'visitor' }, WebSocket, storage, clock: createManualClock(), holdAcked,
    context: () => ({ url: 'https://shop.example/' }),
  })
  conn.start()
  await until(() => sockets.length === 1, 'socket')
  sockets[0]!.open()
  return { conn, socket: sockets[0]! }
}

async function sendAcked(c: Awaited<ReturnType<typeof openClient>>, text: string, ackText?: string) {
  c.socket.receive(welcomeFrame())
  const entry = await c.conn.send('c1', text)
  await until(() => c.socket.sent.some((f) => f.type === 'message.send'), 'sent')
  c.socket.receive({ type: 'message.ack', convId: 'c1', clientMsgId: entry.clientMsgId, seq: 1, at: 7, ...(ackText ? { text: ackText } : {}) })
  await until(async () => (await c.conn.outbox()).length === 0, 'acked')
  return entry
}

describe('held acked messages', () => {
  it('keeps an acked message with the text the relay stored until released', async () => {
    const storage = createMemoryStorage()
    const c = await openClient(storage, true)
    const entry = await sendAcked(c, 'card 4111', 'card [card]')
    expect(await c.conn.held()).toMatchObject([{ convId: 'c1', seq: 1, clientMsgId: entry.clientMsgId, text: 'card [card]', at: 7 }])
    await c.conn.stop()
    // The next page finds it.
    const next = createConnection({ url: 'ws://x', auth: { kind: 'visitor' }, WebSocket: createFakeSockets().WebSocket, storage, holdAcked: true })
    expect((await next.held()).map((m) => m.text)).toEqual(['card [card]'])
    await next.release([entry.clientMsgId])
    expect(await next.held()).toEqual([])
  })

  it('gives a held message the text of a message.redacted for it', async () => {
    const c = await openClient(createMemoryStorage(), true)
    await sendAcked(c, 'my card 4111 1111')
    c.socket.receive({ type: 'message.redacted', convId: 'c1', seq: 1, text: 'my card [card]' })
    await until(async () => (await c.conn.held())[0]?.text === 'my card [card]', 'held copy redacted')
    await c.conn.stop()
  })

  it('forgets the held messages of a conversation the relay says was erased', async () => {
    const c = await openClient(createMemoryStorage(), true)
    await sendAcked(c, 'my address is 1 Elm Street')
    expect(await c.conn.held()).toHaveLength(1)
    c.socket.receive({ type: 'conversation.erased', convId: 'c1', erasedAt: 9 })
    await until(async () => (await c.conn.held()).length === 0, 'held copy dropped')
    await c.conn.stop()
  })

  it('keeps nothing without holdAcked', async () => {
    const storage = createMemoryStorage()
    const c = await openClient(storage, false)
    await sendAcked(c, 'hello')
    expect(await c.conn.held()).toEqual([])
    expect(await storage.keys('parley:held:')).toEqual([])
    await c.conn.stop()
  })
})

describe('context between hello and welcome', () => {
  it('sends a context updated after the hello went, once the welcome arrives', async () => {
    const c = await openClient(createMemoryStorage(), false)
    expect(c.socket.sent.find((f) => f.type === 'hello')!['context']).toEqual({ url: 'https://shop.example/' })
    c.conn.updateContext({ url: 'https://shop.example/', values: { plan: 'pro' } })
    expect(c.socket.sent.some((f) => f.type === 'context.update')).toBe(false)
    c.socket.receive(welcomeFrame())
    await until(() => c.socket.sent.some((f) => f.type === 'context.update'), 'context.update')
    expect(c.socket.sent.filter((f) => f.type === 'context.update')).toEqual([{ type: 'context.update', context: { url: 'https://shop.example/', values: { plan: 'pro' } } }])
    await c.conn.stop()
  })

  it('sends no update when the context did not change', async () => {
    const c = await openClient(createMemoryStorage(), false)
    c.socket.receive(welcomeFrame())
    await until(() => c.conn.state.kind === 'open', 'open')
    expect(c.socket.sent.some((f) => f.type === 'context.update')).toBe(false)
    await c.conn.stop()
  })
})
