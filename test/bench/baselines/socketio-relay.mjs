import { createServer } from 'node:http'
import { Server } from 'socket.io'

// Baseline B: the same storage-less relay as raw-ws-relay.mjs, on Socket.IO 4, the usual choice
// for Node chat backends. Acks use Socket.IO's callback acks; only the websocket transport is
// allowed, so no HTTP long-polling handshake skews the figures.
//
// Clients pair up with the handshake query `conv=N&role=visitor|agent`. Prints
// {"event":"listening","url"} on stdout.

/** Each conversation's two sockets and its message counter. */
const conversations = new Map()

function conversation(conv) {
  let c = conversations.get(conv)
  if (!c) conversations.set(conv, (c = { visitor: null, agent: null, seq: 0 }))
  return c
}

const http = createServer()
const io = new Server(http, { transports: ['websocket'], serveClient: false, perMessageDeflate: false })

io.on('connection', (socket) => {
  const conv = conversation(String(socket.handshake.query.conv))
  const role = socket.handshake.query.role === 'agent' ? 'agent' : 'visitor'
  conv[role] = socket
  socket.on('disconnect', () => { if (conv[role] === socket) conv[role] = null })
  if (role === 'agent') return

  socket.on('message.send', (frame, ack) => {
    if (typeof ack !== 'function' || frame === null || typeof frame !== 'object') return
    const seq = ++conv.seq
    const at = Date.now()
    ack({ type: 'message.ack', convId: frame.convId, clientMsgId: frame.clientMsgId, seq, at })
    conv.agent?.emit('message.new', {
      type: 'message.new', convId: frame.convId, seq, clientMsgId: frame.clientMsgId,
      from: { kind: 'visitor', id: 'v' }, text: frame.text, at,
    })
  })
})

http.listen(0, '127.0.0.1', () => {
  const { port } = http.address()
  process.stdout.write(`${JSON.stringify({ event: 'listening', url: `http://127.0.0.1:${port}` })}\n`)
})

// The orchestrator holds our stdin; when it goes away (even by SIGKILL), so do we.
process.stdin.on('end', () => process.exit(0)).resume()
process.on('SIGTERM', () => process.exit(0))
