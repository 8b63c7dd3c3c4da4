import { randomBytes } from 'node:crypto'
import type { TestClient } from './ws-client.js'
import { until } from './until.js'

// Barriers that let a test assert that something did NOT arrive, without sleeping.

/**
 * Sends a protocol `ping` on `client` and waits for its `pong`. The relay writes to one socket in
 * order and answers a ping only after the frames queued before it on this connection were handled
 * (acks of messages still waiting for their commit aside), so once the pong is here, every frame the
 * relay wrote to this connection before, fan-out from other connections included, is here too.
 */
export async function roundTrip(client: TestClient): Promise<void> {
  const ref = `rt-${randomBytes(6).toString('hex')}`
  client.send({ type: 'ping', ref })
  await until(() => {
    if (client.closeCode !== null) throw new Error(`socket closed (${client.closeCode}) during round trip`)
    return client.all('pong', (p) => p.ref === ref).length > 0
  }, 'pong')
}

/**
 * A WebSocket-level ping/pong, answered by the socket itself rather than by the relay's frame
 * handling: once it returns, every frame the relay had already written to this socket has arrived,
 * even while the connection's own frames wait (e.g. behind a held commit).
 */
export async function socketRoundTrip(client: TestClient): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const data = randomBytes(8)
    const onPong = (got: Buffer) => {
      if (!got.equals(data)) return
      client.ws.off('pong', onPong)
      resolve()
    }
    client.ws.on('pong', onPong)
    client.ws.ping(data, undefined, (err) => { if (err) reject(err) })
  })
}
