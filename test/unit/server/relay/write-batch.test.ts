import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import type { Socket } from 'node:net'
import { WriteBatch } from '../../../../server/src/relay/write-batch.js'

// WriteBatch over real WebSocket connections: each socket written during a batch is corked once and
// uncorked when the batch ends, so the frames of one batch leave together, and none stays corked.
// The socket corked is the upgrade request's, which ws writes each WebSocket's frames to.

describe('WriteBatch', () => {
  let server: WebSocketServer
  const serverSide: { ws: WebSocket; socket: Socket }[] = []
  const clientSide: WebSocket[] = []

  beforeAll(async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
    await new Promise<void>((resolve) => server.once('listening', () => resolve()))
    const { port } = server.address() as { port: number }
    for (let i = 0; i < 3; i++) {
      const accepted = new Promise<{ ws: WebSocket; socket: Socket }>((resolve) => server.once('connection', (ws, req) => resolve({ ws, socket: req.socket })))
      const client = new WebSocket(`ws://127.0.0.1:${port}`)
      await new Promise<void>((resolve) => client.once('open', () => resolve()))
      clientSide.push(client)
      serverSide.push(await accepted)
    }
  })
  afterAll(async () => {
    for (const c of clientSide) c.terminate()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  const corked = (side: { socket: Socket }) => side.socket.writableCorked

  it('corks each socket written in a batch once, and uncorks every one when the batch ends', async () => {
    const batch = new WriteBatch()
    const [a, b] = serverSide as [(typeof serverSide)[0], (typeof serverSide)[0]]
    const received = new Promise<string[]>((resolve) => {
      const got: string[] = []
      clientSide[0]!.on('message', (data) => { got.push(String(data)); if (got.length === 3) resolve(got) })
    })
    batch.around(() => {
      for (const text of ['one', 'two', 'three']) {
        batch.willWrite(a.socket)
        a.ws.send(text)
      }
      batch.willWrite(b.socket)
      expect(corked(a)).toBe(1)
      expect(corked(b)).toBe(1)
    })
    expect(corked(a)).toBe(0)
    expect(corked(b)).toBe(0)
    expect(await received).toEqual(['one', 'two', 'three'])
  })

  it('leaves sockets alone outside a batch', () => {
    const batch = new WriteBatch()
    batch.willWrite(serverSide[2]!.socket)
    expect(corked(serverSide[2]!)).toBe(0)
  })

  it('uncorks what it corked when the batch throws, and starts the next batch empty', () => {
    const batch = new WriteBatch()
    const [a, b, c] = serverSide as [(typeof serverSide)[0], (typeof serverSide)[0], (typeof serverSide)[0]]
    expect(() => batch.around(() => {
      batch.willWrite(a.socket)
      batch.willWrite(b.socket)
      throw new Error('callback failed')
    })).toThrow('callback failed')
    expect([corked(a), corked(b)]).toEqual([0, 0])
    batch.around(() => {
      batch.willWrite(c.socket)
      expect([corked(a), corked(b), corked(c)]).toEqual([0, 0, 1])
    })
    expect(corked(c)).toBe(0)
  })
})
