// The measured phase for targets that speak Parley's frames over a plain WebSocket (Parley itself
// and the raw ws baseline, which mimics them): send message.send, count message.ack and
// message.new, and turn every error frame or unexpected close into a reported error.

/**
 * Wires a set-up visitor/agent socket pair to the load generator's `events`
 * ({ onAck(id), onDeliver(id), onForeign(), onError(detail) }) and returns the conversation handle
 * { send(id, text), close() }. `setupId` is the clientMsgId used during setup; it is not counted.
 */
export function attachJsonConversation({ visitor, agent, convId, setupId, events }) {
  let closing = false
  const onUnexpectedClose = (role) => (code, reason) => {
    if (!closing) events.onError(`${role} socket closed: ${code} ${reason}`)
  }
  const reportError = (role, frame) =>
    events.onError(`${role} got error frame ${frame.code}: ${frame.message}${frame.ref ? ` (ref ${frame.ref})` : ''}`)

  visitor.on('message', (data) => {
    const frame = JSON.parse(data)
    if (frame.type === 'message.ack') events.onAck(frame.clientMsgId)
    else if (frame.type === 'error') reportError('visitor', frame)
  })
  agent.on('message', (data) => {
    const frame = JSON.parse(data)
    if (frame.type === 'message.new') {
      // Counting only our own conversation keeps the figure honest if a relay fans one agent's
      // messages out to all of that agent's connections; those copies are reported separately.
      if (frame.convId !== convId) events.onForeign()
      else if (frame.clientMsgId !== setupId) events.onDeliver(frame.clientMsgId)
    } else if (frame.type === 'error') {
      reportError('agent', frame)
    }
  })
  visitor.on('close', onUnexpectedClose('visitor'))
  agent.on('close', onUnexpectedClose('agent'))
  for (const socket of [visitor, agent]) socket.on('error', (err) => events.onError(`socket error: ${err.message}`))

  return {
    send(clientMsgId, text) {
      visitor.send(JSON.stringify({ type: 'message.send', convId, clientMsgId, text }))
    },
    close() {
      closing = true
      visitor.close()
      agent.close()
    },
  }
}
