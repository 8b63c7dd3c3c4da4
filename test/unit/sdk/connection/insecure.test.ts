import { describe, expect, it } from 'vitest'
import { createConnection, createMemoryStorage, type ConnectionOptions } from '../../../../sdk/src/connection/connection.js'

// The connection client refuses plain ws:// to anything but the local machine: chat transcripts are
// encrypted in transit, and a misconfigured page must fail loudly rather than send them in clear.

/** A WebSocket stand-in that records the addresses it was asked to open, and never opens. */
function recorder(): { urls: string[]; WebSocket: ConnectionOptions['WebSocket'] } {
  const urls: string[] = []
  class Recorder {
    readyState = 0
    constructor(url: string) { urls.push(url) }
    addEventListener(): void {}
    removeEventListener(): void {}
    send(): void {}
    close(): void { this.readyState = 3 }
  }
  return { urls, WebSocket: Recorder as unknown as ConnectionOptions['WebSocket'] }
}

describe('connection client transport security', () => {
  it.each(['ws://chat.example.com/v1/live', 'ws://10.0.0.5:8080/v1/live', 'WS://Chat.Example.com/v1/live', 'ws://localhost.evil.example/v1/live'])(
    'refuses %s with PARLEY_ERR_CONNECTION_INSECURE and opens no socket', async (url) => {
      const { urls, WebSocket } = recorder()
      const errors: string[] = []
      const conn = createConnection({ url, auth: { kind: 'visitor' }, WebSocket, storage: createMemoryStorage() })
      conn.on('error', (e) => errors.push(e.code))
      conn.start()
      expect(urls).toEqual([])
      expect(errors).toEqual(['PARLEY_ERR_CONNECTION_INSECURE'])
      expect(conn.state).toMatchObject({ kind: 'stopped', code: 'PARLEY_ERR_CONNECTION_INSECURE' })
      await conn.stop()
    })

  it.each(['wss://chat.example.com/v1/live', 'ws://localhost:8080/v1/live', 'ws://127.0.0.1:8080/v1/live', 'ws://[::1]:8080/v1/live', 'ws://shop.localhost/v1/live'])(
    'connects to %s', async (url) => {
      const { urls, WebSocket } = recorder()
      const conn = createConnection({ url, auth: { kind: 'visitor' }, WebSocket, storage: createMemoryStorage() })
      conn.start()
      await new Promise((r) => setTimeout(r, 20))
      expect(urls).toEqual([url])
      await conn.stop()
    })
})
