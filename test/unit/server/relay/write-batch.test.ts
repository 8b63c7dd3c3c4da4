import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import type { Socket } from 'node:net'
import { WriteBatch } from '../../../../server/src/relay/write-batch.js'
import { SocketWriter } from '../../../../server/src/relay/socket-writer.js'
import type { RelayContext } from '../../../../server/src/relay/context.js'
import { until } from '../../../helpers/until.js'

// SocketWriter and WriteBatch over real WebSocket connections: the frames a connection gets during
// a batch leave in one write when it ends, in order, and are read by a real ws client as the text
// frames they are (every length encoding, multi-byte UTF-8); outside a batch each frame goes at
// once; a close inside a batch follows the frames before it, and nothing follows a close.

interface Side { ws: WebSocket; socket: Socket; writes: Buffer[]; client: WebSocket; got: string[] }

describe('SocketWriter in a WriteBatch', () => {
  let server: WebSocketServer
  const sides: Side[] = []

  beforeAll(async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
    await new Promise<void>((resolve) => server.once('listening', () => resolve()))
    const { port } = server.address() as { port: number }
    for (let i = 0; i < 6; i++) {
      const accepted = new Promise<{ ws: WebSocket; socket: Socket }>((resolve) => server.once('connection', (ws, req) => resolve({ ws, socket: req.socket })))
      const client = new WebSocket(`ws://127.0.0.1:${port}`)
      await new Promise<void>((resolve) => client.once('open', () => resolve()))
      const { ws, socket } = await accepted
      const side: Side = { ws, socket, writes: [], client, got: [] }
      // Records the writes reaching the socket (ws's own, such as its close frame, included).
      const write = socket.write.bind(socket) as (chunk: Uint8Array) => boolean
      socket.write = ((chunk: Uint8Array) => { side.writes.push(Buffer.from(chunk)); return write(chunk) }) as typeof socket.write
      client.on('message', (data) => side.got.push(String(data)))
      sides.push(side)
    }
  })
  afterAll(async () => {
    for (const s of sides) s.client.terminate()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  // SocketWriter reads only these parts of the relay's context; a whole relay is not needed to drive it.
  const writerFor = (side: Side, batch: WriteBatch) => {
    const ctx = { writes: batch, limits: { sendQueueBytes: 4 * 1024 * 1024 }, log: { warn() {} } } as unknown as RelayContext
    return new SocketWriter(side.ws, side.socket, ctx, { connId: 'c', brandId: 'b' })
  }
  const failures: unknown[] = []
  const newBatch = () => new WriteBatch((err) => failures.push(err))
  const arrived = (side: Side, n: number) => until(() => side.got.length >= n && side.got, `${n} frames on the client`)

  it('sends a batch\'s frames to each connection in one write when the batch ends, in order', async () => {
    const batch = newBatch()
    const [a, b] = sides as [Side, Side]
    const wa = writerFor(a, batch)
    const wb = writerFor(b, batch)
    const [aBefore, bBefore] = [a.writes.length, b.writes.length]
    batch.around(() => {
      for (const text of ['one', 'two', 'three']) wa.write(text)
      wb.write('four')
      expect([a.writes.length - aBefore, b.writes.length - bBefore]).toEqual([0, 0])
    })
    expect([a.writes.length - aBefore, b.writes.length - bBefore]).toEqual([1, 1])
    expect(await arrived(a, 3)).toEqual(['one', 'two', 'three'])
    expect(await arrived(b, 1)).toEqual(['four'])
  })

  it('encodes every payload length and UTF-8 as the client reads it, in and out of a batch', async () => {
    const side = sides[2]!
    const batch = newBatch()
    const w = writerFor(side, batch)
    const texts = ['', 'x'.repeat(125), 'y'.repeat(126), 'é'.repeat(40_000), 'z'.repeat(65_535), 'w'.repeat(65_536), '€😀'.repeat(30_000)]
    const before = side.writes.length
    for (const t of texts) w.write(t)
    expect(side.writes.length - before).toBe(texts.length)
    batch.around(() => { for (const t of texts) w.write(t) })
    // Past the socket's share (64 KB) the batch's later frames wait for it, and still follow in order.
    expect(await arrived(side, texts.length * 2)).toEqual([...texts, ...texts])
  })

  it('reports a writer that fails, flushes the others, and starts the next batch empty', async () => {
    const [a, b] = [sides[3]!, sides[4]!]
    const batch = newBatch()
    const [wa, wb] = [writerFor(a, batch), writerFor(b, batch)]
    const write = a.socket.write
    a.socket.write = (() => { throw new Error('socket gone') }) as typeof a.socket.write
    failures.length = 0
    batch.around(() => {
      wa.write('lost')
      wb.write('kept')
    })
    a.socket.write = write
    expect(failures.map((e) => (e as Error).message)).toEqual(['socket gone'])
    batch.around(() => wa.write('next'))
    expect(await arrived(b, 1)).toEqual(['kept'])
    expect(await arrived(a, 1)).toEqual(['next'])
  })

  it('sends the frames of a batch before a close made during it', async () => {
    const side = sides[0]!
    side.got.length = 0
    const batch = newBatch()
    const w = writerFor(side, batch)
    const closed = new Promise<number>((resolve) => side.client.once('close', (code) => resolve(code)))
    batch.around(() => {
      w.write('before')
      w.close('PARLEY_ERR_LIMIT_FLOOD')
      w.write('after')
    })
    expect(await closed).toBe(4429)
    expect(side.got).toEqual(['before'])
  })

  it('writes no frame after the peer closed, even those held for a slow reader', async () => {
    const side = sides[5]!
    const w = writerFor(side, newBatch())
    // The client stops reading: once the kernel's buffers are full, frames wait in the writer.
    side.client.pause()
    const text = 'q'.repeat(60_000)
    await until(() => {
      for (let i = 0; i < 20; i++) w.write(text)
      return side.ws.bufferedAmount > 0
    }, 'the socket to back up')
    for (let i = 0; i < 10; i++) w.write(text)
    // The client's close reaches the relay, which answers with its own; then the relay ends the session.
    side.client.close(1000)
    await until(() => side.ws.readyState === WebSocket.CLOSING, 'the relay to hear the close')
    const before = side.writes.length
    w.end('shutting down')
    // 0x81 starts a final text frame; ws's close frame (0x88) went before, nothing may follow it.
    expect(side.writes.slice(before).filter((chunk) => chunk[0] === 0x81)).toEqual([])
  })
})
