import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import type { WebSocket } from 'ws'
import { DEFAULT_LIMITS } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestBrand } from '../helpers/brand.js'
import type { TestClient } from '../helpers/ws-client.js'
import { expectOpen, expectRefusal } from '../helpers/expect-error.js'
import { openClient } from '../helpers/open-client.js'
import { closeAfterTest, sendAndAck, visitorOf, visitorSocket } from '../helpers/tracked-clients.js'
import { expectServing, listBrandConversations, readTranscript } from '../helpers/transcript.js'
import { until } from '../helpers/until.js'

// Peers that stop keeping up: a reader that stops reading is dropped before the relay queues much
// for it, and a peer that stops answering pings is terminated; everyone else is served meanwhile.

const TEXT = 30_000
const FAST = { maxTextLength: TEXT, messagesPerSecond: 1e6, visitorMessagesPerSecond: 1e6, framesPerSecond: 1e6 }

/** The relay's end of each connection and its socket, by the client's port (the upgrade request's remote port). */
const relayEnds = new WeakMap<TestRelay, Map<number, { ws: WebSocket; socket: Socket }>>()

/** Starts a relay with `opts` that records the relay's end of every connection. */
async function startRecordingRelay(opts: Parameters<typeof startRelay>[0]): Promise<TestRelay> {
  const relay = await startRelay(opts)
  const ends = new Map<number, { ws: WebSocket; socket: Socket }>()
  relayEnds.set(relay, ends)
  relay.app.websocketServer.on('connection', (ws: WebSocket, req: IncomingMessage) => ends.set(req.socket.remotePort!, { ws, socket: req.socket }))
  return relay
}

/** The relay's end of a client's socket, found by the client's local port. */
function serverSide(relay: TestRelay, client: TestClient): { ws: WebSocket; socket: Socket } {
  const end = relayEnds.get(relay)?.get(client.socket!.localPort!)
  if (!end) throw new Error('server side of the socket not found')
  return end
}

/**
 * Two tabs of one visitor: the reader stops reading, the writer sends 30 KB messages (each fanned
 * out to the reader) until the relay gives up on the reader. Records the most the relay ever had
 * queued for the reader right after a send, and what was queued ahead of the slow-consumer error.
 */
async function pumpUntilDropped(relay: TestRelay) {
  const brand = await createTestBrand(relay)
  const writer = await visitorOf(relay, brand)
  const reader = await visitorOf(relay, brand, writer.token)
  await sendAndAck(writer.client, 'firehose', 'w0', 'start')
  await reader.client.next('message.new')

  const { ws: readerOnRelay, socket } = serverSide(relay, reader.client)
  const stats = { maxQueued: 0, sent: 0, aheadOfError: -1 }
  // The relay writes its frames to the socket itself (a batch's in one write): each write is
  // watched there, counting what the socket held unsent with what it is handed.
  const write = socket.write.bind(socket) as (chunk: Uint8Array) => boolean
  socket.write = ((chunk: Uint8Array) => {
    const unsent = readerOnRelay.bufferedAmount
    if (Buffer.from(chunk).includes('PARLEY_ERR_LIMIT_SLOW_CONSUMER')) stats.aheadOfError = unsent
    stats.maxQueued = Math.max(stats.maxQueued, unsent + chunk.length)
    return write(chunk)
  }) as typeof socket.write
  reader.client.ws.pause()

  const text = 'z'.repeat(TEXT)
  while (readerOnRelay.readyState === 1 && stats.sent < 3000) {
    for (let i = 0; i < 25; i++) writer.client.send({ type: 'message.send', convId: 'firehose', clientMsgId: `w${++stats.sent}`, text })
    await writer.client.next('message.ack', (a) => a.clientMsgId === `w${stats.sent}`, 30_000)
  }
  expect(readerOnRelay.readyState, `reader still open after ${stats.sent} messages`).not.toBe(1)
  return { brand, writer, reader, readerOnRelay, stats }
}

describe('slow consumers', () => {
  const QUEUE = 64 * 1024
  let relay: TestRelay
  beforeAll(async () => { relay = await startRecordingRelay({ limits: { sendQueueBytes: QUEUE, ...FAST } }) })
  afterAll(async () => { await relay.close() })

  it('drops a reader that stops reading with PARLEY_ERR_LIMIT_SLOW_CONSUMER and 4008', { timeout: 120_000 }, async () => {
    const { reader } = await pumpUntilDropped(relay)
    reader.client.ws.resume()
    await expectRefusal(reader.client, 'PARLEY_ERR_LIMIT_SLOW_CONSUMER')
  })

  it('queues little more than sendQueueBytes for a reader that stops reading', { timeout: 120_000 }, async () => {
    const { stats } = await pumpUntilDropped(relay)
    expect(stats.sent * TEXT).toBeGreaterThan(10 * QUEUE)
    // The watch saw the relay's writes (the error's among them), none far past the bound.
    expect(stats.aheadOfError).toBeGreaterThanOrEqual(0)
    expect(stats.maxQueued).toBeLessThanOrEqual(QUEUE + 2 * (TEXT + 1024))
  })

  it('ends the socket of a dropped reader that never reads again', { timeout: 120_000 }, async () => {
    const { readerOnRelay } = await pumpUntilDropped(relay)
    await until(() => readerOnRelay.readyState === 3, 'relay end of the reader closed')
    expect(relay.app.websocketServer.clients.has(readerOnRelay)).toBe(false)
  })

  it('keeps serving the sender after dropping a slow reader', { timeout: 120_000 }, async () => {
    const { brand, writer, stats } = await pumpUntilDropped(relay)
    expect(await sendAndAck(writer.client, 'firehose', 'after', 'still here')).toBe(stats.sent + 2)
    await expectOpen(writer.client)
    expect(await readTranscript(relay, brand, 'firehose')).toHaveLength(stats.sent + 2)
  })
})

