import { WebSocketServer } from 'ws'

// The loadgen's ceiling: a relay that acks every message and delivers nothing, doing as little
// per message as it can (no JSON parse: it copies the clientMsgId's bytes into a fixed ack, and
// sends each read's acks in one write). Driven at saturation, the loadgen rather than this relay
// sets the pace, so the ack rate is the most the loadgen can send and acknowledge; every relay
// figure is only a relay's figure while it stays well below that.
//
// Clients pair up with `?conv=N&role=visitor|agent` like raw-ws-relay.mjs (agents get nothing).
// Prints {"event":"listening","url"} on stdout.

const ID_KEY = Buffer.from('"clientMsgId":"')
const ACK_HEAD = Buffer.from('{"type":"message.ack","clientMsgId":"')
const ACK_TAIL = Buffer.from('"}')
const QUOTE = 0x22
const TEXT_FRAME = { binary: false }

const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, skipUTF8Validation: true })

server.on('connection', (socket, request) => {
  if (new URL(request.url, 'http://relay').searchParams.get('role') === 'agent') return
  const tcp = socket._socket
  let corked = false
  const uncork = () => {
    corked = false
    tcp.uncork()
  }
  socket.on('message', (data) => {
    const from = data.indexOf(ID_KEY) + ID_KEY.length
    const to = data.indexOf(QUOTE, from)
    if (from < ID_KEY.length || to < 0) {
      socket.send(JSON.stringify({ type: 'error', code: 'MALFORMED', message: 'no clientMsgId', retryable: false }))
      return
    }
    if (!corked) {
      corked = true
      tcp.cork()
      process.nextTick(uncork)
    }
    socket.send(Buffer.concat([ACK_HEAD, data.subarray(from, to), ACK_TAIL]), TEXT_FRAME)
  })
})

server.on('listening', () => {
  const { port } = server.address()
  process.stdout.write(`${JSON.stringify({ event: 'listening', url: `ws://127.0.0.1:${port}` })}\n`)
})

// The orchestrator holds our stdin; when it goes away (even by SIGKILL), so do we.
process.stdin.on('end', () => process.exit(0)).resume()
process.on('SIGTERM', () => process.exit(0))
