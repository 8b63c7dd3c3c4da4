import { describe, expect, it } from 'vitest'
import { ConnectionError, createConnection, createMemoryStorage, type KeyValueStorage } from '../../../../sdk/src/connection/connection.js'
import { createFakeSockets, createManualClock, welcomeFrame, type FakeSocket } from '../../../helpers/fake-socket.js'
import { until } from '../../../helpers/until.js'

// identify and forget on the live client, with the test playing the relay: the new visitor token
// is kept and said hello with at once, the outbox goes out under it, a refusal changes nothing, and
// forget leaves nothing of the visit in storage.

const CUSTOMER = { customerId: 'cust-1', name: 'Ada', verifiedAt: 1 }

/** A JWT-shaped token with `sub` (unsigned: the client never verifies, only the relay does). */
function tokenFor(sub: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
  return `${part({ alg: 'HS256' })}.${part({ sub, exp: 9e9 })}.sig`
}

function identified(ref: string, token = 'vt-customer'): object {
  return { type: 'visitor.identified', ref, identity: { kind: 'visitor', brandId: 'b1', visitorId: 'v-cust', token, expiresAt: 9e15, customer: CUSTOMER } }
}

function welcomeAs(token: string, customer?: object): object {
  const w = welcomeFrame() as { identity: Record<string, unknown> }
  return { ...w, identity: { ...w.identity, token, ...(customer ? { customer } : {}) } }
}

/** The relay closes the socket normally (as it does after answering an identity frame). */
function closeByRelay(ws: FakeSocket, code = 1000): void {
  ;(ws as { readyState: number }).readyState = 3
  ws.onclose?.({ code, reason: '' })
}

async function openClient(storage: KeyValueStorage = createMemoryStorage()) {
  const { sockets, WebSocket } = createFakeSockets()
  const clock = createManualClock()
  const conn = createConnection({ url: 'ws://localhost/v1/live', auth: { kind: 'visitor' }, WebSocket, storage, clock })
  conn.start()
  await until(() => sockets.length === 1, 'socket')
  sockets[0]!.open()
  sockets[0]!.receive(welcomeAs('vt-anon'))
  await until(() => conn.state.kind === 'open', 'open')
  return { conn, sockets, clock, storage }
}

const sentOf = (ws: FakeSocket, type: string) => ws.sent.filter((f) => f.type === type)