describe('slow consumers at the default send queue', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRecordingRelay({ limits: FAST }) })
  afterAll(async () => { await relay.close() })

  it('sends PARLEY_ERR_LIMIT_SLOW_CONSUMER behind at most 64 KiB of queued data, not the whole queue', { timeout: 120_000 }, async () => {
    const { stats } = await pumpUntilDropped(relay)
    expect(stats.sent * TEXT).toBeGreaterThan(DEFAULT_LIMITS.sendQueueBytes)
    expect(stats.aheadOfError).toBeGreaterThanOrEqual(0)
    expect(stats.aheadOfError).toBeLessThanOrEqual(64 * 1024 + TEXT + 1024)
  })

  it('drops a reader that stops reading with PARLEY_ERR_LIMIT_SLOW_CONSUMER and 4008', { timeout: 120_000 }, async () => {
    const { reader } = await pumpUntilDropped(relay)
    reader.client.ws.resume()
    await expectRefusal(reader.client, 'PARLEY_ERR_LIMIT_SLOW_CONSUMER')
  })
})

/**
 * Lets the client's socket read one chunk (up to 64 KiB) every `everyMs`: a link far slower than
 * loopback. Returns how to stop it (the socket is left flowing).
 */
function throttle(client: TestClient, everyMs: number): () => void {
  const socket = client.socket!
  const onData = () => { client.ws.pause() }
  socket.on('data', onData)
  const timer = setInterval(() => client.ws.resume(), everyMs)
  return () => { clearInterval(timer); socket.off('data', onData); client.ws.resume() }
}

describe('slow consumers on a slow link', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRecordingRelay({ limits: FAST }) })
  afterAll(async () => { await relay.close() })

  it('delivers PARLEY_ERR_LIMIT_SLOW_CONSUMER and 4008 to a reader that takes seconds to let them into the kernel', { timeout: 120_000 }, async () => {
    const { reader, readerOnRelay } = await pumpUntilDropped(relay)
    // About 320 KiB a second. The error and close frames wait behind up to 64 KiB the relay holds,
    // which the kernel takes only once the reader has emptied a good part of its full buffers
    // (megabytes on loopback): seconds at this pace.
    const stop = throttle(reader.client, 200)
    try {
      await until(() => readerOnRelay.bufferedAmount === 0 || readerOnRelay.readyState === 3, 'the relay to hand its last bytes to the kernel', 60_000)
    } finally {
      stop()
    }
    await expectRefusal(reader.client, 'PARLEY_ERR_LIMIT_SLOW_CONSUMER')
  })
})

describe('heartbeat', () => {
  const HEARTBEAT = 100
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay({ limits: { heartbeatMs: HEARTBEAT } }) })
  afterAll(async () => { await relay.close() })

  it('terminates a client that stops answering pings', async () => {
    const brand = await createTestBrand(relay)
    const client = closeAfterTest(await openClient(`${relay.wsUrl}?site=${brand.siteKey}`, { autoPong: false }))
    let pings = 0
    client.ws.on('ping', () => { pings++ })
    client.send({ type: 'hello', protocol: 1, auth: { kind: 'visitor' } })
    await client.next('welcome')
    expect(await client.closed()).toBe(1006)
    expect(pings).toBeGreaterThanOrEqual(1)
    await expectServing(relay, brand)
  })

  it('keeps a client that answers pings connected across several intervals', async () => {
    const brand = await createTestBrand(relay)
    const client = await visitorSocket(relay, brand)
    let pings = 0
    client.ws.on('ping', () => { pings++ })
    client.send({ type: 'hello', protocol: 1, auth: { kind: 'visitor' } })
    await client.next('welcome')
    await until(() => pings >= 5, 'five heartbeats')
    expect(client.closeCode).toBeNull()
    expect(await sendAndAck(client, 'alive', 'm1', 'still here')).toBe(1)
    expect(await listBrandConversations(relay, brand)).toHaveLength(1)
  })
})
