import { WebSocketServer } from 'ws'

// Baseline A: the least a relay can do over plain `ws`, with no storage, so the benchmark shows
// what Parley's durability, validation and tenancy cost. It still does the per-message work any
// relay must: parse the frame, answer the sender, and build a frame for the receiver with the
// same fields Parley sends, so the bytes on the wire are comparable.
//
// Clients pair up with `?conv=N&role=visitor|agent`. Prints {"event":"listening","url"} on stdout.

/** Each conversation's two sockets and its message counter. */
const conversations = new Map()

function conversation(conv) {
  let c = conversations.get(conv)
  if (!c) conversations.set(conv, (c = { visitor: null, agent: null, seq: 0 }))
  return c
}

const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false })

server.on('connection', (socket, request) => {
  const query = new URL(request.url, 'http://relay').searchParams
  const conv = conversation(query.get('conv'))
  const role = query.get('role') === 'agent' ? 'agent' : 'visitor'
  conv[role] = socket
  socket.on('close', () => { if (conv[role] === socket) conv[role] = null })
  if (role === 'agent') return

  socket.on('message', (data) => {
    let frame
    try {
      frame = JSON.parse(data)
    } catch {
      socket.send(JSON.stringify({ type: 'error', code: 'MALFORMED', message: 'not JSON', retryable: false }))
      return
    }
    const seq = ++conv.seq
    const at = Date.now()
    socket.send(JSON.stringify({ type: 'message.ack', convId: frame.convId, clientMsgId: frame.clientMsgId, seq, at }))
    conv.agent?.send(JSON.stringify({
      type: 'message.new', convId: frame.convId, seq, clientMsgId: frame.clientMsgId,
      from: { kind: 'visitor', id: 'v' }, text: frame.text, at,
    }))
  })
})

server.on('listening', () => {
  const { port } = server.address()
  process.stdout.write(`${JSON.stringify({ event: 'listening', url: `ws://127.0.0.1:${port}` })}\n`)
})

// The orchestrator holds our stdin; when it goes away (even by SIGKILL), so do we.
process.stdin.on('end', () => process.exit(0)).resume()
process.on('SIGTERM', () => process.exit(0))
