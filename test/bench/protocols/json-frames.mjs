import { createWriteBatch } from '../load/write-batch.mjs'
import { ID_DIGITS, messageId, messageNumber, writeMessageNumber } from '../load/message-ids.mjs'

// The measured phase for targets that speak Parley's frames over a plain WebSocket (Parley itself,
// the raw ws baseline, which mimics them, and the null relay): send message.send, count
// message.ack and message.new, and turn every error frame or unexpected close into a reported error.
//
// The loadgen must cost less than the relays it measures, so the hot path avoids per-message work:
// each conversation keeps its message.send frame as one buffer and rewrites only the id's digits
// (ws copies it into the masked frame before send() returns), sends are corked per turn
// (load/write-batch.mjs), and each received frame is parsed once.

// A Buffer goes out as a binary frame unless told otherwise; the relays expect text frames.
const TEXT_FRAME = { binary: false }
const batch = createWriteBatch()

/**
 * Wires a set-up visitor/agent socket pair to the load generator's `events`
 * ({ onAck(n), onDeliver(), onForeign(), onError(detail) }) and returns the conversation handle
 * { send(n), close() }: `send(n)` sends `text` as message number `n` of this conversation
 * (clientMsgId from load/message-ids.mjs). `setupId` is the clientMsgId used during setup; it is
 * not counted.
 */
export function attachJsonConversation({ visitor, agent, convId, setupId, text, events }) {
  const placeholder = messageId(convId, 0)
  const frame = Buffer.from(JSON.stringify({ type: 'message.send', convId, clientMsgId: placeholder, text }))
  const digitsAt = frame.indexOf(placeholder) + Buffer.byteLength(placeholder) - ID_DIGITS
  let closing = false
  const onUnexpectedClose = (role) => (code, reason) => {
    if (!closing) events.onError(`${role} socket closed: ${code} ${reason}`)
  }
  const reportError = (role, frame) =>
    events.onError(`${role} got error frame ${frame.code}: ${frame.message}${frame.ref ? ` (ref ${frame.ref})` : ''}`)

  visitor.on('message', (data) => {
    const frame = JSON.parse(data)
    if (frame.type === 'message.ack') events.onAck(messageNumber(frame.clientMsgId))
    else if (frame.type === 'error') reportError('visitor', frame)
  })
  agent.on('message', (data) => {
    const frame = JSON.parse(data)
    if (frame.type === 'message.new') {
      // Counting only our own conversation keeps the figure honest if a relay fans one agent's
      // messages out to all of that agent's connections; those copies are reported separately.
      if (frame.convId !== convId) events.onForeign()
      else if (frame.clientMsgId !== setupId) events.onDeliver()
    } else if (frame.type === 'error') {
      reportError('agent', frame)
    }
  })
  visitor.on('close', onUnexpectedClose('visitor'))
  agent.on('close', onUnexpectedClose('agent'))
  for (const socket of [visitor, agent]) socket.on('error', (err) => events.onError(`socket error: ${err.message}`))

  return {
    send(n) {
      writeMessageNumber(frame, digitsAt, n)
      // ws keeps its TCP socket in `_socket`; corking it there is what merges this turn's frames.
      batch.add(visitor._socket)
      visitor.send(frame, TEXT_FRAME)
    },
    close() {
      closing = true
      visitor.close()
      agent.close()
    },
  }
}
