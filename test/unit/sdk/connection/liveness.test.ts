import { describe, expect, it } from 'vitest'
import { createConnection, createMemoryStorage, type Connection } from '../../../../sdk/src/connection/connection.js'
import { createFakeNetwork, createFakeSockets, createManualClock, welcomeFrame, type FakeNetwork } from '../../../helpers/fake-socket.js'
import { until } from '../../../helpers/until.js'
import { OFFLINE_RETRY_MS } from '../../../../sdk/src/connection/socket-lifecycle.js'

// How fast the client notices a dead network (issue 12: "Connection lost" showed only after the
// ~50 s idle limit). A cut network must show within 5 s: a message unacked for 2 s sends a probe
// ping, and no frame within 2.5 s closes the socket. The platform's offline event shows at once,
// and its online event reconnects at once instead of waiting out the backoff.

function setup(network?: FakeNetwork) {
  const clock = createManualClock()
  const { sockets, WebSocket } = createFakeSockets()
  const conn: Connection = createConnection({
    url: 'ws://localhost/v1/live', auth: { kind: 'visitor' }, WebSocket, storage: createMemoryStorage(), clock,
    random: () => 0.5, ...(network ? { network } : {}),
  })
  const states: string[] = []
  conn.on('state', (s) => states.push(s.kind))
  return { clock, sockets, conn, states }
}

async function openWelcomed(t: ReturnType<typeof setup>) {
  t.conn.start()
  await until(() => t.sockets.length === 1, 'socket created')
  const ws = t.sockets[0]!
  ws.open()
  ws.receive(welcomeFrame())
  await until(() => t.conn.state.kind === 'open', 'open')
  return ws
}

describe('connection client liveness', () => {
  it('probes with a ping carrying a ref once a message has waited 2 s for its ack', async () => {
    const t = setup()
    const ws = await openWelcomed(t)
    await t.conn.send('c1', 'hello')
    await until(() => ws.sent.some((f) => f.type === 'message.send'), 'sent')
    t.clock.advance(2000)
    expect(ws.sent.filter((f) => f.type === 'ping')).toEqual([{ type: 'ping', ref: expect.any(String) }])
    await t.conn.stop()
  })

  it('closes the socket and goes to retrying when the probe gets no answer (5 s after the send at most)', async () => {
    const t = setup()
    const ws = await openWelcomed(t)
    await t.conn.send('c1', 'hello')
    await until(() => ws.sent.some((f) => f.type === 'message.send'), 'sent')
    t.clock.advance(4500)
    expect(ws.closedWith).not.toBeNull()
    expect(t.conn.state.kind).toBe('retrying')
    await t.conn.stop()
  })

  it('keeps the socket when the probe is answered', async () => {
    const t = setup()
    const ws = await openWelcomed(t)
    await t.conn.send('c1', 'hello')
    await until(() => ws.sent.some((f) => f.type === 'message.send'), 'sent')
    t.clock.advance(2000)
    const probe = ws.sent.find((f) => f.type === 'ping')!
    ws.receive({ type: 'pong', at: t.clock.now(), ref: probe.ref })
    t.clock.advance(2500)
    expect(ws.closedWith).toBeNull()
    expect(t.conn.state.kind).toBe('open')
    await t.conn.stop()
  })

  it('sends no probe when every message was acked in time', async () => {
    const t = setup()
    const ws = await openWelcomed(t)
    const entry = await t.conn.send('c1', 'hello')
    await until(() => ws.sent.some((f) => f.type === 'message.send'), 'sent')
    ws.receive({ type: 'message.ack', convId: 'c1', clientMsgId: entry.clientMsgId, seq: 1, at: t.clock.now() })
    await until(async () => (await t.conn.outbox()).length === 0, 'acked')
    t.clock.advance(10_000)
    expect(ws.sent.filter((f) => f.type === 'ping')).toEqual([])
    expect(t.conn.state.kind).toBe('open')
    await t.conn.stop()
  })

  it('closes the socket and shows offline as soon as the network signal says offline', async () => {
    const network = createFakeNetwork()
    const t = setup(network)
    const ws = await openWelcomed(t)
    network.set(false)
    expect(ws.closedWith).not.toBeNull()
    expect(t.conn.state.kind).toBe('offline')
    await t.conn.stop()
  })

  it('opens no socket while the network signal says offline, until the slow retry is due', async () => {
    const network = createFakeNetwork(false)
    const t = setup(network)
    t.conn.start()
    await until(() => t.conn.state.kind === 'offline', 'offline')
    t.clock.advance(OFFLINE_RETRY_MS - 1)
    expect(t.sockets).toEqual([])
    await t.conn.stop()
  })

  it('still tries every 30 s while the network signal says offline, and connects if the network works', async () => {
    const network = createFakeNetwork(false)
    const t = setup(network)
    t.conn.start()
    await until(() => t.conn.state.kind === 'offline', 'offline')
    t.clock.advance(OFFLINE_RETRY_MS)
    await until(() => t.sockets.length === 1, 'first slow retry')
    t.sockets[0]!.onclose?.({ code: 1006, reason: '' })
    expect(t.conn.state.kind).toBe('offline')
    t.clock.advance(OFFLINE_RETRY_MS)
    await until(() => t.sockets.length === 2, 'second slow retry')
    t.sockets[1]!.open()
    t.sockets[1]!.receive(welcomeFrame())
    await until(() => t.conn.state.kind === 'open', 'open despite the signal')
    await t.conn.stop()
  })

  it('keeps the slow retry going after the signal says offline on an open socket', async () => {
    const network = createFakeNetwork()
    const t = setup(network)
    await openWelcomed(t)
    network.set(false)
    expect(t.conn.state.kind).toBe('offline')
    t.clock.advance(OFFLINE_RETRY_MS)
    await until(() => t.sockets.length === 2, 'slow retry')
    await t.conn.stop()
  })

  it('reconnects at once when the network comes back, without waiting for the backoff', async () => {
    const network = createFakeNetwork()
    const t = setup(network)
    await openWelcomed(t)
    network.set(false)
    network.set(true)
    await until(() => t.sockets.length === 2, 'second socket')
    expect(t.conn.state.kind).toBe('connecting')
    await t.conn.stop()
  })

  it('reconnects at once when the network comes back during a backoff wait', async () => {
    const network = createFakeNetwork()
    const t = setup(network)
    const ws = await openWelcomed(t)
    ws.onclose?.({ code: 1006, reason: '' })
    expect(t.conn.state.kind).toBe('retrying')
    network.set(true)
    await until(() => t.sockets.length === 2, 'second socket')
    await t.conn.stop()
  })

  it('probes an open socket when the network signal says online again (a new network)', async () => {
    const network = createFakeNetwork()
    const t = setup(network)
    const ws = await openWelcomed(t)
    network.set(true)
    expect(ws.sent.filter((f) => f.type === 'ping')).toHaveLength(1)
    t.clock.advance(2500)
    expect(t.conn.state.kind).toBe('retrying')
    await t.conn.stop()
  })

  it('stops listening to the network signal when stopped', async () => {
    const network = createFakeNetwork()
    const t = setup(network)
    await openWelcomed(t)
    await t.conn.stop()
    network.set(false)
    network.set(true)
    expect(t.conn.state.kind).toBe('stopped')
    expect(t.sockets).toHaveLength(1)
  })
})
