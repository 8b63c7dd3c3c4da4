import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { WebSocketServer } from 'ws'

// Baseline C: the raw `ws` relay of baseline A, made durable the simplest way that group-commits:
// every message that arrives in one turn of the event loop is written to SQLite (WAL,
// synchronous=FULL) in one transaction on the main thread, then acked and forwarded. No
// validation, tenancy, idempotency or index: rows are appended in arrival order. It shows what durability alone
// costs on this machine, so Parley's figures can be read against it.
//
// Clients pair up with `?conv=N&role=visitor|agent`. Prints {"event":"listening","url"} on stdout.

const dir = mkdtempSync(join(tmpdir(), 'parley-bench-ws-sqlite-'))
const db = new Database(join(dir, 'bench.db'))
db.pragma('journal_mode = WAL')
db.pragma('synchronous = FULL')
db.exec('CREATE TABLE messages (id INTEGER PRIMARY KEY, conv INTEGER NOT NULL, seq INTEGER NOT NULL, client_msg_id TEXT NOT NULL, text TEXT NOT NULL, at INTEGER NOT NULL)')
const insert = db.prepare('INSERT INTO messages (conv, seq, client_msg_id, text, at) VALUES (?, ?, ?, ?, ?)')
const commitAll = db.transaction((batch) => {
  for (const m of batch) insert.run(m.convIndex, m.seq, m.frame.clientMsgId, m.frame.text, m.at)
})

/** Each conversation's two sockets and its message counter. */
const conversations = new Map()

function conversation(conv) {
  let c = conversations.get(conv)
  if (!c) conversations.set(conv, (c = { index: conversations.size, visitor: null, agent: null, seq: 0 }))
  return c
}

let pending = []

function commit() {
  const batch = pending
  pending = []
  commitAll(batch)
  for (const { conv, socket, frame, seq, at } of batch) {
    socket.send(JSON.stringify({ type: 'message.ack', convId: frame.convId, clientMsgId: frame.clientMsgId, seq, at }))
    conv.agent?.send(JSON.stringify({
      type: 'message.new', convId: frame.convId, seq, clientMsgId: frame.clientMsgId,
      from: { kind: 'visitor', id: 'v' }, text: frame.text, at,
    }))
  }
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
    if (pending.length === 0) setImmediate(commit)
    pending.push({ conv, convIndex: conv.index, socket, frame, seq: ++conv.seq, at: Date.now() })
  })
})

server.on('listening', () => {
  const { port } = server.address()
  process.stdout.write(`${JSON.stringify({ event: 'listening', url: `ws://127.0.0.1:${port}` })}\n`)
})

function quit() {
  db.close()
  rmSync(dir, { recursive: true, force: true })
  process.exit(0)
}

// The orchestrator holds our stdin; when it goes away (even by SIGKILL), so do we.
process.stdin.on('end', quit).resume()
process.on('SIGTERM', quit)