describe('identify', () => {
  it('keeps the new visitor token and says hello with it at once after the relay closes', async () => {
    const { conn, sockets, storage, clock } = await openClient()
    const pending = conn.identify(tokenFor('cust-1'))
    await until(() => sentOf(sockets[0]!, 'visitor.identify').length === 1, 'identify sent')
    const frame = sentOf(sockets[0]!, 'visitor.identify')[0]!
    expect(frame.token).toBe(tokenFor('cust-1'))
    sockets[0]!.receive(identified(String(frame.ref)))
    closeByRelay(sockets[0]!)
    await expect(pending).resolves.toEqual(CUSTOMER)
    expect(await storage.get('parley:token')).toBe('vt-customer')
    // No backoff: the next socket opens with the clock moved by nothing.
    clock.advance(0)
    await until(() => sockets.length === 2, 'reconnected')
    sockets[1]!.open()
    expect(sentOf(sockets[1]!, 'hello')[0]!.auth).toEqual({ kind: 'visitor', token: 'vt-customer' })
  })

  it('sends the unsent outbox under the new identity once, after the new welcome', async () => {
    const { conn, sockets, clock } = await openClient()
    const entry = await conn.send('c1', 'hello there')
    await until(() => sentOf(sockets[0]!, 'message.send').length === 1, 'sent unacked')
    const pending = conn.identify(tokenFor('cust-1'))
    await until(() => sentOf(sockets[0]!, 'visitor.identify').length === 1, 'identify sent')
    sockets[0]!.receive(identified(String(sentOf(sockets[0]!, 'visitor.identify')[0]!.ref)))
    closeByRelay(sockets[0]!)
    await pending
    clock.advance(0)
    await until(() => sockets.length === 2, 'reconnected')
    sockets[1]!.open()
    expect(sentOf(sockets[1]!, 'message.send')).toEqual([])
    sockets[1]!.receive(welcomeAs('vt-customer', CUSTOMER))
    await until(() => sentOf(sockets[1]!, 'message.send').length === 1, 'replayed')
    expect(sentOf(sockets[1]!, 'message.send')[0]!.clientMsgId).toBe(entry.clientMsgId)
    sockets[1]!.receive({ type: 'message.ack', convId: 'c1', clientMsgId: entry.clientMsgId, seq: 1, at: 2 })
    await until(async () => (await conn.outbox()).length === 0, 'acked')
    expect(sentOf(sockets[1]!, 'message.send')).toHaveLength(1)
  })

  it('rejects a refusal with its typed code and changes nothing', async () => {
    const { conn, sockets, storage } = await openClient()
    const pending = conn.identify(tokenFor('cust-1'))
    await until(() => sentOf(sockets[0]!, 'visitor.identify').length === 1, 'identify sent')
    const ref = String(sentOf(sockets[0]!, 'visitor.identify')[0]!.ref)
    sockets[0]!.receive({ type: 'error', code: 'PARLEY_ERR_IDENTITY_EXPIRED', message: 'Identity token has expired', retryable: false, ref })
    const err = await pending.catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConnectionError)
    expect((err as ConnectionError).code).toBe('PARLEY_ERR_IDENTITY_EXPIRED')
    expect(await storage.get('parley:token')).toBe('vt-anon')
    expect(conn.state.kind).toBe('open')
    expect(sockets).toHaveLength(1)
  })

  it('sends a token for the customer already verified too, and keeps the socket when the relay answers the same visitor', async () => {
    const { sockets, WebSocket } = createFakeSockets()
    const storage = createMemoryStorage()
    const conn = createConnection({ url: 'ws://localhost/v1/live', auth: { kind: 'visitor' }, WebSocket, storage, clock: createManualClock() })
    // Idle: identify connects and waits for the welcome.
    const pending = conn.identify(tokenFor('cust-1'))
    await until(() => sockets.length === 1, 'socket')
    sockets[0]!.open()
    sockets[0]!.receive(welcomeAs('vt-customer', CUSTOMER))
    await until(() => sentOf(sockets[0]!, 'visitor.identify').length === 1, 'identify sent')
    const ref = String(sentOf(sockets[0]!, 'visitor.identify')[0]!.ref)
    sockets[0]!.receive({ type: 'visitor.identified', ref, identity: { kind: 'visitor', brandId: 'b1', visitorId: 'v1', token: 'vt-again', expiresAt: 9e15, customer: CUSTOMER } })
    await expect(pending).resolves.toEqual(CUSTOMER)
    expect(await storage.get('parley:token')).toBe('vt-again')
    // Then another message on the same socket: nothing waits for a reconnect.
    await conn.send('c1', 'still here')
    await until(() => sentOf(sockets[0]!, 'message.send').length === 1, 'sent on the same socket')
    expect(sockets).toHaveLength(1)
  })

  it('sends a token for another customer even when already verified', async () => {
    const { sockets, WebSocket } = createFakeSockets()
    const conn = createConnection({ url: 'ws://localhost/v1/live', auth: { kind: 'visitor' }, WebSocket, storage: createMemoryStorage(), clock: createManualClock() })
    conn.start()
    await until(() => sockets.length === 1, 'socket')
    sockets[0]!.open()
    sockets[0]!.receive(welcomeAs('vt-customer', CUSTOMER))
    await until(() => conn.state.kind === 'open', 'open')
    void conn.identify(tokenFor('cust-2')).catch(() => {})
    await until(() => sentOf(sockets[0]!, 'visitor.identify').length === 1, 'identify sent')
  })

  it('sends an identify made just after another customer\'s answer on the next socket, not the one the relay closes', async () => {
    const { conn, sockets, clock } = await openClient()
    const first = conn.identify(tokenFor('cust-1'))
    await until(() => sentOf(sockets[0]!, 'visitor.identify').length === 1, 'first identify sent')
    sockets[0]!.receive(identified(String(sentOf(sockets[0]!, 'visitor.identify')[0]!.ref)))
    await first
    // The page identifies again before the relay's close after that answer has arrived.
    const second = conn.identify(tokenFor('cust-2'))
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(sentOf(sockets[0]!, 'visitor.identify')).toHaveLength(1)
    closeByRelay(sockets[0]!)
    clock.advance(0)
    await until(() => sockets.length === 2, 'reconnected')
    sockets[1]!.open()
    sockets[1]!.receive(welcomeAs('vt-customer', CUSTOMER))
    await until(() => sentOf(sockets[1]!, 'visitor.identify').length === 1, 'second identify sent on the new socket')
    const other = { ...CUSTOMER, customerId: 'cust-2' }
    sockets[1]!.receive({ ...identified(String(sentOf(sockets[1]!, 'visitor.identify')[0]!.ref), 'vt-cust-2'), identity: { kind: 'visitor', brandId: 'b1', visitorId: 'v-cust-2', token: 'vt-cust-2', expiresAt: 9e15, customer: other } })
    await expect(second).resolves.toEqual(other)
  })

  it('fails as lost when the socket closes before the answer, keeping the old token', async () => {
    const { conn, sockets, storage } = await openClient()
    const pending = conn.identify(tokenFor('cust-1'))
    await until(() => sentOf(sockets[0]!, 'visitor.identify').length === 1, 'identify sent')
    closeByRelay(sockets[0]!, 1006)
    const err = await pending.catch((e: unknown) => e)
    expect((err as ConnectionError).code).toBe('PARLEY_ERR_CONNECTION_LOST')
    expect(await storage.get('parley:token')).toBe('vt-anon')
  })
})

