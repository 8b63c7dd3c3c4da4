// A small round-robin TCP load balancer, for the cluster example: each new connection goes to the
// next target in turn, with no sticky sessions (a WebSocket upgrade is just bytes on the connection,
// so it passes through). A target that refuses the connection is skipped for that one. Real
// deployments use nginx, HAProxy or a cloud balancer; docs/operations.md says what they need.

import { createConnection, createServer } from 'node:net'

/**
 * Listens on `host:port` and spreads connections over `targets` ([{ host, port }]). Resolves with
 * `{ port, close() }` once listening.
 */
export function startBalancer({ host = '127.0.0.1', port, targets }) {
  let next = 0
  const open = new Set()
  const server = createServer((client) => {
    open.add(client)
    client.once('close', () => open.delete(client))
    client.on('error', () => client.destroy())
    client.pause()
    connectToNext(client, 0)
  })

  function connectToNext(client, tried) {
    if (tried >= targets.length) return client.destroy()
    const target = targets[next++ % targets.length]
    const upstream = createConnection(target)
    open.add(upstream)
    upstream.once('close', () => open.delete(upstream))
    upstream.once('connect', () => {
      upstream.removeAllListeners('error')
      upstream.on('error', () => client.destroy())
      client.pipe(upstream)
      upstream.pipe(client)
      client.once('close', () => upstream.destroy())
      upstream.once('close', () => client.destroy())
      client.resume()
    })
    // A node that is down (killed, restarting): try the next one for this connection.
    upstream.once('error', () => connectToNext(client, tried + 1))
  }

  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      resolve({
        port: server.address().port,
        close: () => new Promise((done) => {
          for (const socket of open) socket.destroy()
          server.close(() => done())
        }),
      })
    })
  })
}
