import { io } from 'socket.io-client'
import { messageId, messageNumber } from '../load/message-ids.mjs'

// Client side of baselines/socketio-relay.mjs: Socket.IO 4 over the websocket transport only,
// acks through Socket.IO's own callback mechanism.

const SETUP_TIMEOUT_MS = 15_000

/** Opens conversation `convId` (number `index`) on the Socket.IO baseline; see protocols/parley.mjs. */
export async function openConversation(target, { index, convId, text }, events) {
  const setupId = `${convId}-setup`
  const visitor = await connect(target.url, index, 'visitor')
  await visitor.timeout(SETUP_TIMEOUT_MS).emitWithAck('message.send', { type: 'message.send', convId, clientMsgId: setupId, text: 'hello' })
  const agent = await connect(target.url, index, 'agent')

  let closing = false
  for (const [role, socket] of [['visitor', visitor], ['agent', agent]]) {
    socket.on('disconnect', (reason) => { if (!closing) events.onError(`${role} disconnected: ${reason}`) })
  }
  agent.on('message.new', (frame) => {
    if (frame.convId !== convId) events.onForeign()
    else if (frame.clientMsgId !== setupId) events.onDeliver()
  })
  const onAck = (ack) => events.onAck(messageNumber(ack.clientMsgId))
  return {
    // Socket.IO builds and parses its own packets, so only the id scheme is shared with json-frames.
    send(n) {
      visitor.emit('message.send', { type: 'message.send', convId, clientMsgId: messageId(convId, n), text }, onAck)
    },
    close() {
      closing = true
      visitor.disconnect()
      agent.disconnect()
    },
  }
}

function connect(url, index, role) {
  return new Promise((resolve, reject) => {
    // forceNew: one engine (one WebSocket) per client, as 400 separate browsers would have.
    const socket = io(url, {
      transports: ['websocket'], forceNew: true, reconnection: false,
      query: { conv: String(index), role }, timeout: SETUP_TIMEOUT_MS,
    })
    socket.once('connect', () => resolve(socket))
    socket.once('connect_error', (err) => {
      socket.close()
      reject(new Error(`socket.io connect (${role}): ${err.message}`))
    })
  })
}