describe('forget', () => {
  it('tells the relay, deletes every stored key of the visit and starts over as a new visitor', async () => {
    const { conn, sockets, storage } = await openClient()
    sockets[0]!.receive({ type: 'message.new', convId: 'c1', seq: 1, clientMsgId: 'm0', from: { kind: 'agent', id: 'a1' }, text: 'hi', at: 1 })
    await until(async () => (await storage.get('parley:seq:c1')) === 1, 'cursor saved')
    await conn.send('c1', 'unsent')
    const done = conn.forget()
    await until(() => sentOf(sockets[0]!, 'visitor.forget').length === 1, 'forget sent')
    sockets[0]!.receive({ type: 'visitor.forgotten', ref: sentOf(sockets[0]!, 'visitor.forget')[0]!.ref })
    closeByRelay(sockets[0]!)
    await done
    expect(await storage.keys('')).toEqual([])
    expect(await conn.outbox()).toEqual([])
    expect(conn.lastSeq('c1')).toBe(0)
    expect(sentOf(sockets[0]!, 'message.send')).toHaveLength(1)
    await until(() => sockets.length === 2, 'reconnected')
    sockets[1]!.open()
    const hello = sentOf(sockets[1]!, 'hello')[0]!
    expect(hello.auth).toEqual({ kind: 'visitor' })
    expect(hello.resume).toBeUndefined()
  })

  it('forgets locally while offline, sending nothing', async () => {
    const storage = createMemoryStorage()
    await storage.set('parley:token', 'vt-old')
    await storage.set('parley:seq:c1', 4)
    const { sockets, WebSocket } = createFakeSockets()
    const conn = createConnection({ url: 'ws://localhost/v1/live', auth: { kind: 'visitor' }, WebSocket, storage, clock: createManualClock() })
    await conn.send('c1', 'written offline')
    await conn.forget()
    expect(await storage.keys('')).toEqual([])
    expect(sockets).toEqual([])
    conn.start()
    await until(() => sockets.length === 1, 'socket')
    sockets[0]!.open()
    expect(sentOf(sockets[0]!, 'hello')[0]!.auth).toEqual({ kind: 'visitor' })
  })

  it('stays stopped after forgetting when told not to reconnect', async () => {
    const { conn, sockets } = await openClient()
    const done = conn.forget({ reconnect: false })
    await until(() => sentOf(sockets[0]!, 'visitor.forget').length === 1, 'forget sent')
    sockets[0]!.receive({ type: 'visitor.forgotten', ref: sentOf(sockets[0]!, 'visitor.forget')[0]!.ref })
    await done
    expect(conn.state.kind).toBe('stopped')
    expect(sockets).toHaveLength(1)
    conn.start()
    await until(() => sockets.length === 2, 'started again')
  })

  it('identifies again after a forget that left it stopped', async () => {
    const { conn, sockets, clock } = await openClient()
    const done = conn.forget({ reconnect: false })
    await until(() => sentOf(sockets[0]!, 'visitor.forget').length === 1, 'forget sent')
    sockets[0]!.receive({ type: 'visitor.forgotten', ref: sentOf(sockets[0]!, 'visitor.forget')[0]!.ref })
    await done
    const pending = conn.identify(tokenFor('cust-1'))
    await until(() => sockets.length === 2, 'connecting again')
    sockets[1]!.open()
    sockets[1]!.receive(welcomeAs('vt-new'))
    await until(() => sentOf(sockets[1]!, 'visitor.identify').length === 1, 'identify sent')
    sockets[1]!.receive(identified(String(sentOf(sockets[1]!, 'visitor.identify')[0]!.ref)))
    closeByRelay(sockets[1]!)
    await expect(pending).resolves.toEqual(CUSTOMER)
    clock.advance(0)
    await until(() => sockets.length === 3, 'hello again')
  })

  // The relay's order of frames, as a browser sees it: identified and close, hello with the new
  // token, forgotten and close; then the page identifies the next customer.
  it('identifies the next customer at once after a customer identified and forgotten', async () => {
    const { conn, sockets, clock } = await openClient()
    const first = conn.identify(tokenFor('cust-1'))
    await until(() => sentOf(sockets[0]!, 'visitor.identify').length === 1, 'identify sent')
    sockets[0]!.receive(identified(String(sentOf(sockets[0]!, 'visitor.identify')[0]!.ref)))
    closeByRelay(sockets[0]!)
    await first
    clock.advance(0)
    await until(() => sockets.length === 2, 'hello with the new token')
    sockets[1]!.open()
    sockets[1]!.receive(welcomeAs('vt-customer', CUSTOMER))
    await until(() => conn.state.kind === 'open', 'open as the customer')
    const done = conn.forget({ reconnect: false })
    await until(() => sentOf(sockets[1]!, 'visitor.forget').length === 1, 'forget sent')
    sockets[1]!.receive({ type: 'visitor.forgotten', ref: sentOf(sockets[1]!, 'visitor.forget')[0]!.ref })
    closeByRelay(sockets[1]!)
    await done
    const next = conn.identify(tokenFor('cust-2'))
    await until(() => sockets.length === 3, 'connecting as a new visitor')
    sockets[2]!.open()
    expect(sentOf(sockets[2]!, 'hello')[0]!.auth).toEqual({ kind: 'visitor' })
    sockets[2]!.receive(welcomeAs('vt-anon-2'))
    await until(() => sentOf(sockets[2]!, 'visitor.identify').length === 1, 'identify sent')
    sockets[2]!.receive(identified(String(sentOf(sockets[2]!, 'visitor.identify')[0]!.ref), 'vt-cust-2'))
    closeByRelay(sockets[2]!)
    await expect(next).resolves.toEqual(CUSTOMER)
  })

  // One customer logs out and another logs in on the same page: the page calls forget as soon as
  // the first identify resolved, before the relay's close after its answer came.
  it('identifies the next customer after a forget called before the relay closed the identified socket', async () => {
    const { conn, sockets, clock } = await openClient()
    const first = conn.identify(tokenFor('cust-1'))
    await until(() => sentOf(sockets[0]!, 'visitor.identify').length === 1, 'identify sent')
    sockets[0]!.receive(identified(String(sentOf(sockets[0]!, 'visitor.identify')[0]!.ref)))
    await first
    const done = conn.forget({ reconnect: false })
    // The relay's close after its answer arrives now.
    closeByRelay(sockets[0]!)
    clock.advance(0)
    await until(() => sockets.length === 2, 'hello with the new token')
    sockets[1]!.open()
    sockets[1]!.receive(welcomeAs('vt-customer', CUSTOMER))
    await until(() => sentOf(sockets[1]!, 'visitor.forget').length === 1, 'forget sent on the new socket')
    sockets[1]!.receive({ type: 'visitor.forgotten', ref: sentOf(sockets[1]!, 'visitor.forget')[0]!.ref })
    await done
    expect(sentOf(sockets[0]!, 'visitor.forget')).toEqual([])
    const next = conn.identify(tokenFor('cust-2'))
    await until(() => sockets.length === 3, 'connecting as a new visitor')
    sockets[2]!.open()
    expect(sentOf(sockets[2]!, 'hello')[0]!.auth).toEqual({ kind: 'visitor' })
    sockets[2]!.receive(welcomeAs('vt-anon-2'))
    await until(() => sentOf(sockets[2]!, 'visitor.identify').length === 1, 'identify sent')
    expect(sentOf(sockets[2]!, 'visitor.identify')[0]!.token).toBe(tokenFor('cust-2'))
    sockets[2]!.receive(identified(String(sentOf(sockets[2]!, 'visitor.identify')[0]!.ref), 'vt-cust-2'))
    closeByRelay(sockets[2]!)
    await expect(next).resolves.toEqual(CUSTOMER)
  })

  it('waits for an identify in flight, then sends the forget on the socket of its new token', async () => {
    const { conn, sockets, clock } = await openClient()
    const identifying = conn.identify(tokenFor('cust-1'))
    const done = conn.forget({ reconnect: false })
    await until(() => sentOf(sockets[0]!, 'visitor.identify').length === 1, 'identify sent')
    sockets[0]!.receive(identified(String(sentOf(sockets[0]!, 'visitor.identify')[0]!.ref)))
    closeByRelay(sockets[0]!)
    await identifying
    // Not on the socket the relay closed after its answer.
    expect(sentOf(sockets[0]!, 'visitor.forget')).toEqual([])
    clock.advance(0)
    await until(() => sockets.length === 2, 'hello again')
    sockets[1]!.open()
    expect(sentOf(sockets[1]!, 'hello')[0]!.auth).toEqual({ kind: 'visitor', token: 'vt-customer' })
    sockets[1]!.receive(welcomeAs('vt-customer', CUSTOMER))
    await until(() => sentOf(sockets[1]!, 'visitor.forget').length === 1, 'forget sent with the new token')
    sockets[1]!.receive({ type: 'visitor.forgotten', ref: sentOf(sockets[1]!, 'visitor.forget')[0]!.ref })
    await done
    expect(conn.state.kind).toBe('stopped')
  })

  it('waits for a socket still connecting before forgetting, and clears anyway when it never opens', async () => {
    const { sockets, WebSocket } = createFakeSockets()
    const storage = createMemoryStorage()
    await storage.set('parley:token', 'vt-old')
    const clock = createManualClock()
    const conn = createConnection({ url: 'ws://localhost/v1/live', auth: { kind: 'visitor' }, WebSocket, storage, clock })
    conn.start()
    await until(() => sockets.length === 1, 'socket')
    const done = conn.forget({ reconnect: false })
    sockets[0]!.open()
    sockets[0]!.receive(welcomeAs('vt-old'))
    await until(() => sentOf(sockets[0]!, 'visitor.forget').length === 1, 'forget sent once open')
    sockets[0]!.receive({ type: 'visitor.forgotten', ref: sentOf(sockets[0]!, 'visitor.forget')[0]!.ref })
    await done
    expect(await storage.keys('')).toEqual([])

    // A socket that never opens holds the logout a few seconds at most.
    await storage.set('parley:token', 'vt-other')
    conn.start()
    await until(() => sockets.length === 2, 'second socket')
    let cleared = false
    void conn.forget({ reconnect: false }).then(() => { cleared = true })
    // The wait's timer is set once forget has read storage: advance until it fires.
    await until(() => (clock.advance(5000), cleared), 'cleared after the cap')
    expect(await storage.keys('')).toEqual([])
    expect(sentOf(sockets[1]!, 'visitor.forget')).toEqual([])
  })

  it('still forgets locally when the socket is lost before the answer', async () => {
    const { conn, sockets, storage } = await openClient()
    const done = conn.forget()
    await until(() => sentOf(sockets[0]!, 'visitor.forget').length === 1, 'forget sent')
    closeByRelay(sockets[0]!, 1006)
    await done
    expect(await storage.keys('')).toEqual([])
  })
})
