import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import type { Socket } from 'node:net'
import { WriteBatch } from '../../../../server/src/relay/write-batch.js'
import { SocketWriter } from '../../../../server/src/relay/socket-writer.js'
import type { RelayContext } from '../../../../server/src/relay/context.js'

// SocketWriter and WriteBatch over real WebSocket connections: the frames a connection gets during
// a batch leave in one write when it ends, in order, and are read by a real ws client as the text
// frames they are (every length encoding, multi-byte UTF-8); outside a batch each frame goes at
// once; a close inside a batch follows the frames before it.

interface Side { ws: WebSocket; socket: Socket; writes: number; client: WebSocket; got: string[] }

describe('SocketWriter in a WriteBatch', () => {
  let server: WebSocketServer
  const sides: Side[] = []

  beforeAll(async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
    await new Promise<void>((resolve) => server.once('listening', () => resolve()))
    const { port } = server.address() as { port: number }
    for (let i = 0; i < 4; i++) {
      const accepted = new Promise<{ ws: WebSocket; socket: Socket }>((resolve) => server.once('connection', (ws, req) => resolve({ ws, socket: req.socket })))
      const client = new WebSocket(`ws://127.0.0.1:${port}`)
      await new Promise<void>((resolve) => client.once('open', () => resolve()))
      const { ws, socket } = await accepted
      const side: Side = { ws, socket, writes: 0, client, got: [] }
      // Counts the writes reaching the socket (ws's own, such as its close frame, included).
      const write = socket.write.bind(socket) as (chunk: Uint8Array) => boolean
      socket.write = ((chunk: Uint8Array) => { side.writes++; return write(chunk) }) as typeof socket.write
      client.on('message', (data) => side.got.push(String(data)))
      sides.push(side)
    }
  })
  afterAll(async () => {
    for (const s of sides) s.client.terminate()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  const writerFor = (side: Side, batch: WriteBatch) => {
    const ctx = { writes: batch, limits: { sendQueueBytes: 4 * 1024 * 1024 }, log: { warn() {} } } as unknown as RelayContext
    return new SocketWriter(side.ws, side.socket, ctx, { connId: 'c', brandId: 'b' })
  }
  const arrived = async (side: Side, n: number) => {
    for (let i = 0; i < 500 && side.got.length < n; i++) await new Promise((r) => setTimeout(r, 10))
    return side.got
  }

  it('sends a batch\'s frames to each connection in one write when the batch ends, in order', async () => {
    const batch = new WriteBatch()
    const [a, b] = sides as [Side, Side]
    const wa = writerFor(a, batch)
    const wb = writerFor(b, batch)
    const [aBefore, bBefore] = [a.writes, b.writes]
    batch.around(() => {
      for (const text of ['one', 'two', 'three']) wa.write(text)
      wb.write('four')
      expect([a.writes - aBefore, b.writes - bBefore]).toEqual([0, 0])
    })
    expect([a.writes - aBefore, b.writes - bBefore]).toEqual([1, 1])
    expect(await arrived(a, 3)).toEqual(['one', 'two', 'three'])
    expect(await arrived(b, 1)).toEqual(['four'])
  })

  it('encodes every payload length and UTF-8 as the client reads it, in and out of a batch', async () => {
    const side = sides[2]!
    side.got.length = 0
    const batch = new WriteBatch()
    const w = writerFor(side, batch)
    const texts = ['', 'x'.repeat(125), 'y'.repeat(126), 'é'.repeat(40_000), 'z'.repeat(65_535), 'w'.repeat(65_536), '€😀'.repeat(30_000)]
    const before = side.writes
    for (const t of texts) w.write(t)
    expect(side.writes - before).toBe(texts.length)
    batch.around(() => { for (const t of texts) w.write(t) })
    // Past the socket's share (64 KB) the batch's later frames wait for it, and still follow in order.
    expect(await arrived(side, texts.length * 2)).toEqual([...texts, ...texts])
  })

  it('flushes what it held when the batch throws, and starts the next batch empty', async () => {
    const side = sides[2]!
    side.got.length = 0
    const batch = new WriteBatch()
    const w = writerFor(side, batch)
    expect(() => batch.around(() => {
      w.write('held')
      throw new Error('callback failed')
    })).toThrow('callback failed')
    batch.around(() => w.write('next'))
    expect(await arrived(side, 2)).toEqual(['held', 'next'])
  })

  it('sends the frames of a batch before a close made during it', async () => {
    const side = sides[3]!
    const batch = new WriteBatch()
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
})
