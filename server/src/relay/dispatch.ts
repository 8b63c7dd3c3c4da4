import type { ClientFrame, Hello } from '@parley/sdk/contract'
import type { FrameOutcome } from './frame-order.js'
import { handleSend } from './message-send.js'
import { handleJoin } from './join.js'
import { handleClose } from './close.js'
import { handleRead } from './read-cursor.js'
import { handleTyping } from './typing.js'
import { handleResume } from './resume.js'
import { handleQueueList } from './queue-list.js'
import { handleConversationList } from './conversation-list.js'
import { handleAccept, handleAssign } from './assign.js'
import { handleContextUpdate } from './visitor-context.js'
import { handleOpen } from './conversation-open.js'
import { handleSurveyAnswer } from './survey-answer.js'
import { handleSurveyRequest } from './survey-request.js'
import { handleDecline } from './decline.js'
import { handleTransfer } from './transfer.js'
import { handleNoteAdd } from './note-add.js'
import { handleIdentify } from './visitor-identify.js'
import { handleForget } from './visitor-forget.js'
import type { AuthenticatedPort, HelloPort, SessionChange } from './session-port.js'
import { withRef } from './with-ref.js'

/**
 * Runs one validated frame other than hello (the session runs hello itself: it records who the
 * connection is between its two halves). Returns true or a change for the session to apply when the
 * frame was accepted, false when it was refused (the handler has already sent the typed error), or
 * a promise of either. Every frame needs an authenticated connection.
 */
export function handleFrame(s: HelloPort & AuthenticatedPort, authenticated: boolean, frame: Exclude<ClientFrame, Hello>): FrameOutcome<SessionChange> {
  if (!authenticated) {
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
    case 'conversation.list': return handleConversationList(s, frame)
    case 'conversation.accept': return handleAccept(s, frame)
    case 'conversation.assign': return handleAssign(s, frame)
    case 'context.update': return handleContextUpdate(s, frame)
    case 'conversation.open': return handleOpen(s, frame)
    case 'survey.answer': return handleSurveyAnswer(s, frame)
    case 'survey.request': return handleSurveyRequest(s, frame)
    case 'conversation.decline': return handleDecline(s, frame)
    case 'conversation.transfer': return handleTransfer(s, frame)
    case 'note.add': return handleNoteAdd(s, frame)
    case 'visitor.identify': return handleIdentify(s, frame)
    case 'visitor.forget': return handleForget(s, frame)
    case 'ping':
      s.send({ type: 'pong', at: s.ctx.deps.clock.now(), ...withRef(frame.ref) })
      return true
  }
}
