import type { ClientFrame } from '@parley/sdk/contract'
import { handleHello } from './hello.js'
import { handleSend } from './messaging.js'
import { handleClose, handleJoin, handleRead, handleTyping } from './conversation-ops.js'
import { handleResume } from './resume.js'
import { handleAccept, handleAssign, handleContextUpdate, handleQueueList } from './queue-ops.js'
import type { LiveSession } from './session.js'

/**
 * Runs one validated frame. Returns true when the frame was accepted, false when it was refused
 * (the handler has already sent the typed error), or a promise of either.
 */
export function handleFrame(s: LiveSession, frame: ClientFrame): boolean | Promise<boolean> {
  if (frame.type === 'hello') return handleHello(s, frame)
  if (!s.who) {
    s.fail('PARLEY_ERR_PROTOCOL_HELLO_REQUIRED', [])
    return false
  }
  switch (frame.type) {
    case 'message.send': return handleSend(s, frame)
    case 'typing.start':
    case 'typing.stop': return handleTyping(s, frame)
    case 'message.read': return handleRead(s, frame)
    case 'conversation.resume': return handleResume(s, frame.convs, frame.ref)
    case 'conversation.join': return handleJoin(s, frame)
    case 'conversation.close': return handleClose(s, frame)
    case 'queue.list': return handleQueueList(s, frame)
    case 'conversation.accept': return handleAccept(s, frame)
    case 'conversation.assign': return handleAssign(s, frame)
    case 'context.update': return handleContextUpdate(s, frame)
    case 'ping':
      s.send({ type: 'pong', at: s.ctx.deps.clock.now(), ...(frame.ref !== undefined ? { ref: frame.ref } : {}) })
      return true
  }
}
