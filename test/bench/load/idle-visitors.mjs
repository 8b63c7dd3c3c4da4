import WebSocket from 'ws'
import { io } from 'socket.io-client'
import { PROTOCOL_VERSION } from '@parley/sdk/contract'
import { mapConcurrent } from '../map-concurrent.mjs'

// Load process of idle-connections.mjs: opens `count` visitor connections to one relay and then
// holds them, sending nothing, until its stdin closes. On Parley each one says hello as the widget
// does for a visitor of a site with no token yet (the page's context included) and waits for its
// welcome; the first `open` of them also send one message, which opens a conversation, as a
// visitor who started a chat and then went quiet. The baselines get the same sockets with nothing
// to say. Prints {"event":"ready","opened","failed","errors"} on stdout once every connection is
// settled, and {"event":"lost","count"} whenever relays drop some afterwards.
//
// argv[2] is JSON: { protocol: 'parley'|'raw-ws'|'socketio', url, count, first, open, siteKey?, origin? }.

const CONNECT_CONCURRENCY = 64
const SETUP_TIMEOUT_MS = 30_000

const spec = JSON.parse(process.argv[2])
const sockets = []
let lost = 0
let lostReported = 0
const errors = []

// What the widget's buildContext sends from a browser on the brand's page (widget/src/consumer/context.ts).
const CONTEXT = {
  url: 'http://localhost/pricing?plan=team',
  title: 'Pricing - Bench',
  referrer: 'https://www.example.com/search?q=bench',
  language: 'en-GB',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  timezone: 'Europe/London',
  utcOffsetMin: 0,
  screen: '1920x1080',
  tracking: 'shared',
  pagesViewed: 3,
  timeOnSiteSec: 95,
  visitCount: 1,
  returning: false,
}

const OPENERS = { parley: openParley, 'raw-ws': openRawWs, socketio: openSocketIo }

const indices = Array.from({ length: spec.count }, (_, i) => spec.first + i)
await mapConcurrent(indices, CONNECT_CONCURRENCY, async (i) => {
  try {
    sockets.push(await withTimeout(OPENERS[spec.protocol](i, i - spec.first < spec.open), `connection ${i}`))
  } catch (err) {
    if (errors.length < 5) errors.push(err.message)
  }
})
emit({ event: 'ready', opened: sockets.length, failed: spec.count - sockets.length, errors })
setInterval(() => {
  if (lost === lostReported) return
  lostReported = lost
  emit({ event: 'lost', count: lost })
}, 1000).unref()

// The orchestrator holds our stdin; when it goes away (even by SIGKILL), so do we.
process.stdin.on('end', () => process.exit(0)).resume()
process.on('SIGTERM', () => process.exit(0))

function emit(obj) {
  process.stdout.write(`${JSON.stringify(obj)}\n`)
}

function withTimeout(promise, what) {
  let timer
  return Promise.race([
    promise,
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: not ready within ${SETUP_TIMEOUT_MS} ms`)), SETUP_TIMEOUT_MS) }),
  ]).finally(() => clearTimeout(timer))
}

async function openParley(i, withConversation) {
  const socket = await openWs(`${spec.url}?site=${encodeURIComponent(spec.siteKey)}`, spec.origin)
  await exchange(socket, { type: 'hello', protocol: PROTOCOL_VERSION, auth: { kind: 'visitor' }, context: CONTEXT }, (f) => f.type === 'welcome')
  if (withConversation) {
    const clientMsgId = `idle-${i}-m1`
    await exchange(socket, { type: 'message.send', convId: `idle-${i}`, clientMsgId, text: 'hello, is anyone there?' },
      (f) => f.type === 'message.ack' && f.clientMsgId === clientMsgId)
  }
  return socket
}

async function openRawWs(i) {
  return openWs(`${spec.url}/?conv=${i}&role=visitor`)
}

function openSocketIo(i) {
  return new Promise((resolve, reject) => {
    // forceNew: one engine (one WebSocket) per client, as separate browsers would have.
    const socket = io(spec.url, { transports: ['websocket'], forceNew: true, reconnection: false, query: { conv: String(i), role: 'visitor' }, timeout: SETUP_TIMEOUT_MS })
    socket.once('connect', () => {
      socket.on('disconnect', () => { lost++ })
      resolve(socket)
    })
    socket.once('connect_error', (err) => {
      socket.close()
      reject(new Error(`socket.io connect: ${err.message}`))
    })
  })
}

function openWs(url, origin) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false, ...(origin ? { origin } : {}) })
    socket.once('error', (err) => reject(new Error(`connect: ${err.message}`)))
    socket.once('unexpected-response', (_req, res) => {
      socket.terminate()
      reject(new Error(`HTTP ${res.statusCode} on upgrade`))
    })
    socket.once('open', () => {
      socket.on('error', () => { /* 'close' follows and counts it */ })
      socket.on('close', () => { lost++ })
      resolve(socket)
    })
  })
}

/** Sends `frame` and resolves on the first answer `predicate` accepts; an error frame rejects. */
function exchange(socket, frame, predicate) {
  return new Promise((resolve, reject) => {
    const onMessage = (data) => {
      const f = JSON.parse(data)
      if (f.type === 'error') finish(reject, new Error(`error frame ${f.code}: ${f.message}`))
      else if (predicate(f)) finish(resolve)
    }
    const onClose = (code) => finish(reject, new Error(`closed ${code} before an answer to ${frame.type}`))
    const finish = (fn, value) => {
      socket.off('message', onMessage)
      socket.off('close', onClose)
      fn(value)
    }
    socket.on('message', onMessage)
    socket.on('close', onClose)
    socket.send(JSON.stringify(frame))
  })
}
